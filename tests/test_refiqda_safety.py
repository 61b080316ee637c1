"""Untrusted REFI-QDA archives and XML: every malicious case is refused, nothing is written."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.formats import safety
from workbench.formats.safety import UnsafeArchiveError
from workbench.services.exchange.codebook import read_qdc
from workbench.services.exchange.project_import import import_qdpx

MINIMAL_QDE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Users>'
    '<User guid="11111111-1111-1111-1111-111111111111" name="eve"/></Users></Project>'
)


def make_zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def assert_refused(archive: Path, tmp_path: Path, needle: str) -> None:
    target = tmp_path / "new-project"
    with pytest.raises(UnsafeArchiveError) as err:
        import_qdpx(archive, target=target, coder="anna")
    assert needle in str(err.value)
    assert str(archive) in str(err.value)
    assert not target.exists(), "a refused archive must leave nothing behind"


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "slip.qdpx", [("project.qde", MINIMAL_QDE.encode()), ("sources/../../evil.txt", b"x")])
    assert_refused(archive, tmp_path, "outside the target folder")


def test_backslash_zip_slip_is_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("sources\\..\\..\\evil.txt")
    archive = make_zip(tmp_path / "slip2.qdpx", [("project.qde", MINIMAL_QDE.encode()), (info, b"x")])
    assert_refused(archive, tmp_path, "outside the target folder")


def test_absolute_path_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "abs.qdpx", [("project.qde", MINIMAL_QDE.encode()), ("/etc/cron.d/evil", b"x")])
    assert_refused(archive, tmp_path, "absolute path")


def test_drive_letter_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "drive.qdpx", [("project.qde", MINIMAL_QDE.encode()), ("C:/evil.txt", b"x")])
    assert_refused(archive, tmp_path, "drive letter")


def test_symlink_entry_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("sources/passwd.txt")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(tmp_path / "link.qdpx", [("project.qde", MINIMAL_QDE.encode()), (link, b"/etc/passwd")])
    assert_refused(archive, tmp_path, "symbolic link")


def test_oversized_entry_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_ENTRY_BYTES", 1000)
    archive = make_zip(tmp_path / "big.qdpx", [("project.qde", MINIMAL_QDE.encode()), ("sources/big.txt", b"y" * 5000)])
    assert_refused(archive, tmp_path, "at most 1,000 per entry")


def test_oversized_total_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 3000)
    members = [("project.qde", MINIMAL_QDE.encode())] + [(f"sources/{i}.txt", b"z" * 1000) for i in range(4)]
    assert_refused(make_zip(tmp_path / "total.qdpx", members), tmp_path, "add up to more than")


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    # 4 MB of zeros deflate to a few kB: a ratio far above the limit.
    archive = make_zip(tmp_path / "bomb.qdpx", [("project.qde", MINIMAL_QDE.encode()), ("sources/bomb.txt", b"\0" * (4 * 2**20))])
    info = zipfile.ZipFile(archive).getinfo("sources/bomb.txt")
    assert info.file_size / info.compress_size > safety.MAX_RATIO
    assert_refused(archive, tmp_path, "zip bomb")


def test_too_many_entries_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_ENTRIES", 20)
    members = [("project.qde", MINIMAL_QDE.encode())] + [(f"sources/{i}.txt", b"t") for i in range(25)]
    assert_refused(make_zip(tmp_path / "many.qdpx", members), tmp_path, "at most 20 are accepted")


def test_duplicate_entry_names_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "dup.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", MINIMAL_QDE)
        zf.writestr("Project.qde", MINIMAL_QDE)
    assert_refused(archive, tmp_path, "two archive entries")


def test_member_larger_than_its_header_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "lying.qdpx", [("project.qde", MINIMAL_QDE.encode())])
    data = bytearray(archive.read_bytes())
    # shrink the declared uncompressed size in the central directory (and local header)
    info = zipfile.ZipFile(archive).getinfo("project.qde")
    real = info.file_size.to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    assert data.count(real) >= 1
    data = bytes(data).replace(real, fake)
    archive.write_bytes(data)
    with pytest.raises(WorkbenchError):
        import_qdpx(archive, target=tmp_path / "p", coder="anna")
    assert not (tmp_path / "p").exists()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol4;"/>"""


def test_xxe_external_entity_in_project_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "xxe.qdpx", [("project.qde", XXE)])
    assert_refused(archive, tmp_path, "DTD")


def test_billion_laughs_in_project_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "laughs.qdpx", [("project.qde", BILLION_LAUGHS)])
    assert_refused(archive, tmp_path, "DTD")


def test_xxe_in_codebook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.qdc"
    path.write_bytes(XXE.replace(b"Project", b"CodeBook"))
    with pytest.raises(UnsafeArchiveError, match="DTD"):
        read_qdc(path)


def test_billion_laughs_in_codebook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.qdc"
    path.write_bytes(BILLION_LAUGHS.replace(b"Project", b"CodeBook"))
    with pytest.raises(UnsafeArchiveError, match="DTD"):
        read_qdc(path)


def test_absurd_nesting_is_refused(tmp_path: Path) -> None:
    depth = safety.MAX_XML_DEPTH + 10
    code = '<Code guid="{g}" name="c" isCodable="true">'
    body = "".join(code.format(g=f"{i:08x}-0000-0000-0000-000000000000") for i in range(depth)) + "</Code>" * depth
    path = tmp_path / "deep.qdc"
    path.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{body}</Codes></CodeBook>', encoding="utf-8")
    with pytest.raises(UnsafeArchiveError, match="levels deep"):
        read_qdc(path)


def test_not_a_zip_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.qdpx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="not a ZIP file"):
        import_qdpx(path, target=tmp_path / "p", coder="anna")
    assert not (tmp_path / "p").exists()


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bad.qdpx", [("project.qde", b'<Project name="x">\n<Users>\n</Project>')])
    with pytest.raises(WorkbenchError, match="not well-formed") as err:
        import_qdpx(archive, target=tmp_path / "p", coder="anna")
    assert err.value.line == 3


def test_source_path_escaping_the_sources_folder_is_not_followed(tmp_path: Path) -> None:
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        '<TextSource guid="22222222-2222-2222-2222-222222222222" name="t" '
        'plainTextPath="internal://../project.qde"/>'
        '<TextSource guid="33333333-3333-3333-3333-333333333333" name="abs" '
        'plainTextPath="absolute:///etc/passwd"/></Sources></Project>'
    )
    archive = make_zip(tmp_path / "ref.qdpx", [("project.qde", qde.encode())])
    result = import_qdpx(archive, target=tmp_path / "p", coder="anna")
    assert result.transcripts == []
    lost = "\n".join(result.report.not_carried)
    assert "source 't'" in lost and "not in the archive" in lost
    assert "external files are never read" in lost


def test_refused_archive_leaves_an_existing_project_untouched(project, add_transcript, tmp_path: Path) -> None:
    add_transcript("INT01")
    before = project.db.execute("select count(*) from changes").fetchone()[0]
    archive = make_zip(tmp_path / "slip.qdpx", [("project.qde", MINIMAL_QDE.encode()), ("../x", b"x")])
    with pytest.raises(UnsafeArchiveError):
        import_qdpx(archive, project=project, coder="anna")
    assert project.db.execute("select count(*) from changes").fetchone()[0] == before
    assert not (project.root / "exports" / "backups").exists()
