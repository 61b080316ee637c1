"""Bad input, codebook side: hostile codebook files (``workbench codebook import FILE``, YAML
and REFI-QDA .qdc) and bad arguments to the ``codebook`` commands. Each is refused with a clear
message naming the file (and line), a non-zero exit code, and no change to the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input_support import refused, run, snapshot

from workbench.project import Project

CODE = "Schulden als dwangmiddel"  # a code of the sample project, with codings
THEME = "Signalen en vermoedens"  # a theme of the sample project

HEAD = "version: 1\nthemes:\n"

# (name, file body, words the message must hold, line the message must name or None)
BAD_YAML = [
    ("malformed", HEAD + "- name: A\n  codes: [unclosed\n", "not valid YAML", 5),
    ("tab indent", HEAD + "\t- name: A\n", "not valid YAML", 3),
    ("list root", "- a\n- b\n", "must be a mapping", 1),
    ("theme is text", HEAD + "- A\n", "a theme must be a mapping", 3),
    ("codes is a number", HEAD + "- name: A\n  codes: 5\n", "codes must be a list", 4),
    ("unknown key, a typo of definition", HEAD + "- name: A\n  defintion: typo\n",
     ["unknown key 'defintion'", "did you mean 'definition'"], 4),
    ("unknown top key", "version: 1\nthemse: []\n", ["unknown key 'themse'", "did you mean 'themes'"], 2),
    ("duplicate key", HEAD + "- name: A\n  name: B\n", "the key 'name' appears twice", 4),
    ("duplicate ids", HEAD + "- id: t-1\n  name: A\n- id: t-1\n  name: B\n", "the id t-1 is used twice", 5),
    ("duplicate names in a theme", HEAD + "- name: A\n  codes:\n  - name: X\n  - name: x\n",
     "two codes are named 'x'", 6),
    ("code holds codes", HEAD + "- name: A\n  codes:\n  - name: X\n    codes:\n    - name: Y\n",
     "a code cannot hold 'codes'", 7),
    ("sub-sub-theme", HEAD + "- name: A\n  subthemes:\n  - name: B\n    subthemes:\n    - name: C\n",
     "one level deep", 7),
    ("cycle through ids", HEAD + "- id: t-a\n  name: A\n  subthemes:\n  - id: t-a\n    name: B\n",
     "the id t-a is used twice", 6),
    ("empty name", HEAD + "- name: ''\n", "without a name", 3),
    ("blank name", HEAD + "- name: '   '\n", "without a name", 3),
    ("no name", HEAD + "- definition: iets\n", "without a name", 3),
    ("bell in a name", HEAD + '- name: "A\\x07b"\n', "control characters", 3),
    ("escape in a code name", HEAD + '- name: A\n  codes:\n  - name: "x\\x1b[31m"\n', "control characters", 5),
    ("NUL in a definition", HEAD + '- name: A\n  definition: "x\\x00y"\n', "control characters (U+0000)", 3),
    ("control character in an id", HEAD + '- id: "t\\x01"\n  name: A\n', "control characters", 3),
    ("name is a list", HEAD + "- name: [a, b]\n", "must be text, not a list", 3),
    ("definition is a mapping", HEAD + "- name: A\n  definition: {a: 1}\n", "must be text, not a mapping", 4),
    ("survey_themes is a mapping", HEAD + "- name: A\n  survey_themes: {a: 1}\n", "survey_themes must be a list", 4),
    ("survey theme is a list", HEAD + "- name: A\n  survey_themes: [[1]]\n", "must be text", 4),
    ("python tag", HEAD + "- name: !!python/object:os.system A\n", "is not supported", 3),
    ("colour that is a word", HEAD + "- name: A\n  codes:\n  - name: X\n    colour: banana\n",
     "'banana' is not a colour", 5),
    ("colour with five digits", HEAD + "- name: A\n  codes:\n  - name: X\n    colour: '#12345'\n",
     "is not a colour", 5),
    ("version 2", "version: 2\nthemes: []\n", "version 2 is not supported", 1),
    ("no version", "themes: []\n", "no 'version: 1' key", None),
    ("empty file", "", "the codebook file is empty", None),
    ("only a comment", "# nothing here\n", "the codebook file is empty", None),
    ("NUL byte", "\x00version: 1\n", "control character U+0000", 1),
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
def test_bad_codebook_yaml_is_refused_with_file_and_line(sample_project: Project, tmp_path: Path,
                                                         body: str, message, line) -> None:
    path = _write(tmp_path, "codebook.yaml", body)
    refused(sample_project, "codebook", "import", str(path), message=message, line=line, path=path)


@pytest.mark.parametrize(("body", "message", "line"), [c[1:] for c in BAD_YAML], ids=[c[0] for c in BAD_YAML])
def test_bad_codebook_yaml_is_refused_by_an_empty_project_too(project: Project, tmp_path: Path,
                                                               body: str, message, line) -> None:
    # an empty project has nothing to conflict with: any acceptance would show as a change
    path = _write(tmp_path, "codebook.yaml", body)
    refused(project, "codebook", "import", str(path), message=message, line=line, path=path)


def test_every_problem_of_a_file_is_listed_at_once(project: Project, tmp_path: Path) -> None:
    body = HEAD + "- id: t-1\n  name: A\n- id: t-1\n  name: B\n  codes:\n  - name: X\n    colour: banana\n"
    path = _write(tmp_path, "codebook.yaml", body)
    out = refused(project, "codebook", "import", str(path), message="2 problem(s)", path=path)
    assert "line 5: the id t-1 is used twice" in out and "line 8: 'banana' is not a colour" in out
    assert "new:" not in out  # no internal ids in messages


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR\xff\xfe", "not UTF-8 text"),
        ("codebook.txt", "version: 1\n", "a codebook file is .yaml/.yml"),
    ],
)
def test_binary_and_wrong_kind_of_file(sample_project: Project, tmp_path: Path, name: str, data, message: str) -> None:
    path = _write(tmp_path, name, data)
    refused(sample_project, "codebook", "import", str(path), message=message, path=path)


def test_missing_codebook_file(sample_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    refused(sample_project, "codebook", "import", str(path), message="no such codebook file", path=path)


def test_folder_as_codebook_file(sample_project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "book.yaml"
    folder.mkdir()
    refused(sample_project, "codebook", "import", str(folder), message="is a directory", code=2)


def test_yes_and_numbers_stay_as_written(project: Project, tmp_path: Path) -> None:
    """YAML 1.1 would turn ``name: yes`` into True and ``id: 0012`` into 12: names and ids are
    taken as the researcher wrote them."""
    path = _write(tmp_path, "codebook.yaml", HEAD + "- id: '0012'\n  name: yes\n  codes:\n  - id: 0013\n    name: 2023\n")
    result = run(project, "codebook", "import", str(path))
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r["name"] for r in project.db.query("select id, name from codes")}
    assert rows == {"0012": "yes", "0013": "2023"}


# -- REFI-QDA codebooks (.qdc) ------------------------------------------------------------------

QDC_NS = 'xmlns="urn:QDA-XML:codebook:1.0"'
GUID = "11111111-1111-1111-1111-111111111111"

BAD_QDC = [
    ("not xml", "not xml at all", "not well-formed XML"),
    ("empty", "", "not well-formed XML"),
    ("binary", b"\x00\xff\x89PNG", "not well-formed XML"),
    ("dtd with expanding entities",
     '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     f'<CodeBook {QDC_NS}><Codes><Code guid="{GUID}" name="&b;" isCodable="true"/></Codes></CodeBook>',
     "declares a DTD"),
    ("external entity",
     '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     f'<CodeBook {QDC_NS}><Codes><Code guid="{GUID}" name="&x;" isCodable="true"/></Codes></CodeBook>',
     "declares a DTD"),
    ("wrong root", '<?xml version="1.0"?><Foo/>', "root element is <Foo>"),
    ("no codes", f'<?xml version="1.0"?><CodeBook {QDC_NS}><Codes><Code name="A"/></Codes></CodeBook>',
     "holds no codes"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BAD_QDC], ids=[c[0] for c in BAD_QDC])
def test_bad_qdc_is_refused(sample_project: Project, tmp_path: Path, data, message: str) -> None:
    path = _write(tmp_path, "book.qdc", data)
    refused(sample_project, "codebook", "import", str(path), message=message, path=path)


def test_refused_qdc_import_leaves_no_guid_bookkeeping(sample_project: Project, tmp_path: Path) -> None:
    """A .qdc that conflicts (exit 3) used to leave its GUIDs in refi_guids.

    The conflict: another tool's code with the name of a sample code and another definition.
    """
    path = _write(tmp_path, "other.qdc", f'<?xml version="1.0"?><CodeBook {QDC_NS}><Codes>'
                  f'<Code guid="{GUID}" name="{CODE}" isCodable="true">'
                  "<Description>Een heel andere definitie.</Description></Code></Codes></CodeBook>")
    refused(sample_project, "codebook", "import", str(path), message="conflict", code=3)
    refused(sample_project, "codebook", "import", str(path), "--dry-run", message="conflict", code=0)


def test_qdc_skips_are_reported_not_silent(project: Project, tmp_path: Path) -> None:
    path = _write(tmp_path, "dup.qdc", f'<?xml version="1.0"?><CodeBook {QDC_NS}><Codes>'
                  f'<Code guid="{GUID}" name="A" isCodable="true"/><Code guid="{GUID}" name="B" isCodable="true"/>'
                  "</Codes></CodeBook>")
    result = run(project, "codebook", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "warning: not carried over: code 'B'" in result.output and "repeats an earlier code" in result.output
    guids = project.db.execute("select count(*) from refi_guids").fetchone()[0]
    assert guids == 1  # remembered once the import went through


# -- codebook command arguments -------------------------------------------------------------------

BAD_ARGS = [
    (["codebook", "add", ""], "the code name is empty", 1),
    (["codebook", "add", "   "], "the code name is empty", 1),
    (["codebook", "add", "a\x07b"], "contains control characters", 1),
    (["codebook", "add", "a\tb"], "contains control characters", 1),
    (["codebook", "add", "Nieuw", "--kind", "theme", "--theme", "a\nb"], "no code or theme", 1),
    (["codebook", "add", CODE], "exists already", 1),
    (["codebook", "add", "Nieuw", "--theme", "Nope"], "no code or theme 'Nope'", 1),
    (["codebook", "add", "Nieuw", "--theme", CODE], "is a code; only themes can hold", 1),
    (["codebook", "add", "Nieuw", "--colour", "banana"], "'banana' is not a colour", 1),
    (["codebook", "add", "Nieuw", "--colour", "#zzzzzz"], "is not a colour", 1),
    (["codebook", "add", "Nieuw", "--definition", "x\x00y"], "control characters", 1),
    (["codebook", "add", "Nieuw", "--kind", "thema"], "Invalid value for '--kind'", 2),
    (["codebook", "rename", "Nope", "X"], "no code or theme 'Nope'", 1),
    (["codebook", "rename", CODE, ""], "the code name is empty", 1),
    (["codebook", "rename", CODE, "a\x1bb"], "contains control characters", 1),
    (["codebook", "rename", CODE, "Bedreiging van familie"], "exists already", 1),
    (["codebook", "edit", "Nope", "--definition", "x"], "no code or theme 'Nope'", 1),
    (["codebook", "edit", CODE], "nothing to change", 2),
    (["codebook", "edit", CODE, "--colour", "banana"], "'banana' is not a colour", 1),
    (["codebook", "edit", CODE, "--definition", "x\x00y"], "control characters", 1),
    (["codebook", "edit", CODE, "--memo", "\x07"], "control characters", 1),
    (["codebook", "move", "Nope", "--theme", THEME], "no code or theme 'Nope'", 1),
    (["codebook", "move", CODE, "--theme", "Nope"], "no code or theme 'Nope'", 1),
    (["codebook", "move", CODE, "--theme", "Bedreiging van familie"], "is a code", 1),
    (["codebook", "move", THEME, "--theme", THEME], "cannot be put under itself", 1),
    (["codebook", "move", CODE], "give --theme THEME or --no-theme", 2),
    (["codebook", "merge", CODE, "Nope"], "no code or theme 'Nope'", 1),
    (["codebook", "merge", CODE, CODE], "cannot be merged into itself", 1),
    (["codebook", "merge", CODE, THEME], "merge codes into codes", 1),
    (["codebook", "split", CODE, "Nieuw", "--codings", "nope"], "no coding 'nope'", 1),
    (["codebook", "split", CODE, "", "--codings", "nope"], "the code name is empty", 1),
    (["codebook", "split", CODE, "Nieuw", "--codings", ","], "name the codings", 1),
    (["codebook", "delete", "Nope"], "no code or theme 'Nope'", 1),
    (["codebook", "delete", CODE], "has 8 coding(s)", 1),
    (["codebook", "check", "--threshold", "500"], "not in the range", 2),
    (["codebook", "check", "--threshold", "-3"], "not in the range", 2),
    (["codebook", "import", "--theirs", "--ours"], "exclude each other", 2),
]


@pytest.mark.parametrize(("args", "message", "code"), BAD_ARGS, ids=[" ".join(a[0][1:3]) + f" {i}" for i, a in enumerate(BAD_ARGS)])
def test_bad_codebook_arguments(sample_project: Project, args: list[str], message: str, code: int) -> None:
    refused(sample_project, *args, message=message, code=code)


def test_export_into_a_missing_folder_is_refused(sample_project: Project, tmp_path: Path) -> None:
    for name in ("book.yaml", "book.qdc"):
        target = tmp_path / "typo" / "folder" / name
        refused(sample_project, "codebook", "export", str(target), message="does not exist", path=target)
        assert not (tmp_path / "typo").exists()
    refused(sample_project, "codebook", "export", str(tmp_path / "book.json"), message="a codebook file is")


def test_refused_codebook_import_keeps_the_sync_base(sample_project: Project, tmp_path: Path) -> None:
    """After a refused import, the three-way merge base is what it was: re-importing the
    project's own file still changes nothing."""
    bad = _write(tmp_path, "codebook.yaml", HEAD + "- name: A\n  codes: 5\n")
    before = snapshot(sample_project)
    assert run(sample_project, "codebook", "import", str(bad)).exit_code == 1
    result = run(sample_project, "codebook", "import")
    assert result.exit_code == 0 and "already up to date" in result.output, result.output
    assert snapshot(sample_project)[0] == before[0]
