"""Reading untrusted REFI-QDA archives and XML safely, in memory.

A ``.qdpx`` is a ZIP archive from another program (or from anyone). Before a single byte is
decompressed the whole table of contents is checked, and the archive is refused with a clear
message when an entry:

- would land outside the target folder (``../``), has an absolute path or a drive letter,
- is a symbolic link (Unix mode in the external attributes), or is encrypted,
- is larger than :data:`MAX_ENTRY_BYTES`, or all entries together exceed :data:`MAX_TOTAL_BYTES`,
- compresses better than :data:`MAX_RATIO` to one (a zip bomb),
- or when there are more than :data:`MAX_ENTRIES` entries, or two entries share a name.

Members are never extracted to disk: :class:`Archive` reads the few members an import needs into
memory, with a bounded read that also catches headers that lie about sizes. XML is parsed with
``defusedxml`` with DTDs forbidden, which refuses external entities (XXE) and entity expansion
(billion laughs) without any hand-written checks.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from workbench.errors import WorkbenchError

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 2**31 - 1  # the standard's own limit for an internal file (§8.5)
MAX_TOTAL_BYTES = 8 * 2**30
MAX_READ_BYTES = 200 * 2**20  # a member read into memory (project.qde, a .txt source)
MAX_READ_TOTAL = 1 * 2**30  # all members read into memory together
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1 * 2**20
MAX_XML_BYTES = MAX_READ_BYTES
MAX_XML_DEPTH = 200  # nesting of Code elements etc. walked recursively


class UnsafeArchiveError(WorkbenchError):
    """The archive or its XML is refused for safety; nothing was read from it or written."""


@dataclass
class Archive:
    """A checked ZIP archive whose members are read into memory on demand."""

    path: Path
    _zip: zipfile.ZipFile
    names: list[str] = field(default_factory=list)  # normalised (``/``), in archive order
    _by_lower: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    _read_total: int = 0

    def find(self, name: str) -> str | None:
        """The member matching ``name`` case-insensitively (``Sources/`` = ``sources/``)."""
        info = self._by_lower.get(_normalise(name).lower())
        return _normalise(info.filename) if info is not None else None

    def read(self, name: str, *, limit: int = MAX_READ_BYTES) -> bytes:
        """The bytes of member ``name`` (as found by :meth:`find`), read in memory."""
        info = self._by_lower.get(_normalise(name).lower())
        if info is None:
            raise WorkbenchError(f"the archive has no member '{name}'", path=self.path)
        if info.file_size > limit:
            raise UnsafeArchiveError(
                f"member '{info.filename}' is {info.file_size:,} bytes; members read into memory "
                f"may be at most {limit:,} bytes",
                path=self.path,
            )
        if self._read_total + info.file_size > MAX_READ_TOTAL:
            raise UnsafeArchiveError(
                f"reading '{info.filename}' would take the text read from this archive over "
                f"{MAX_READ_TOTAL:,} bytes",
                path=self.path,
            )
        try:
            with self._zip.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise WorkbenchError(f"cannot read '{info.filename}' from the archive: {exc}", path=self.path) from exc
        except RuntimeError as exc:  # encrypted member: zipfile asks for a password
            raise UnsafeArchiveError(f"cannot read '{info.filename}': {exc}", path=self.path) from exc
        if len(data) > info.file_size:
            raise UnsafeArchiveError(
                f"member '{info.filename}' holds more data than its header says (a zip bomb?)",
                path=self.path,
            )
        self._read_total += len(data)
        return data

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _normalise(name: str) -> str:
    return name.replace("\\", "/")


def check_member_name(name: str) -> str | None:
    """Why the entry name ``name`` is unsafe, or None when it is safe."""
    norm = _normalise(name)
    if "\x00" in norm:
        return "its name contains a NUL character"
    if norm.startswith("/"):
        return "it has an absolute path"
    if len(norm) >= 2 and norm[1] == ":" and norm[0].isalpha():
        return "it has a drive letter (absolute path)"
    if any(part == ".." for part in PurePosixPath(norm).parts) or any(
        p == ".." for p in norm.split("/")
    ):
        return "it would land outside the target folder ('..')"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return bool(mode) and stat.S_ISLNK(mode)


def open_archive(path: Path | str) -> Archive:
    """Open and check a ``.qdpx`` (any ZIP); raise :class:`UnsafeArchiveError` if it is unsafe."""
    path = Path(path)
    if not path.is_file():
        raise WorkbenchError("no such file", path=path)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise WorkbenchError(f"not a REFI-QDA project archive (not a ZIP file: {exc})", path=path) from exc
    except OSError as exc:
        raise WorkbenchError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise UnsafeArchiveError(
                f"the archive has {len(infos):,} entries; at most {MAX_ENTRIES:,} are accepted",
                path=path,
            )
        archive = Archive(path, zf)
        total = 0
        for info in infos:
            problem = check_member_name(info.filename)
            if problem is None and _is_symlink(info):
                problem = "it is a symbolic link"
            if problem is None and info.flag_bits & 0x1:
                problem = "it is encrypted"
            if problem is None and info.file_size > MAX_ENTRY_BYTES:
                problem = f"it is {info.file_size:,} bytes (at most {MAX_ENTRY_BYTES:,} per entry)"
            if problem is None and info.file_size > RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > MAX_RATIO:
                    problem = (
                        f"it expands {ratio:,.0f} times ({info.compress_size:,} -> "
                        f"{info.file_size:,} bytes; at most {MAX_RATIO} times: a zip bomb?)"
                    )
            if problem:
                raise UnsafeArchiveError(f"refused: archive entry {info.filename!r}: {problem}", path=path)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise UnsafeArchiveError(
                    f"refused: the entries add up to more than {MAX_TOTAL_BYTES:,} bytes", path=path
                )
            norm = _normalise(info.filename)
            key = norm.lower()
            if key in archive._by_lower:
                raise UnsafeArchiveError(f"refused: two archive entries are named {norm!r}", path=path)
            archive._by_lower[key] = info
            archive.names.append(norm)
        return archive
    except BaseException:
        zf.close()
        raise


def parse_xml(data: bytes, *, path: Path | str | None = None, what: str = "XML") -> Element:
    """Parse untrusted XML: DTDs, entities and external references are refused."""
    import defusedxml
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_XML_BYTES:
        raise UnsafeArchiveError(f"the {what} is {len(data):,} bytes (at most {MAX_XML_BYTES:,})", path=path)
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise UnsafeArchiveError(
            f"refused: the {what} declares a DTD (<!DOCTYPE …>); REFI-QDA files have none, and a DTD "
            "can define external or expanding entities",
            path=path,
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise UnsafeArchiveError(f"refused: the {what} declares entities ({exc.name})", path=path) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise UnsafeArchiveError(f"refused: the {what} refers to an external resource", path=path) from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise WorkbenchError(f"the {what} is not well-formed XML: {exc}", path=path, line=line) from exc


def read_xml_file(path: Path | str, *, what: str = "codebook") -> Element:
    """Read and parse an XML file from disk (e.g. a ``.qdc``) with the same limits."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_XML_BYTES:
            raise UnsafeArchiveError(f"the {what} is {size:,} bytes (at most {MAX_XML_BYTES:,})", path=path)
        from workbench.files import read_input

        data = read_input(path, limit=MAX_XML_BYTES)
    except FileNotFoundError as exc:
        raise WorkbenchError("no such file", path=path) from exc
    except OSError as exc:
        raise WorkbenchError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    return parse_xml(data, path=path, what=what)


def check_depth(root: Element, *, path: Path | str | None = None) -> None:
    """Refuse absurdly deep nesting before anything walks the tree recursively."""
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise UnsafeArchiveError(f"refused: the XML nests more than {MAX_XML_DEPTH} levels deep", path=path)
        stack.extend((child, depth + 1) for child in el)
