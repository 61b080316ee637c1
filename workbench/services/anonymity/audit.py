"""The anonymity audit of a project: flags, the allow list, and decisions on each flag.

:func:`run_audit` runs the audit engine (:mod:`workbench.audit.engine`: deduce, pattern
detectors, and the model's named entities when a trained pipeline with ``ner`` is loaded) over
transcripts and stores what it finds in ``audit_flags``. Flags already decided stay decided on a
re-run; open flags that are no longer found (for example because their text was allowed) go.

The deny list (:mod:`workbench.services.anonymity.deny_list`) holds the team's local names, flagged
wherever they occur. The allow list (table ``allow_list``) holds terms that are fine to keep. It is seeded
automatically with the project's own municipalities, domains, roles and respondent labels and a
list of public bodies (Halt, Veilig Thuis, politie, …); an automatic term the user removes is not
seeded again.

A flag is decided by :func:`decide` (dismiss: it may stay) or :func:`replace`, which puts a
placeholder such as ``[naam]`` in the transcript and moves everything that points into the text
(turns, sentences with their text and lemmas, every coder's codings, other flags, quotes) so
that nothing moves off its words; all of it is one recorded change that ``undo`` reverts.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlite_utils

from workbench.audit.categories import label as category_label
from workbench.clock import now_iso
from workbench.errors import NotFoundError, WorkbenchError
from workbench.store.changes import ChangeSet, record

Progress = Callable[[int, int, str], None]

OPEN, DISMISSED, REPLACED = "open", "dismissed", "replaced"
DECISIONS = {"dismiss": DISMISSED, "dismissed": DISMISSED, "open": OPEN, "reopen": OPEN}

#: The placeholder put in the text for each category (Dutch, in square brackets as in reports).
PLACEHOLDERS: dict[str, str] = {
    "person": "[naam]",
    "place": "[plaats]",
    "address": "[adres]",
    "institution": "[instelling]",
    "school": "[school]",
    "date": "[datum]",
    "age": "[leeftijd]",
    "phone": "[telefoonnummer]",
    "email": "[e-mail]",
    "url": "[website]",
    "bsn": "[BSN]",
    "identifier": "[nummer]",
    "licence_plate": "[kenteken]",
    "social_handle": "[account]",
    "listed": "[lokale naam]",
    "entity": "[naam]",
}

#: Public bodies, platforms and big brands that name no one; always allowed unless the user
#: removes them.
PUBLIC_BODIES: tuple[str, ...] = (
    "Halt", "Veilig Thuis", "politie", "Nationale Politie", "gemeente", "de gemeente",
    "Raad voor de Kinderbescherming", "Jeugdbescherming", "Openbaar Ministerie", "OM", "GGD",
    "Jeugdreclassering", "Reclassering", "Reclassering Nederland", "Leger des Heils",
    "Centrum voor Jeugd en Gezin", "CJG", "wijkteam", "Sociaal Wijkteam", "Veiligheidshuis",
    "Zorg- en Veiligheidshuis", "RMC", "Belastingdienst", "UWV", "DUO", "Koninklijke Marechaussee",
    "Ministerie van Justitie en Veiligheid", "Jeugdzorg", "Nederland", "MS Teams", "Teams",
    "Snapchat", "Instagram", "TikTok", "WhatsApp", "Telegram", "Facebook", "YouTube",
    "Defensie", "Douane", "IND", "COA", "Rijksoverheid", "Justitie", "Slachtofferhulp",
    "Slachtofferhulp Nederland", "Sociale Verzekeringsbank", "SVB", "CAK", "CIZ", "DJI",
    "Dienst Justitiële Inrichtingen", "Kinderbescherming", "Rode Kruis", "Het Rode Kruis",
    "Voedselbank", "Excel", "Outlook", "PowerPoint",
    "Signal", "Discord", "Netflix", "Google", "Spotify", "Marktplaats", "Tikkie", "Bitcoin",
    # brands young people wear, carry or drive: they name no one
    "PlayStation", "Xbox", "iPhone", "AirPods", "Samsung", "Nike", "Adidas", "Gucci",
    "Louis Vuitton", "Canada Goose", "Moncler", "Stone Island", "The North Face", "Prada",
    "Balenciaga", "Audi", "BMW", "Mercedes", "Volkswagen",
    # more platforms, games and apps: where young people meet, not who they are
    "Snap", "Insta", "Twitter", "Twitch", "Reddit", "Pinterest", "LinkedIn", "BeReal",
    "Threads", "Tinder", "Roblox", "Fortnite", "Minecraft", "FIFA", "GTA", "Call of Duty",
    "Videoland", "Disney+", "Vinted", "Funda", "Apple", "Android", "Wmo", "Jeugdwet", "Verwijsindex",
)
AUTO_BY = "(automatic)"
REMOVED_KEY = "allow_list_removed"
RUN_KEY = "audit_last_run"


class FlaggedSpan(NamedTuple):
    """An open flag, as the quote export needs it."""

    start: int
    end: int
    category: str
    text: str
    id: str


@dataclass
class AuditSummary:
    transcripts: int = 0
    found: int = 0
    new: int = 0
    open: int = 0
    decided: int = 0
    removed: int = 0
    allowed: int = 0  #: flags the allow list left out
    denied: int = 0  #: flags the deny list gave
    unchanged: int = 0  #: transcripts not audited again (nothing changed since their audit)
    allow_size: int = 0  #: terms on the allow list
    deny_size: int = 0  #: terms on the deny list
    engine: str = ""
    per_transcript: dict[str, int] = field(default_factory=dict)

    def lists_line(self) -> str:
        """What the project's two lists did, e.g. "allow list (41 terms): 12 flag(s) left
        out · deny list (3 terms): 5 flag(s)"."""
        deny = (f"deny list ({self.deny_size} terms): {self.denied} flag(s)" if self.deny_size
                else "deny list: empty (add local names with 'workbench deny add' or "
                     "'workbench deny import FILE')")
        return (f"allow list ({self.allow_size} terms): {self.allowed} flag(s) left out · "
                + deny)


# -- the allow list -------------------------------------------------------------------------------

def _removed_auto(db: sqlite_utils.Database) -> set[str]:
    row = db.execute("select value from meta where key = ?", [REMOVED_KEY]).fetchone()
    try:
        return {t.casefold() for t in json.loads(row[0])} if row else set()
    except (ValueError, TypeError):
        return set()


def _set_removed_auto(db: sqlite_utils.Database, terms: set[str]) -> None:
    db.table("meta").upsert({"key": REMOVED_KEY, "value": json.dumps(sorted(terms), ensure_ascii=False)}, pk="key")


def automatic_terms(db: sqlite_utils.Database) -> list[str]:
    """The project's own municipalities, domains, roles and labels, and the public bodies."""
    terms: list[str] = list(PUBLIC_BODIES)
    for col in ("municipality", "domain", "role", "label"):
        terms.extend(r[0] for r in db.execute(f"select distinct [{col}] from transcripts").fetchall())
    out, seen = [], set()
    for term in terms:
        term = " ".join(str(term or "").split())
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            out.append(term)
    return out


def seed_allow_list(db: sqlite_utils.Database) -> list[str]:
    """Add the automatic terms that are missing (not those the user removed); returns them."""
    removed = _removed_auto(db)
    have = {r[0].casefold() for r in db.execute("select term from allow_list").fetchall()}
    added = [t for t in automatic_terms(db) if t.casefold() not in have and t.casefold() not in removed]
    if added:
        with db.atomic():
            db.table("allow_list").insert_all(
                ({"term": t, "added_by": AUTO_BY, "added_at": now_iso()} for t in added),
                ignore=True,
            )
    return added


def allow_terms(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("select term from allow_list order by term collate nocase")]


def list_allow(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    seed_allow_list(db)
    return list(db.query("select term, added_by, added_at from allow_list order by term collate nocase"))


def _clean_term(term: str) -> str:
    from workbench.textsafety import check_name

    cleaned = check_name(term or "", what="allow-list term")
    if len(cleaned) > 200:
        raise WorkbenchError("the allow-list term is too long (200 characters at most)")
    return cleaned


def allow_add(db: sqlite_utils.Database, coder: str, term: str) -> dict[str, Any]:
    """Allow ``term`` everywhere in the project (open flags on it go at the next audit run)."""
    term = _clean_term(term)
    existing = db.execute("select term from allow_list where lower(term) = lower(?)", [term]).fetchone()
    if existing:
        return db.table("allow_list").get(existing[0])
    with record(db, coder, "allow.add", f"allow '{term}' in the anonymity audit") as cs:
        row = cs.insert("allow_list", {"term": term, "added_by": coder, "added_at": now_iso()})
        removed = _removed_auto(db)
        if term.casefold() in removed:
            _set_removed_auto(db, removed - {term.casefold()})
    _drop_open_flags_on(db, [term])
    return row


def allow_remove(db: sqlite_utils.Database, coder: str, term: str) -> dict[str, Any]:
    term = _clean_term(term)
    existing = db.execute("select term from allow_list where lower(term) = lower(?)", [term]).fetchone()
    if existing is None:
        raise NotFoundError(f"'{term}' is not on the allow list (see 'workbench allow list')")
    with record(db, coder, "allow.remove", f"no longer allow '{existing[0]}'") as cs:
        row = cs.delete("allow_list", existing[0])
        if row["added_by"] == AUTO_BY:
            _set_removed_auto(db, _removed_auto(db) | {existing[0].casefold()})
    return row


def _drop_open_flags_on(db: sqlite_utils.Database, terms: list[str]) -> int:
    """Delete open flags whose text is now an allowed term (they would not be found again)."""
    folded = {" ".join(t.split()).casefold() for t in terms}
    gone: list[str] = []
    for fid, text in db.execute("select id, text from audit_flags where decision = 'open'").fetchall():
        if " ".join((text or "").split()).casefold() in folded:
            gone.append(fid)
    if gone:
        with db.atomic():
            for fid in gone:
                db.execute("delete from audit_flags where id = ?", [fid])
    return len(gone)


# -- running the audit ---------------------------------------------------------------------------

def _new_flag_id(db: sqlite_utils.Database) -> str:
    while True:
        fid = secrets.token_hex(4)
        if db.execute("select 1 from audit_flags where id = ?", [fid]).fetchone() is None:
            return fid


def _transcript_ids(db: sqlite_utils.Database, transcripts: Iterable[str] | None) -> list[str]:
    from workbench.services.transcripts.library import resolve_transcript

    if transcripts is None:
        return [r[0] for r in db.execute("select id from transcripts order by date, id")]
    return [resolve_transcript(db, ref)["id"] for ref in transcripts]


def _model_entities(text: str) -> list[tuple[int, int, str]]:
    from workbench.nlp.pipeline import entities, has_ner

    if not has_ner() or not text.strip():
        return []
    return entities([text])[0]


def engine_description(use_deduce: bool = True) -> str:
    from workbench.nlp.pipeline import get_pipeline, has_ner

    model = f"model NER ({get_pipeline()[1].name})" if has_ner() else ""
    parts = ["deduce" if use_deduce else "", "patterns", model]
    return " + ".join(p for p in parts if p)


def run_audit(
    project: Any,
    transcripts: Iterable[str] | None = None,
    progress: Progress | None = None,
    *,
    use_deduce: bool = True,
    recheck: bool = False,
    jobs: int | None = None,
) -> AuditSummary:
    """Audit ``transcripts`` (ids or labels; default all) and store the flags.

    ``project`` is a :class:`~workbench.project.Project` (or a database). Returns counts.

    A transcript whose audit inputs are what they were at its last audit (its text, the allow
    and deny lists, the detectors' code, deduce on or off, the model) is not audited again: its
    flags stand as stored (``summary.unchanged`` counts them). ``recheck=True`` audits every
    transcript all the same.

    Transcripts are audited over ``jobs`` processes (default: the CPUs, at most four; see
    :mod:`workbench.audit.pool`) where the work is big enough; each one's flags are stored as
    it comes, in its own transaction, so a stopped audit keeps what it finished.
    """
    from workbench.audit.engine import AuditCounts
    from workbench.services.anonymity.deny_list import deny_terms

    db = project.db if hasattr(project, "db") else project
    ids = _transcript_ids(db, transcripts)  # a bad reference fails before anything is written
    seed_allow_list(db)
    allow = allow_terms(db)
    deny = deny_terms(db)
    counts = AuditCounts()
    summary = AuditSummary(transcripts=len(ids), engine=engine_description(use_deduce))
    setup = _inputs_key(allow, deny, summary.engine)
    todo: list[tuple[str, str, str]] = []  # (transcript, text, inputs key)
    for n, tid in enumerate(ids):
        text = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
        key = hashlib.sha256(f"{setup}\0{text}".encode()).hexdigest()
        before = None if recheck else _last_audit(db, tid)
        if before is not None and before.get("key") == key and before.get("rows") == _flag_rows(db, tid):
            if progress:
                progress(n, len(ids), f"unchanged {tid}")
            summary.unchanged += 1
            summary.found += int(before.get("found", 0))
            counts.allowed += int(before.get("allowed", 0))
            counts.denied += int(before.get("denied", 0))
            summary.per_transcript[tid] = int(before.get("found", 0))
            continue
        todo.append((tid, text, key))
    done = summary.unchanged
    for (tid, _text, key), (found, mine) in zip(todo, _audit_texts(todo, allow, deny, use_deduce,
                                                                    jobs), strict=False):
        counts.allowed += mine.allowed
        counts.denied += mine.denied
        summary.found += len(found)
        new = _store_flags(db, tid, found, last={"key": key, "found": len(found),
                                                 "allowed": mine.allowed, "denied": mine.denied})
        summary.new += new[0]
        summary.removed += new[1]
        summary.per_transcript[tid] = len(found)
        done += 1
        if progress:
            progress(done, len(ids), f"audited {tid}")
    summary.allowed, summary.denied = counts.allowed, counts.denied
    summary.allow_size, summary.deny_size = len(allow), len(deny)
    with db.atomic():
        db.table("meta").upsert({"key": RUN_KEY, "value": now_iso()}, pk="key")
    summary.open = db.execute("select count(*) from audit_flags where decision = 'open'").fetchone()[0]
    summary.decided = db.execute("select count(*) from audit_flags where decision != 'open'").fetchone()[0]
    if progress:
        progress(len(ids), len(ids), "done")
    return summary


def _audit_texts(todo: list[tuple[str, str, str]], allow: list[str], deny: list[tuple[str, str]],
                 use_deduce: bool, jobs: int | None) -> Iterator[tuple[list[Any], Any]]:
    """``(flags, counts)`` for each transcript to audit, in order: over several processes
    (:func:`~workbench.audit.pool.audit_many`) unless a trained model's entities are part of
    the audit (the model is loaded in this process only)."""
    from workbench.audit.engine import AuditCounts, audit_text
    from workbench.audit.pool import audit_many
    from workbench.nlp.pipeline import has_ner

    with_model = has_ner()
    texts = [text for _tid, text, _key in todo]
    results = (audit_many(texts, allow=allow, deny=deny, use_deduce=use_deduce, jobs=jobs)
               if not with_model else None)
    for tid, text, _key in todo:
        try:
            if results is not None:
                yield next(results)
                continue
            mine = AuditCounts()
            found = audit_text(text, allow=allow, nlp_entities=_model_entities(text),
                               use_deduce=use_deduce, deny=deny, counts=mine)
            yield found, mine
        except WorkbenchError:
            raise
        except StopIteration:
            raise WorkbenchError(f"the anonymity audit stopped before transcript {tid}") from None
        except Exception as exc:  # deduce failed to load or crashed on this text
            raise WorkbenchError(f"the anonymity audit failed on transcript {tid}: {exc}") from exc


AUDITED_PREFIX = "audit_inputs:"


def _inputs_key(allow: list[str], deny: list[tuple[str, str]], engine: str) -> str:
    """What, besides the text, decides an audit's outcome: the lists, the engine and the
    detectors' own code (a new workbench version audits again)."""
    from workbench.audit.engine import rules_fingerprint

    lists = json.dumps([sorted(allow), sorted(deny)], ensure_ascii=False)
    return f"{rules_fingerprint()}\0{engine}\0{lists}"


def _flag_rows(db: sqlite_utils.Database, tid: str) -> int:
    """How many flag rows a transcript has (a skipped audit trusts them only while this is
    what it was)."""
    return int(db.execute("select count(*) from audit_flags where transcript_id = ?", [tid]).fetchone()[0])


def _last_audit(db: sqlite_utils.Database, tid: str) -> dict[str, Any] | None:
    row = db.execute("select value from meta where key = ?", [AUDITED_PREFIX + tid]).fetchone()
    try:
        return json.loads(row[0]) if row else None
    except ValueError:
        return None


def _store_flags(db: sqlite_utils.Database, tid: str, found: list[Any], *,
                 last: dict[str, Any] | None = None) -> tuple[int, int]:
    """Merge found flags into the table and remember the audit's inputs (``last``, for
    :func:`run_audit` to skip an unchanged transcript); returns (new flags, open flags
    removed)."""
    existing = list(db.table("audit_flags").rows_where("transcript_id = ?", [tid]))
    by_key = {(r["start"], r["end"], r["text"]): r for r in existing}
    decided = [r for r in existing if r["decision"] != OPEN]
    seen: set[str] = set()
    new = 0
    with db.atomic():
        for flag in found:
            old = by_key.get((flag.start, flag.end, flag.text))
            if old is not None:
                seen.add(old["id"])
                if old["decision"] == OPEN and (old["category"], old["source"]) != (flag.category, flag.source):
                    db.table("audit_flags").update(old["id"], {"category": flag.category, "source": flag.source})
                continue
            # A decided flag covering this span (e.g. a replaced name) is not raised again.
            if any(r["start"] <= flag.start and flag.end <= r["end"] and r["decision"] == REPLACED for r in decided):
                continue
            db.table("audit_flags").insert({
                "id": _new_flag_id(db), "transcript_id": tid, "start": flag.start, "end": flag.end,
                "category": flag.category, "text": flag.text, "source": flag.source,
                "decision": OPEN, "placeholder": None, "decided_by": None, "decided_at": None,
            })
            new += 1
        stale = [r["id"] for r in existing if r["decision"] == OPEN and r["id"] not in seen]
        for fid in stale:
            db.execute("delete from audit_flags where id = ?", [fid])
        if last is not None:
            last["rows"] = _flag_rows(db, tid)
            db.table("meta").upsert({"key": AUDITED_PREFIX + tid, "value": json.dumps(last)}, pk="key")
    return new, len(stale)


# -- reading flags ---------------------------------------------------------------------------------

def get_flag(db: sqlite_utils.Database, flag_id: str) -> dict[str, Any]:
    flag_id = (flag_id or "").strip()
    rows = list(db.query("select * from audit_flags where id = ?", [flag_id]))
    if not rows and len(flag_id) >= 3:
        rows = list(db.query("select * from audit_flags where id like ?", [flag_id + "%"]))
        if len(rows) > 1:
            raise WorkbenchError(f"flag id '{flag_id}' is ambiguous; give more characters")
    if not rows:
        raise NotFoundError(f"no audit flag '{flag_id}' (see 'workbench audit')")
    return rows[0]


def list_flags(
    db: sqlite_utils.Database,
    *,
    transcript: str | None = None,
    decision: str | None = OPEN,
    width: int = 40,
) -> list[dict[str, Any]]:
    """Flags with their respondent label, context and ``category_label`` (the category in
    readable Dutch, e.g. "social-media-naam") (``decision=None``: all flags)."""
    where, args = [], []
    if transcript:
        where.append("f.transcript_id = ?")
        args.extend(_transcript_ids(db, [transcript]))
    if decision:
        where.append("f.decision = ?")
        args.append(decision)
    sql = ("select f.*, t.label, t.text as ttext from audit_flags f join transcripts t on t.id = f.transcript_id"
           + (" where " + " and ".join(where) if where else "")
           + " order by t.date, f.transcript_id, f.start")
    out = []
    for r in db.query(sql, args):
        text = r.pop("ttext")
        r["context"] = " ".join((text[max(0, r["start"] - width) : r["start"]] + "»"
                                 + text[r["start"] : r["end"]] + "«"
                                 + text[r["end"] : r["end"] + width]).split())
        r["suggested"] = PLACEHOLDERS.get(r["category"], "[weggelaten]")
        r["category_label"] = category_label(r["category"])
        out.append(r)
    return out


def flagged_spans(db: sqlite_utils.Database, transcript_id: str) -> list[FlaggedSpan]:
    """The open flags of a transcript, by start (for warnings when exporting quotes)."""
    return [
        FlaggedSpan(r["start"], r["end"], r["category"], r["text"], r["id"])
        for r in db.query(
            "select id, start, end, category, text from audit_flags where transcript_id = ? "
            "and decision = 'open' order by start, end",
            [transcript_id],
        )
    ]


# -- decisions ---------------------------------------------------------------------------------------

def decide(db: sqlite_utils.Database, coder: str, flag_id: str, decision: str) -> dict[str, Any]:
    """Dismiss a flag (``"dismiss"``: the text may stay) or open it again (``"open"``)."""
    target = DECISIONS.get((decision or "").strip().lower())
    if target is None:
        raise WorkbenchError(f"unknown decision '{decision}' (use 'dismiss' or 'open'; to replace the text use replace)")
    flag = get_flag(db, flag_id)
    if flag["decision"] == REPLACED:
        raise WorkbenchError(f"flag {flag['id']} was replaced by {flag['placeholder']}; undo the replacement instead")
    if flag["decision"] == target:
        return flag
    verb = "dismiss" if target == DISMISSED else "reopen"
    with record(db, coder, f"audit.{verb}", f"{verb} audit flag {flag['id']} ({flag['category']}: {flag['text'][:40]})") as cs:
        return cs.update("audit_flags", flag["id"], {
            "decision": target,
            "decided_by": coder if target != OPEN else None,
            "decided_at": now_iso() if target != OPEN else None,
        })


def _check_placeholder(placeholder: str) -> str:
    if placeholder is None or not placeholder.strip():
        raise WorkbenchError("the placeholder is empty")
    if "\n" in placeholder or "\r" in placeholder:
        raise WorkbenchError("the placeholder must be on one line")
    if len(placeholder) > 100:
        raise WorkbenchError("the placeholder is too long (100 characters at most)")
    return placeholder.strip()


def map_span(start: int, end: int, s: int, e: int, new_len: int) -> tuple[int, int]:
    """Where ``[start, end)`` lies after ``[s, e)`` is replaced by ``new_len`` characters.

    Text before the replaced span keeps its offsets and text after it shifts; a span that
    contains the replaced span grows or shrinks with it, and a span that starts or ends inside
    it takes in the whole replacement.
    """
    delta = new_len - (e - s)
    if start < s:
        new_start = start
    elif start >= e:
        new_start = start + delta
    else:
        new_start = s
    if end <= s:
        new_end = end
    elif end >= e:
        new_end = end + delta
    else:
        new_end = s + new_len
    return new_start, max(new_start, new_end)


def _overlaps(start: int, end: int, s: int, e: int) -> bool:
    return start < e and end > s


def _default_placeholder(flag: dict[str, Any], placeholder: str | None) -> str:
    return _check_placeholder(
        placeholder if placeholder is not None else PLACEHOLDERS.get(flag["category"], "[weggelaten]")
    )


def replace(
    db: sqlite_utils.Database, coder: str, flag_id: str, placeholder: str | None = None
) -> dict[str, Any]:
    """Replace a flagged span with ``placeholder`` (default by category, e.g. ``[naam]``).

    Edits the transcript text and moves turns, sentences (re-deriving the changed sentence's
    text and lemmas), every coder's codings, the other flags and quotes, in one recorded change.
    Returns the flag row after the change.
    """
    flag = get_flag(db, flag_id)
    if flag["decision"] == REPLACED:
        raise WorkbenchError(f"flag {flag['id']} was already replaced by {flag['placeholder']}")
    ph = _default_placeholder(flag, placeholder)
    with record(db, coder, "audit.replace",
                f"replace {flag['category']} in {flag['transcript_id']} [{flag['start']}:{flag['end']}] with {ph}") as cs:
        return _replace_in(cs, coder, flag, ph)


def replace_all(
    db: sqlite_utils.Database, coder: str, flag_id: str, placeholder: str | None = None
) -> list[dict[str, Any]]:
    """Replace this flag and every other open flag with the same text (ignoring case), in all
    transcripts, with one placeholder, as one recorded change. Returns the replaced flags."""
    flag = get_flag(db, flag_id)
    if flag["decision"] == REPLACED:
        raise WorkbenchError(f"flag {flag['id']} was already replaced by {flag['placeholder']}")
    ph = _default_placeholder(flag, placeholder)
    same = " ".join(flag["text"].split()).casefold()
    ids = [flag["id"]] + [
        r["id"] for r in db.query(
            "select id, text from audit_flags where decision = 'open' and id != ? order by transcript_id, start",
            [flag["id"]])
        if " ".join(r["text"].split()).casefold() == same
    ]
    out = []
    with record(db, coder, "audit.replace", f"replace every '{flag['text'][:40]}' ({len(ids)}×) with {ph}") as cs:
        for fid in ids:
            current = get_flag(db, fid)  # offsets moved by the replacements before it
            if current["decision"] == OPEN or fid == flag["id"]:
                out.append(_replace_in(cs, coder, current, ph))
        _coalesce(cs)
    return [get_flag(db, r["id"]) for r in out]


def _coalesce(cs: Any) -> None:
    """One recorded row per table row (its first 'before', its last 'after'), so that undo sees
    a row changed several times in this change set as changed once."""
    first: dict[tuple[str, str], int] = {}
    rows: list[tuple[str, list[Any], Any, Any]] = []
    for table, pk, before, after in cs.rows:
        key = (table, json.dumps(pk))
        if key in first:
            t, p, b, _a = rows[first[key]]
            rows[first[key]] = (t, p, b, after)
        else:
            first[key] = len(rows)
            rows.append((table, pk, before, after))
    cs.rows[:] = rows


def _replace_in(cs: ChangeSet, coder: str, flag: dict[str, Any], ph: str) -> dict[str, Any]:
    """The work of :func:`replace`, inside the change set ``cs``."""
    from workbench.nlp.sentences import lemmas_of
    from workbench.services.transcripts.segmenting import count_words
    from workbench.store.lemma_edits import encode as encode_lemmas

    db = cs.db
    tid = flag["transcript_id"]
    t = db.table("transcripts").get(tid)
    text = t["text"]
    s, e = flag["start"], flag["end"]
    if not (0 <= s < e <= len(text)) or text[s:e] != flag["text"]:
        raise WorkbenchError(
            f"flag {flag['id']} no longer matches the transcript text (the text changed since the "
            "audit ran); run 'workbench audit' again"
        )
    new_text = text[:s] + ph + text[e:]
    n = len(ph)

    def moved(row: dict[str, Any]) -> tuple[int, int]:
        return map_span(row["start"], row["end"], s, e, n)

    cs.update("transcripts", tid, {
        "text": new_text,
        "content_hash": hashlib.sha256(new_text.encode("utf-8")).hexdigest(),
        "word_count": count_words(new_text),
    })
    for row in list(db.query("select * from turns where transcript_id = ? and end >= ? order by idx", [tid, s])):
        ns, ne = moved(row)
        if (ns, ne) != (row["start"], row["end"]):
            cs.update("turns", [tid, row["idx"]], {"start": ns, "end": ne})
    for row in list(db.query("select * from sentences where transcript_id = ? and end >= ? order by idx", [tid, s])):
        ns, ne = moved(row)
        updates: dict[str, Any] = {}
        if (ns, ne) != (row["start"], row["end"]):
            updates.update(start=ns, end=ne)
        if _overlaps(row["start"], row["end"], s, e):
            updates["lemmas"], updates["lemma_edits"] = encode_lemmas(new_text[ns:ne], lemmas_of(new_text[ns:ne]))
        if updates:
            cs.update("sentences", [tid, row["idx"]], updates)
    for row in list(db.query("select * from codings where transcript_id = ? and end >= ?", [tid, s])):
        ns, ne = moved(row)
        if (ns, ne) != (row["start"], row["end"]):
            cs.update("codings", row["id"], {"start": ns, "end": ne})
        if _overlaps(row["start"], row["end"], s, e):
            for q in list(db.query("select id, text from quotes where coding_id = ?", [row["id"]])):
                if q["text"] and flag["text"] in q["text"]:
                    cs.update("quotes", q["id"], {"text": q["text"].replace(flag["text"], ph)})
    stamp = {"decided_by": coder, "decided_at": now_iso()}
    for row in list(db.query("select * from audit_flags where transcript_id = ? and end >= ? and id != ?", [tid, s, flag["id"]])):
        ns, ne = moved(row)
        updates = {}
        if (ns, ne) != (row["start"], row["end"]):
            updates.update(start=ns, end=ne, text=new_text[ns:ne])
        if _overlaps(row["start"], row["end"], s, e) and row["decision"] == OPEN:
            updates.update(decision=REPLACED, placeholder=ph, **stamp)
        if updates:
            cs.update("audit_flags", row["id"], updates)
    return cs.update("audit_flags", flag["id"], {
        "start": s, "end": s + n, "text": ph, "decision": REPLACED, "placeholder": ph, **stamp,
    })


def last_run(db: sqlite_utils.Database) -> str | None:
    row = db.execute("select value from meta where key = ?", [RUN_KEY]).fetchone()
    return row[0] if row else None


__all__ = [
    "PLACEHOLDERS", "PUBLIC_BODIES", "AuditSummary", "FlaggedSpan", "allow_add", "allow_remove",
    "allow_terms", "automatic_terms", "decide", "flagged_spans", "get_flag", "list_allow",
    "list_flags", "map_span", "replace", "replace_all", "run_audit", "seed_allow_list",
]
