"""Bad input, coding side: hostile codings files (``workbench codings-import FILE``) and bad
arguments to ``code``, ``uncode``, ``codings``, ``memo``, ``history``, ``--coder``. Each is
refused with a clear message (naming the file and line where there is one), a non-zero exit
code, and no change to the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input_support import refused

from workbench.project import Project

CODE = "Schulden als dwangmiddel"
THEME = "Signalen en vermoedens"
ROW = f"- transcript: INT01\n  code: {CODE}\n"

# (name, body, words of the message, line or None)
BAD_YAML = [
    ("unknown transcript", f"codings:\n- transcript: NOPE\n  code: {CODE}\n  quote: iets\n", "no transcript 'NOPE'", 2),
    ("unknown code", "codings:\n- transcript: INT01\n  code: Geen code\n  quote: hoi hoi hoi\n", "no code or theme 'Geen code'", 2),
    ("a theme as code", f"codings:\n- transcript: INT01\n  code: {THEME}\n  start: 0\n  end: 9\n", "is a theme; codings use codes", 2),
    ("quote not found", "codings:\n" + ROW + "  quote: dit staat er helemaal niet in echt niet\n", "the quote is not in INT01", 2),
    ("span outside the text", "codings:\n" + ROW + "  start: 5\n  end: 99999999\n", "lies outside the text", 2),
    ("negative start", "codings:\n" + ROW + "  start: -5\n  end: 3\n", "lies outside the text", 2),
    ("reversed span", "codings:\n" + ROW + "  start: 10\n  end: 5\n", "is empty", 2),
    ("start is a word", "codings:\n" + ROW + "  start: a\n  end: 5\n", "start must be a whole number", 2),
    ("start is a fraction", "codings:\n" + ROW + "  start: 3.5\n  end: 9\n", "start must be a whole number", 2),
    ("only start", "codings:\n" + ROW + "  start: 3\n", "end is missing", 2),
    ("neither quote nor span", "codings:\n" + ROW, "needs 'quote' or 'start' and 'end'", 2),
    ("no code", "codings:\n- transcript: INT01\n  quote: iets\n", "needs 'transcript' and 'code'", 2),
    ("unknown field", "codings:\n" + ROW + "  start: 0\n  end: 9\n  cdoer: x\n", "unknown field(s) cdoer", 2),
    ("coder with control character", "codings:\n" + ROW + '  start: 0\n  end: 9\n  coder: "a\\x01"\n', "control characters", 2),
    ("coder is a list", "codings:\n" + ROW + "  start: 0\n  end: 9\n  coder: [a]\n", "'coder' must be text", 6),
    ("memo is a mapping", "codings:\n" + ROW + "  start: 0\n  end: 9\n  memo: {a: 1}\n", "'memo' must be text", 6),
    ("memo with NUL", "codings:\n" + ROW + '  start: 0\n  end: 9\n  memo: "a\\x00"\n', "control characters", 2),
    ("quote is a list", "codings:\n" + ROW + "  quote: [a, b]\n", "'quote' must be text", 4),
    ("duplicate key", "codings:\n- transcript: INT01\n  transcript: INT02\n  code: X\n", "appears twice", 3),
    ("python tag", "codings:\n- transcript: !!python/object:os.system INT01\n", "is not supported", 2),
    ("malformed", "codings:\n- transcript: [INT01\n", "not valid YAML", 3),
    ("codings is a number", "codings: 5\n", "'codings' must be a list", 1),
    ("coding is text", "codings:\n- a\n", "each coding must be a mapping", 2),
    ("no codings key", "foo: []\n", "expected a 'codings:' list", 1),
    ("empty file", "", "the file is empty", None),
    ("second of two is bad", "codings:\n" + ROW + "  start: 0\n  end: 9\n- transcript: NOPE\n  code: X\n  start: 0\n  end: 9\n",
     "no transcript 'NOPE'", 6),
]

BAD_CSV = [
    ("unknown transcript", f"transcript,code,start,end\nNOPE,{CODE},0,9\n", "no transcript 'NOPE'", 2),
    ("bad number", f"transcript,code,start,end\nINT01,{CODE},x,9\n", "start must be a whole number", 2),
    ("negative", f"transcript,code,start,end\nINT01,{CODE},-1,9\n", "lies outside the text", 2),
    ("no header", f"INT01,{CODE},0,9\n", "the CSV header lacks", 1),
    ("duplicate column", f"transcript,code,code,start,end\nINT01,{CODE},X,0,9\n", "names code twice", 1),
    ("more cells than columns", f"transcript,code,start,end\nINT01,{CODE},0,9,extra\n", "5 cells, but the header has 4", 2),
    ("line of a row after a quoted line break",
     f'transcript,code,quote\nINT01,{CODE},"nergens\nte vinden echt"\nNOPE,{CODE},abcdef\n',
     ["line 2: the quote is not in INT01", "line 4: no transcript 'NOPE'"], None),
    ("empty file", "", "the file is empty", None),
]


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "message", "line"), [c[1:] for c in BAD_YAML], ids=[c[0] for c in BAD_YAML])
def test_bad_codings_yaml(sample_project: Project, tmp_path: Path, body: str, message: str, line) -> None:
    path = _write(tmp_path, "codings.yaml", body)
    refused(sample_project, "codings-import", str(path), message=message, line=line, path=path)


@pytest.mark.parametrize(("body", "message", "line"), [c[1:] for c in BAD_CSV], ids=[c[0] for c in BAD_CSV])
def test_bad_codings_csv(sample_project: Project, tmp_path: Path, body: str, message, line) -> None:
    path = _write(tmp_path, "codings.csv", body)
    refused(sample_project, "codings-import", str(path), message=message, line=line, path=path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("binary.yaml", b"\x00\x01\x02\xff", "not UTF-8 text"), ("codings.txt", "a", "codings files are .yaml")],
)
def test_binary_and_wrong_kind_of_codings_file(sample_project: Project, tmp_path: Path, name, data, message) -> None:
    path = _write(tmp_path, name, data)
    refused(sample_project, "codings-import", str(path), message=message, path=path)


def test_missing_codings_file(sample_project: Project, tmp_path: Path) -> None:
    refused(sample_project, "codings-import", str(tmp_path / "nope.yaml"), message="no such file")


def test_export_codings_into_a_missing_folder(sample_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "typo" / "codings.csv"
    refused(sample_project, "codings-export", str(target), message="does not exist", path=target)
    assert not target.parent.exists()


# -- coding command arguments ---------------------------------------------------------------------

BAD_ARGS = [
    (["code", "NOPE", CODE, "--span", "0:5"], "no transcript 'NOPE'", 1),
    (["code", "INT01", "Geen code", "--span", "0:5"], "no code or theme 'Geen code'", 1),
    (["code", "INT01", THEME, "--span", "0:5"], "is a theme; codings use codes", 1),
    (["code", "INT01", CODE, "--span", "5"], "'5' is not START:END", 2),
    (["code", "INT01", CODE, "--span", "a:b"], "'a:b' is not START:END", 2),
    (["code", "INT01", CODE, "--span", "1:2:3"], "is not START:END", 2),
    (["code", "INT01", CODE, "--span", "10:5"], "span 10:5 is empty", 1),
    (["code", "INT01", CODE, "--span", "5:5"], "span 5:5 is empty", 1),
    (["code", "INT01", CODE, "--span", "-1:3"], "span -1:3 lies outside the text", 1),
    (["code", "INT01", CODE, "--span", "0:99999999"], "lies outside the text (0:", 1),
    (["code", "INT01", CODE, "--sentence", "99999"], "INT01 has no sentence 99999", 1),
    (["code", "INT01", CODE, "--sentence", "-1"], "INT01 has no sentence -1", 1),
    (["code", "INT01", CODE, "--turn", "99999"], "INT01 has no turn 99999", 1),
    (["code", "INT01", CODE, "--turn", "x"], "'x' is not a valid integer", 2),
    (["code", "INT01", CODE, "--quote", "dit staat nergens in het transcript echt niet"], "the quote is not in INT01", 1),
    (["code", "INT01", CODE, "--quote", ""], "the quote is too short", 1),
    (["code", "INT01", CODE], "give exactly one of", 2),
    (["code", "INT01", CODE, "--span", "0:5", "--sentence", "1"], "give exactly one of", 2),
    (["code", "INT01", CODE, "--span", "0:9", "--memo", "a\x00b"], "control characters", 1),
    # --new must not create the code when the span is refused
    (["code", "INT01", "Nieuwe code", "--new", "--span", "10:5"], "is empty", 1),
    (["code", "INT01", "Nieuwe code", "--new", "--span", "0:99999999"], "outside the text", 1),
    (["code", "INT01", "", "--new", "--span", "0:5"], "the code name is empty", 1),
    (["code", "INT01", "bad\x01code", "--new", "--span", "0:5"], "control characters", 1),
    (["--coder", "", "code", "INT01", CODE, "--span", "0:5"], "the coder name (--coder) is empty", 1),
    (["--coder", "  ", "code", "INT01", CODE, "--span", "0:5"], "the coder name (--coder) is empty", 1),
    (["code", "--coder", "a\nb", "INT01", CODE, "--span", "0:5"], "control characters", 1),
    (["--coder", "", "codebook", "add", "Nieuw"], "the coder name (--coder) is empty", 1),
    (["uncode", "nonexistent"], "no coding 'nonexistent'", 1),
    (["uncode", ""], "no coding ''", 1),
    (["uncode", "____"], "no coding '____'", 1),  # '_' is no LIKE wildcard here
    (["uncode", "%%%%"], "no coding '%%%%'", 1),
    (["codings", "--code", "Nope"], "no code 'Nope'", 1),
    (["codings", "--transcript", "Nope"], "no transcript 'Nope'", 1),
    (["codings", "--theme", "Nope"], "no theme 'Nope'", 1),
    (["memo", "add", "", "--transcript", "INT01"], "the memo is empty", 1),
    (["memo", "add", "x", "--transcript", "NOPE"], "no transcript 'NOPE'", 1),
    (["memo", "add", "x", "--coding", "NOPE"], "no coding 'NOPE'", 1),
    (["memo", "add", "x", "--code", "NOPE"], "no code or theme 'NOPE'", 1),
    (["memo", "add", "x", "--code", CODE, "--transcript", "INT01"], "at most one of", 2),
    (["memo", "edit", "NOPE", "x"], "no memo 'NOPE'", 1),
    (["memo", "delete", "NOPE"], "no memo 'NOPE'", 1),
    (["history", "--limit", "-5"], "not in the range", 2),
    (["themes", "--min-count", "0"], "not in the range", 2),
]


@pytest.mark.parametrize(("args", "message", "code"), BAD_ARGS, ids=[f"{i}-{a[0][0]}" for i, a in enumerate(BAD_ARGS)])
def test_bad_coding_arguments(sample_project: Project, args: list[str], message: str, code: int) -> None:
    refused(sample_project, *args, message=message, code=code)


def test_another_coders_coding_cannot_be_removed(sample_project: Project) -> None:
    cid = sample_project.db.execute("select id from codings where coder = 'bram' limit 1").fetchone()[0]
    refused(sample_project, "--coder", "anna", "uncode", cid, message="belongs to coder 'bram'")


def test_installed_command_exits_non_zero_with_one_line(sample_project: Project) -> None:
    """The real entry point, as a user runs it: one 'error:' line on stderr, exit code 1."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "workbench"
    if not exe.exists():
        pytest.skip("the workbench entry point is not installed in this environment")
    proc = subprocess.run([str(exe), "--project", str(sample_project.root), "code", "INT01", CODE, "--span", "10:5"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == "" and proc.stderr.strip() == "error: span 10:5 is empty (START must be below END)"
