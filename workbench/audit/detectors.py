"""Pattern detectors for identifying details that deduce does not (fully) cover.

Everything here is pure Python (``re`` only) and cheap to import. The detectors
are tuned for Dutch interviews with young people:

* social-media handles (``@naam_123``, ``snap: xyz``, ``insta xyz_12``),
* Dutch licence plates (all sidecodes 1-14, with dashes; without dashes only
  where the shape is unambiguous or after the word "kenteken"),
* school names (``het Da Vinci College``, ``ROC Midden Nederland``,
  ``Christelijk Lyceum Zeist``, ``Mariaschool``),
* BSN numbers that pass the eleven-test (``111222333``, ``111.222.333``),
* Dutch phone numbers (``06-12345678``, ``06 12 34 56 78``, ``+31 6 ...``,
  ``020-1234567``),
* e-mail addresses and URLs (a fallback for when deduce misses them),
* ages, also written in words (``zestien jaar``, ``een jongen van vijftien``,
  ``toen hij veertien was``), which deduce only finds as digits before "jaar".

All detectors return :class:`Flag` objects whose ``start``/``end`` are Python
string indices into the text that was passed in. :func:`merge_flags` combines
overlapping flags and keeps the most specific category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.audit.words import first_chunks, runs_holding, word_index

__all__ = [
    "CATEGORIES",
    "age_flags",
    "CATEGORY_PRIORITY",
    "SOURCES",
    "Flag",
    "bsn_flags",
    "email_flags",
    "is_sentence_start",
    "is_valid_bsn",
    "licence_plate_flags",
    "merge_flags",
    "pattern_flags",
    "phone_flags",
    "school_flags",
    "social_handle_flags",
    "url_flags",
    "number_value",
]

#: Every category a :class:`Flag` can have, from most to least specific.
#: When flags overlap, the category that comes first wins (see :func:`merge_flags`).
CATEGORIES: tuple[str, ...] = (
    "bsn",
    "email",
    "phone",
    "url",
    "licence_plate",
    "social_handle",
    "identifier",  # other long number (deduce tag "id"), e.g. a case number
    "address",
    "school",
    "date",
    "age",
    "institution",
    "person",
    "place",
    "listed",  # on the project's deny list without a category
    "entity",  # a name of unknown kind: a model entity, a capitalised word no list knows
)

#: Lower number = more specific.
CATEGORY_PRIORITY: dict[str, int] = {name: rank for rank, name in enumerate(CATEGORIES)}

#: Where a flag comes from, in order of preference when two flags tie.
SOURCES: tuple[str, ...] = ("list", "deduce", "pattern", "model")
_SOURCE_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SOURCES)}


@dataclass(frozen=True, slots=True)
class Flag:
    """A span of text that may identify someone.

    Attributes:
        start: Start index (Python ``str`` index) into the audited text.
        end: End index (exclusive) into the audited text.
        category: One of :data:`CATEGORIES`.
        text: ``audited_text[start:end]``.
        source: ``"deduce"``, ``"pattern"`` or ``"model"``.
    """

    start: int
    end: int
    category: str
    text: str
    source: str


def _flag(text: str, start: int, end: int, category: str) -> Flag:
    return Flag(start, end, category, text[start:end], "pattern")


# ---------------------------------------------------------------------------
# Merging
# ---------------------------------------------------------------------------


def _preference(flag: Flag) -> tuple[int, int, int, int]:
    # A term on the project's deny list is what the team says it is: its category wins.
    return (
        0 if flag.source == "list" else 1,
        CATEGORY_PRIORITY.get(flag.category, len(CATEGORIES)),
        -(flag.end - flag.start),
        _SOURCE_RANK.get(flag.source, len(SOURCES)),
    )


def merge_flags(flags: Iterable[Flag], text: str) -> list[Flag]:
    """Merge overlapping flags into one flag per overlapping cluster.

    Flags that overlap (share at least one character; merely touching flags are
    kept apart) are combined transitively into one flag that covers the union of
    their spans. The merged flag gets the category of the most specific flag in
    the cluster (see :data:`CATEGORIES`), except that a flag from the project's deny list
    (source ``list``) always wins; ties are broken by the longer span and
    then by source (deduce, pattern, model). The source is that of the winning
    flag and ``text`` is re-read from ``text``.

    Returns:
        The merged flags, sorted by start.
    """
    ordered = sorted(flags, key=lambda f: (f.start, -f.end))
    merged: list[Flag] = []
    cluster: list[Flag] = []
    cluster_end = -1

    def close() -> None:
        if not cluster:
            return
        best = min(cluster, key=_preference)
        start = cluster[0].start
        end = max(f.end for f in cluster)
        merged.append(Flag(start, end, best.category, text[start:end], best.source))

    for flag in ordered:
        if flag.end <= flag.start:
            continue
        if cluster and flag.start < cluster_end:
            cluster.append(flag)
            cluster_end = max(cluster_end, flag.end)
        else:
            close()
            cluster = [flag]
            cluster_end = flag.end
    close()
    return merged


def _overlaps(flag: Flag, others: Iterable[Flag]) -> bool:
    return any(flag.start < o.end and o.start < flag.end for o in others)


# ---------------------------------------------------------------------------
# BSN (burgerservicenummer)
# ---------------------------------------------------------------------------

_BSN_RE = re.compile(
    r"(?<![\w.,+\-])"
    r"(?:\d{9}|\d{3}\.\d{3}\.\d{3}|\d{4}\.\d{2}\.\d{3})"
    r"(?![\w\-]|[.,]\d)"
)


def is_valid_bsn(number: str) -> bool:
    """Return True if ``number`` (9 digits, dots allowed) passes the eleven-test.

    The eleven-test: ``9*d1 + 8*d2 + ... + 2*d8 - 1*d9`` must be divisible by
    11. ``000000000`` is not a valid BSN.
    """
    digits = number.replace(".", "")
    if len(digits) != 9 or not digits.isdigit() or digits == "0" * 9:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def bsn_flags(text: str) -> list[Flag]:
    """Flag 9-digit numbers (optionally dotted) that pass the eleven-test.

    A 9-digit number that fails the eleven-test is not flagged.
    """
    return [
        _flag(text, m.start(), m.end(), "bsn")
        for m in _BSN_RE.finditer(text)
        if is_valid_bsn(m.group())
    ]


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

# Where a phone number can start: +31 / 0031 (optionally followed by "(0)"), or
# the national trunk prefix 0 (optionally inside an area-code bracket).
_PHONE_START_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)31(?:[ .\-]?\(0\))?|\(?0(?=[1-9]))")
_PHONE_SEPARATORS = " .-/()"
_DATE_LIKE_RE = re.compile(r"\(?\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?!\d)")
_NSN_DIGITS = 9  # Dutch national significant number: 9 digits after the 0


def _scan_phone(text: str, pos: int) -> int | None:
    """Scan from ``pos`` for the 9 national digits; return the end index or None."""
    digits = 0
    i = pos
    n = len(text)
    while i < n:
        # Skip at most three separator characters (e.g. ") ", " -" or " - ").
        j = i
        while j < n and j - i < 3 and text[j] in _PHONE_SEPARATORS:
            j += 1
        if j < n and text[j] in _PHONE_SEPARATORS:
            return None
        if j >= n or not text[j].isdigit():
            return None
        if digits == 0 and text[j] == "0":
            return None
        digits += 1
        i = j + 1
        if digits == _NSN_DIGITS:
            if i < n and (text[i].isdigit() or text[i].isalpha()):
                return None
            return i
    return None


def phone_flags(text: str) -> list[Flag]:
    """Flag Dutch phone numbers.

    Recognised: ``06-12345678``, ``06 12 34 56 78``, ``06 - 12 345 678``, ``0612345678``,
    ``+31 6 12345678``, ``+31 (0)6-12345678``, ``0031 6 ...``,
    ``020-1234567``, ``(020) 123 45 67``, ``0135-123456``. Short service
    numbers (``0800-1234``, ``0900-8844``) are not flagged (they are public).
    Date-like strings (``06-03-2023``) are skipped.
    """
    flags: list[Flag] = []
    pos = 0
    while True:
        m = _PHONE_START_RE.search(text, pos)
        if m is None:
            break
        end = _scan_phone(text, m.end())
        if end is not None and not _DATE_LIKE_RE.match(text, m.start()):
            flags.append(_flag(text, m.start(), end, "phone"))
            pos = end
        else:
            pos = m.start() + 1
    return flags


# ---------------------------------------------------------------------------
# E-mail and URLs (fallback for deduce)
# ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[^\W_](?:[\w.%+\-]*\w)?"  # the local part may hold any letter ("oztürk")
    r"@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w@])"
)

# Bare domains ("site.nl/x") need a lowercase top-level domain from this list, so
# a missing space after a full stop ("zei hij.De volgende") is not taken for a URL.
_TLDS = "nl|be|com|org|net|eu|io|info|app|tv|online|site"
_URL_RE = re.compile(
    r"(?i:\bhttps?://|\bwww\.)[^\s<>\"'`]+"
    r"|(?<![@\w.\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+(?:" + _TLDS + r")\b"
    r"(?![@\-])(?:/[^\s<>\"'`]*)?"
)
_TRAILING_PUNCT = ".,;:!?)]}'\"»”’"


_AT_RE = re.compile("@")
#: What every URL holds: "://", "www." or a dot before a letter or digit.
_URL_NEEDLE_RE = re.compile(r"://|\.\w")


def email_flags(text: str) -> list[Flag]:
    """Flag e-mail addresses."""
    return [_flag(text, m.start(), m.end(), "email")
            for lo, hi in runs_holding(text, _AT_RE) for m in _EMAIL_RE.finditer(text, lo, hi)]


def url_flags(text: str) -> list[Flag]:
    """Flag URLs: ``http(s)://...``, ``www....`` and bare domains (``site.nl/x``).

    Domains that are part of an e-mail address are not flagged as URL.
    """
    emails = email_flags(text)
    flags: list[Flag] = []
    for m in (m for lo, hi in runs_holding(text, _URL_NEEDLE_RE)
              for m in _URL_RE.finditer(text, lo, hi)):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _TRAILING_PUNCT:
            end -= 1
        if end <= start:
            continue
        flag = _flag(text, start, end, "url")
        if not _overlaps(flag, emails):
            flags.append(flag)
    return flags


# ---------------------------------------------------------------------------
# Social-media handles
# ---------------------------------------------------------------------------

_HANDLE = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
# "@name" not glued to a preceding word (so e-mail addresses are excluded) and
# not followed by more of an address.
_AT_HANDLE_RE = re.compile(r"(?<![\w.@+\-])@" + _HANDLE + r"(?![\w@]|\.\w)")

_PLATFORMS = (
    r"snap(?:chat)?|insta(?:gram)?|ig|tik ?tok|twitter|discord|telegram|facebook"
    r"|fb|youtube|yt|twitch|threads|bereal|pinterest|reddit|roblox|fortnite"
    r"|steam|psn|xbox|kik|onlyfans|signal|whatsapp|tellonym|yubo|vinted"
)
_PLATFORM_KEYS = first_chunks(("snap", "snapchat", "insta", "instagram", "ig", "tik", "tiktok",
                               "twitter", "discord", "telegram", "facebook", "fb", "youtube",
                               "yt", "twitch", "threads", "bereal", "pinterest", "reddit",
                               "roblox", "fortnite", "steam", "psn", "xbox", "kik", "onlyfans",
                               "signal", "whatsapp", "tellonym", "yubo", "vinted"))
_PLATFORM_RE = re.compile(
    r"(?i)\b(?:" + _PLATFORMS + r")\b"
    r"(?P<mid>[ \t]*(?:(?:account|naam|name|username|gebruikersnaam|handle|id)\b)?"
    r"[ \t]*(?P<sep>:|=|\bis\b|\bheet\b|\bwas\b)?[ \t]*)"
    r"(?P<handle>@?" + _HANDLE + r")(?![\w@]|\.\w)"
)

# Words that directly follow a platform name but are not a handle.
_HANDLE_STOPWORDS = frozenset(
    """
    al alleen als bij dan dat de die dit door echt een en gewoon haar heb heel
    het hij hun ik is je jij kan maar me meer mijn na naar nee niet nog nooit nu
    of ok ook op over priv privé staat te toen tot uit van voor was we weg wel
    wij zag ze zei zij zijn zo zoals account accounts story verhaal berichtje
    bericht berichten foto fotos filmpje filmpjes video dm dms gestuurd gezien
    gezet gevolgd volgen volgt gebruikt geen iets niks niets ja weet leuk hoor
    heeft had hebben kon moet wil zou gaat ging kwam geblokkeerd blokkeerde
    verwijderd gehackt gehacked open dicht anders hetzelfde zelf
    """.split()
)


def _is_handle_shaped(handle: str) -> bool:
    return any(ch.isdigit() or ch in "_." for ch in handle)


def social_handle_flags(text: str) -> list[Flag]:
    """Flag social-media handles.

    * ``@naam_123`` anywhere (but not the ``@`` of an e-mail address);
    * a handle after a platform name with an explicit separator or verb:
      ``snap: xyz``, ``insta = xyz``, ``zijn tiktok is xyz``,
      ``snapchat naam: xyz``;
    * a handle-shaped word (containing a digit, ``_`` or ``.``) directly after
      a platform name: ``insta kevin_2009``. Plain words after a platform name
      (``op insta gezien``) are not flagged.
    """
    flags = [
        _flag(text, m.start(), m.end(), "social_handle")
        for lo, hi in runs_holding(text, _AT_RE)
        for m in _AT_HANDLE_RE.finditer(text, lo, hi)
        if sum(ch.isalnum() for ch in m.group()) >= 2
    ]
    words = word_index(text)
    for m in words.matches(_PLATFORM_RE, words.starting(_PLATFORM_KEYS)):
        handle = m.group("handle")
        bare = handle.lstrip("@")
        explicit = m.group("sep") is not None or handle.startswith("@")
        if bare.lower() in _HANDLE_STOPWORDS or len(bare) < 2:
            continue
        if not (explicit or _is_handle_shaped(bare)):
            continue
        flags.append(_flag(text, m.start("handle"), m.end("handle"), "social_handle"))
    flags.extend(_handles_near_a_platform(text))
    return merge_flags(flags, text)


_PLATFORM_WORD_RE = re.compile(r"(?i)\b(?:" + _PLATFORMS + r"|account|profiel|gebruikersnaam)\b")
_PLATFORM_WORD_KEYS = _PLATFORM_KEYS | {"account", "profiel", "gebruikersnaam"}
_BARE_HANDLE_RE = re.compile(r"(?<![\w@./\-])[a-z0-9][a-z0-9_.]*[a-z0-9_](?![\w@]|[./\-]\w)")


def _handles_near_a_platform(text: str) -> list[Flag]:
    """Handle-shaped words (lower case, with ``_``, or letters with digits) in a sentence that
    names a platform or an account: "Op zijn Snap, jaydenn_x, stond alles", "op TikTok iets als
    mo.tb010"."""
    flags: list[Flag] = []
    words = word_index(text)
    for m in words.matches(_PLATFORM_WORD_RE, words.starting(_PLATFORM_WORD_KEYS)):
        lo = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        his = [i for i in (text.find(c, m.end()) for c in "!?\n") if i >= 0]
        hi = min(his) if his else len(text)
        for h in _BARE_HANDLE_RE.finditer(text, lo, hi):
            word = h.group()
            letters = sum(ch.isalpha() for ch in word)
            if letters < 2 or word in _HANDLE_STOPWORDS:
                continue
            if "_" in word or (any(ch.isdigit() for ch in word) and letters >= 2):
                flags.append(_flag(text, h.start(), h.end(), "social_handle"))
    return flags


# ---------------------------------------------------------------------------
# Licence plates (kentekens)
# ---------------------------------------------------------------------------

# Dutch sidecodes as (kind, length) blocks: L = letters, D = digits.
_SIDECODES: tuple[tuple[str, ...], ...] = (
    ("L2", "D2", "D2"),  # 1  XX-99-99
    ("D2", "D2", "L2"),  # 2  99-99-XX
    ("D2", "L2", "D2"),  # 3  99-XX-99
    ("L2", "D2", "L2"),  # 4  XX-99-XX
    ("L2", "L2", "D2"),  # 5  XX-XX-99
    ("D2", "L2", "L2"),  # 6  99-XX-XX
    ("D2", "L3", "D1"),  # 7  99-XXX-9
    ("D1", "L3", "D2"),  # 8  9-XXX-99
    ("L2", "D3", "L1"),  # 9  XX-999-X
    ("L1", "D3", "L2"),  # 10 X-999-XX
    ("L3", "D2", "L1"),  # 11 XXX-99-X
    ("L1", "D2", "L3"),  # 12 X-99-XXX
    ("D1", "L2", "D3"),  # 13 9-XX-999
    ("D3", "L2", "D1"),  # 14 999-XX-9
)


def _sidecode_regex(blocks: tuple[str, ...], sep: str) -> str:
    """Regex for one sidecode given as blocks like ("D2", "L3", "D1")."""
    return sep.join(
        ("[A-Z]" if block[0] == "L" else r"\d") + "{" + block[1:] + "}" for block in blocks
    )


_PLATE_BOUNDARY_BEFORE = r"(?<![\w\-])"
_PLATE_BOUNDARY_AFTER = r"(?![\w]|-\w)"
# With dashes: every sidecode, uppercase letters.
_PLATE_DASHED_RE = re.compile(
    _PLATE_BOUNDARY_BEFORE
    + "(?:"
    + "|".join(_sidecode_regex(code, "-") for code in _SIDECODES)
    + ")"
    + _PLATE_BOUNDARY_AFTER
)
# Without dashes: only the sidecodes with three alternating blocks of different
# lengths (7-14); "AB1234" (sidecode 1) looks too much like any other code.
_PLATE_DASHLESS_RE = re.compile(
    _PLATE_BOUNDARY_BEFORE
    + "(?:"
    + "|".join(_sidecode_regex(code, "") for code in _SIDECODES[6:])
    + ")"
    + _PLATE_BOUNDARY_AFTER
)
_DIGIT_RE = re.compile(r"\d")
# After the word "kenteken": any sidecode, any case, dashes/spaces optional.
_PLATE_CONTEXT_RE = re.compile(
    r"(?i)\bkenteken(?:plaat|nummer)?s?\b[ \t]*(?:(?:is|was|:)[ \t]*)?"
    r"(?P<plate>(?:"
    + "|".join(_sidecode_regex(code, r"[\- ]?") for code in _SIDECODES)
    + "))"
    + _PLATE_BOUNDARY_AFTER
)


def licence_plate_flags(text: str) -> list[Flag]:
    """Flag Dutch licence plates (kentekens).

    * with dashes, uppercase, any sidecode: ``12-ABC-3``, ``AB-123-C``,
      ``1-ABC-23``, ``AB-12-CD``;
    * without dashes, uppercase, sidecodes 7-14 only: ``12ABC3``, ``AB123C``;
    * after "kenteken(plaat)": any sidecode, any case, with/without dashes.
    """
    runs = runs_holding(text, _DIGIT_RE)  # every plate has a block of digits
    flags = [
        _flag(text, m.start(), m.end(), "licence_plate")
        for regex in (_PLATE_DASHED_RE, _PLATE_DASHLESS_RE)
        for lo, hi in runs
        for m in regex.finditer(text, lo, hi)
    ]
    words = word_index(text)
    flags.extend(
        _flag(text, m.start("plate"), m.end("plate"), "licence_plate")
        for m in words.matches(_PLATE_CONTEXT_RE, words.beginning_with(("kenteken",)))
    )
    return merge_flags(flags, text)


# ---------------------------------------------------------------------------
# School names
# ---------------------------------------------------------------------------

# Words that name a kind of school; they need a capitalised name next to them.
_SCHOOL_TYPES = frozenset(
    """
    college lyceum gymnasium atheneum school scholengemeenschap scholengroep
    schoolgemeenschap academie roc mbo hogeschool universiteit basisschool
    kindcentrum ikc mavo havo vmbo praktijkschool
    """.split()
)
# Compound words ending like this are a school name on their own
# ("Mariaschool", "Sint-Janscollege"), unless they are generic.
_SCHOOL_SUFFIXES = (
    "college",
    "lyceum",
    "gymnasium",
    "atheneum",
    "school",
    "scholengemeenschap",
    "scholengroep",
)
_GENERIC_SCHOOL_WORDS = frozenset(
    """
    basisschool hogeschool rijschool dansschool zwemschool muziekschool
    montessorischool daltonschool jenaplanschool vrijeschool praktijkschool
    zomerschool avondschool kostschool taalschool bijlesschool voetbalschool
    tennisschool kunstschool dorpsschool buurtschool middelbareschool
    lagereschool kleuterschool peuterschool speelschool brugklasschool
    huiswerkschool scholengemeenschap scholengroep schoolgemeenschap
    vakschool volkshogeschool internaatschool mbo-school mbo-college
    vmbo-school havo-school vwo-school politieschool koksschool kappersschool
    hotelschool sportschool vechtsportschool autorijschool boksschool
    kickboksschool circusschool toneelschool hondenschool
    """.split()
)
# Capitalised words that are not part of a school name (sentence starts etc.).
_NOT_A_NAME = frozenset(
    """
    het de een die dat deze dit mijn zijn haar hun onze ons jouw je uw op in
    naar bij van voor na met toen en maar ik hij zij ze we wij jij hier daar
    welke elke iedere ieder geen ook nu dan als want dus of om tot uit over door
    aan gisteren vandaag morgen later vroeger eerst daarna naast tegenover
    achter sinds ja nee oké ok nou even alleen gewoon echt zo wel niet nog al
    middelbare lagere speciale andere nieuwe oude eigen vorige volgende goede
    grote kleine zelfde hele gewone normale nederlandse er wat wie waar hoe
    waarom omdat terwijl zoals bijvoorbeeld interviewer respondent
    """.split()
)
_INTERFIXES = frozenset("van de der den 't ten ter te la le da di du von del dos".split())
_ARTICLES = frozenset("de het 't".split())

_WORD_RE = re.compile(r"'t\b|[^\W\d_][\w'’]*(?:-[\w'’]+)*")
_GAP_RE = re.compile(r"[ \t]+")
_MAX_NAME_WORDS = 5
_SENTENCE_END = frozenset(".!?:;\n\r\"'(“‘«…-–—*")


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in _NOT_A_NAME


def _is_sentence_start(text: str, pos: int) -> bool:
    """True if only spaces separate ``pos`` from the start of a sentence or line."""
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


def is_sentence_start(text: str, pos: int) -> bool:
    """True if ``pos`` starts a sentence or line: only spaces separate it from the text's
    start, a line break, sentence-ending punctuation, a colon, an opening quote or a dash."""
    return _is_sentence_start(text, pos)


#: Schools that are businesses, not places of education: "Sportschool Olympia" is an
#: organisation (:mod:`workbench.audit.context` flags it as one).
_BUSINESS_SCHOOLS = frozenset(
    """
    rijschool autorijschool dansschool zwemschool sportschool vechtsportschool boksschool
    kickboksschool hondenschool circusschool tennisschool voetbalschool
    """.split()
)


def _school_kind(word: str) -> str | None:
    """Classify a word: "type" (needs a name), "compound" (a name itself) or None."""
    lower = word.lower()
    if lower in _BUSINESS_SCHOOLS:
        return None
    if lower in _SCHOOL_TYPES or lower in _GENERIC_SCHOOL_WORDS:
        return "type"
    if word[:1].isupper() and any(
        lower.endswith(suffix) and len(lower) > len(suffix) + 1 for suffix in _SCHOOL_SUFFIXES
    ):
        return "compound"
    return None


def school_flags(text: str) -> list[Flag]:
    """Flag school names.

    A school word (College, Lyceum, Gymnasium, School, ROC, Hogeschool, ...)
    is flagged together with the capitalised name words directly before and/or
    after it: ``het Da Vinci College``, ``Montessori Lyceum Amsterdam``,
    ``ROC Midden Nederland``, ``Basisschool De Regenboog``,
    ``Universiteit van Amsterdam``. A capitalised compound that ends in
    -college/-lyceum/-school/... is a school name on its own (``Mariaschool``,
    ``Sint-Janscollege``) unless it is generic (``Basisschool``,
    ``Rijschool``). A school word without a name (``op school``,
    ``het ROC``) is not flagged.
    """
    flags: list[Flag] = []
    for lo, hi in _school_windows(text):
        words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text, lo, hi)]
        flags.extend(_school_names(text, words))
    return merge_flags(flags, text)


#: The characters a school's name and its school word can be joined by (no punctuation, no
#: line break): the stretch around a school word that holds all of its name.
_NAME_RUN_RE = re.compile(r"[\w'’\- \t]*")
_SCHOOL_KEYS = frozenset(_SCHOOL_TYPES | _GENERIC_SCHOOL_WORDS)


def _school_windows(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` without punctuation or line breaks that hold a school word
    (or a word ending like one): a school name lies within one, so only they are read."""
    index = word_index(text)
    windows: list[tuple[int, int]] = []
    for pos in sorted({*index.starting(_SCHOOL_KEYS), *index.ending(_SCHOOL_SUFFIXES)}):
        if windows and pos < windows[-1][1]:
            continue
        lo = pos
        while lo > 0 and _NAME_RUN_RE.fullmatch(text, lo - 1, lo):
            lo -= 1
        run = _NAME_RUN_RE.match(text, pos)
        windows.append((lo, run.end() if run else pos))
    return windows


def _school_names(text: str, words: list[tuple[int, int, str]]) -> list[Flag]:
    """The school names among ``words`` (start, end, word) of one stretch of text."""

    def joined(i: int, j: int) -> bool:
        """True if words i and j (j = i + 1) are separated by spaces only."""
        return _GAP_RE.fullmatch(text, words[i][1], words[j][0]) is not None

    flags: list[Flag] = []
    for idx, (_, _, word) in enumerate(words):
        kind = _school_kind(word)
        if kind is None:
            continue

        # Extend to the left over capitalised name words (interfixes allowed
        # between two name words: "Willem van Oranje College").
        first = idx
        names = 0
        k = idx - 1
        while k >= 0 and names < _MAX_NAME_WORDS and joined(k, k + 1):
            w = words[k][2]
            if _is_name_word(w):
                first = k
                names += 1
                k -= 1
                continue
            if w.lower() in _INTERFIXES and first < idx and k > 0 and joined(k - 1, k):
                if _is_name_word(words[k - 1][2]):
                    k -= 1
                    continue
            break

        # A lone capitalised word at the start of a sentence before a lowercase
        # school word is just a sentence start ("Veel vmbo, ..."), not a name.
        if names == 1 and not word[:1].isupper() and _is_sentence_start(text, words[first][0]):
            names = 0
            first = idx

        # Extend to the right only after a capitalised school word
        # ("Lyceum Sancta Maria", "ROC Midden Nederland").
        last = idx
        trailing = 0
        if word[:1].isupper():
            k = idx + 1
            while k < len(words) and trailing < _MAX_NAME_WORDS and joined(k - 1, k):
                w = words[k][2]
                if _is_name_word(w) and _school_kind(w) is None:
                    last = k
                    trailing += 1
                    k += 1
                    continue
                lower = w.lower()
                bridge = lower in _INTERFIXES or (lower in _ARTICLES and trailing == 0)
                if bridge and k + 1 < len(words) and joined(k, k + 1):
                    if _is_name_word(words[k + 1][2]):
                        k += 1
                        continue
                break

        if kind == "type" and names == 0 and trailing == 0:
            continue
        flags.append(_flag(text, words[first][0], words[last][1], "school"))
    return flags


# ---------------------------------------------------------------------------
# Ages (also in words)
# ---------------------------------------------------------------------------

_UNITS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
          "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
          "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
         "zeventig": 70, "tachtig": 80, "negentig": 90}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_RE = "|".join(_TENS)
# "drieëntwintig", "vierentwintig", "zestien", "twaalf", "16"
_NUMBER = (
    rf"(?:(?:{_UNIT_RE})[eë]n(?:{_TENS_RE})|{'|'.join(_TEENS)}|{_TENS_RE}|{_UNIT_RE}|1?\d?\d)"
)
_NUM_PART_RE = re.compile(rf"(?i)^(?:(?P<u>{_UNIT_RE})[eë]n(?P<t>{_TENS_RE})|(?P<w>\w+))$")

#: Words before "N jaar" that make it a duration or a date, not an age (after deduce's list).
_AGE_PRE_PSEUDO = frozenset(
    """al sinds gedurende na nog ongeveer over vanaf elke de die deze afgelopen laatste
    eerste ruim zo'n per om binnen jaren tijdens voor""".split()
)
#: Words after "N jaar" that make it a duration or a date, not an age.
_AGE_POST_PSEUDO = frozenset(
    """geleden lang later eerder terug ervaring werkzaam gewerkt gestopt getrouwd verder
    daarna daarvoor nadien na naar in bij cel jeugddetentie gevangenis celstraf
    voorwaardelijk onvoorwaardelijk""".split()
)
#: Singular words for a person: "een jongen van vijftien" is an age.
_PERSON_NOUNS = (
    "jongen|jongetje|jochie|joch|knul|gast|meisje|meid|meidje|kind|kindje|jongere|puber|tiener|"
    "vriend|vriendje|vriendin|vriendinnetje|broer|broertje|zus|zusje|zoon|zoontje|dochter|"
    "dochtertje|neef|neefje|nicht|nichtje|leerling|student|studente|cliënt|client|cliënte|"
    "slachtoffer|dader|man|vrouw|moeder|vader|jongeman|jonge vrouw|mannetje"
)
#: Words after "van N" that make N a count or an amount, not an age.
_NOT_AN_AGE_AFTER = frozenset(
    """euro uur minuten minuutjes seconden dagen weken maanden procent keer kilo gram
    meter kilometer straten huizen broers zussen kinderen jongens meiden mensen
    vrienden man vrouwen pakketjes cent tot""".split()
)

_AGE_YEARS_RE = re.compile(
    rf"(?i)(?<![\w\-.,])(?P<num>{_NUMBER})(?:\s*(?:-|tot|à|a|of|,)\s*(?P<num2>{_NUMBER}))?"
    r"(?P<unit>\s+jaar(?:\s+oud\b)?|\s*-?\s*jarige?\b|\s+jr\b)(?!\w)"
)
_AGE_OF_PERSON_RE = re.compile(
    rf"(?i)\b(?:{_PERSON_NOUNS})\s+(?:is\s+|was\s+)?van\s+(?:pas\s+|net\s+|nog\s+maar\s+|bijna\s+|ongeveer\s+)?"
    rf"(?P<num>{_NUMBER})(?!\w)(?:\s*(?:,|-|of|tot)\s*(?P<num2>{_NUMBER})(?!\w))?"
)
_AGE_WAS_RE = re.compile(
    rf"(?i)\b(?:toen\s+)?(?:ik|hij|zij|ze|je|jij|die)\s+(?:is|was|werd|wordt|ben|bent)\s+"
    r"(?:(?:toen|pas|net|nog\s+maar|nog|maar|bijna|ongeveer|al|nu|inmiddels|zelf|ook"
    r"|een\s+jaar\s+of|rond\s+de)\s+){0,3}"
    rf"(?P<num>{_NUMBER})(?:\s+(?:of|à|a)\s+(?P<num2>{_NUMBER}))?(?=\s*[.,;:!?)]|\s+(?:jaar\b|toen\b|en\b|dus\b|hoor\b|geworden\b)|\s*$)"
)
#: The same with the verb first: "Toen was hij pas elf.", "Nu is ze zestien en …".
_AGE_WAS_INVERTED_RE = re.compile(
    rf"(?i)\b(?:is|was|werd|wordt|ben|bent)\s+(?:ik|hij|zij|ze|je|jij|die)\s+"
    r"(?:(?:toen|pas|net|nog\s+maar|nog|maar|bijna|ongeveer|al|nu|inmiddels|zelf|ook"
    r"|een\s+jaar\s+of|rond\s+de)\s+){0,3}"
    rf"(?P<num>{_NUMBER})(?:\s+(?:of|à|a)\s+(?P<num2>{_NUMBER}))?(?=\s*[.,;:!?)]|\s+(?:jaar\b|toen\b|en\b|dus\b|hoor\b|geworden\b)|\s*$)"
)
_AGE_TOEN_RE = re.compile(
    rf"(?i)\btoen\s+(?:ik|hij|zij|ze|je|jij|die|we|wij)\s+(?:pas\s+|net\s+|nog\s+maar\s+|ongeveer\s+)?"
    rf"(?P<num>{_NUMBER})(?:\s+jaar(?:\s+oud)?)?\s+(?:was|werd|waren|werden)\b"
)

#: The words the age patterns can start with (see :class:`~workbench.audit.words.WordIndex`).
_NUMBER_WORDS = tuple(sorted({*_UNITS, *_TEENS, *_TENS}))
_AGE_OF_PERSON_KEYS = first_chunks(_PERSON_NOUNS.split("|"))
_AGE_WAS_KEYS = first_chunks(("toen", "ik", "hij", "zij", "ze", "je", "jij", "die"))
_AGE_TOEN_KEYS = first_chunks(("toen",))
_AGE_WAS_INVERTED_KEYS = first_chunks(("is", "was", "werd", "wordt", "ben", "bent"))


def number_value(word: str) -> int | None:
    """The value of a Dutch number word or digits from 1 to 99 (``"drieëntwintig"`` -> 23);
    ``None`` for anything else."""
    w = word.strip().lower()
    if w.isdigit():
        return int(w)
    for table in (_UNITS, _TEENS, _TENS):
        if w in table:
            return table[w]
    m = _NUM_PART_RE.match(w)
    if m and m.group("u"):
        return _UNITS[m.group("u")] + _TENS[m.group("t")]
    return None


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([\w'’]+)\W*$", text[max(0, pos - 30):pos])
    return m.group(1).lower().replace("’", "'") if m else ""


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\W*?([\w'’]+)", text[pos:pos + 30])
    return m.group(1).lower() if m else ""


def _age_span(m: re.Match[str]) -> tuple[int, int]:
    end = m.end("num2") if "num2" in m.re.groupindex and m.group("num2") else m.end("num")
    return m.start("num"), end


def age_flags(text: str) -> list[Flag]:
    """Flag ages, as digits or Dutch number words (1–99).

    * ``N jaar oud``, ``N-jarige``: any age; ``N jaar``: from 10 up (``twee jaar`` is mostly
      a duration), not after words that make it a duration or date (``al``, ``sinds``,
      ``ruim``, ``de`` …) nor before ``geleden``, ``lang``, ``later`` …;
    * a person and an age: ``een jongen van vijftien``, ``een meisje is van 15``, but not
      ``van drie straten``;
    * ``hij was zestien.``, ``ze is pas veertien, …``, ``toen was hij pas elf.``, ``toen ik
      veertien was``.

    The flag covers the number (or range, ``vijftien of zestien``), as deduce's age flags do.
    """
    flags: list[Flag] = []
    words = word_index(text)
    for m in words.matches(_AGE_YEARS_RE, sorted([*words.numbers,
                                                  *words.beginning_with(_NUMBER_WORDS)])):
        value = number_value(m.group("num"))
        if value is None or value == 0 or value > 99:
            continue
        if m.group("num2") and (number_value(m.group("num2")) or 0) <= value:
            continue  # "van zestien tot een jaar of twintig" is no range of ages
        unit = m.group("unit").lower()
        stated = "oud" in unit or "jarig" in unit
        if not stated:
            if value < 10 or _word_before(text, m.start()) in _AGE_PRE_PSEUDO:
                continue
            if _word_after(text, m.end()) in _AGE_POST_PSEUDO:
                continue
        flags.append(_flag(text, *_age_span(m), "age"))
    for regex, keys in ((_AGE_OF_PERSON_RE, _AGE_OF_PERSON_KEYS), (_AGE_WAS_RE, _AGE_WAS_KEYS),
                        (_AGE_TOEN_RE, _AGE_TOEN_KEYS),
                        (_AGE_WAS_INVERTED_RE, _AGE_WAS_INVERTED_KEYS)):
        for m in words.matches(regex, words.starting(keys)):
            value = number_value(m.group("num"))
            if value is None or not 2 <= value <= 99:
                continue
            after = _word_after(text, m.end())
            if regex is _AGE_OF_PERSON_RE and after in _NOT_AN_AGE_AFTER:
                continue
            flags.append(_flag(text, *_age_span(m), "age"))
    return merge_flags(flags, text)


# ---------------------------------------------------------------------------
# All patterns
# ---------------------------------------------------------------------------


def pattern_flags(text: str) -> list[Flag]:
    """Run every pattern detector and merge the results.

    Overlapping flags are merged and the more specific category is kept (for
    example a 9-digit run inside a phone number stays "phone", and the domain
    of an e-mail address stays "email").
    """
    phones = phone_flags(text)
    bsns = [f for f in bsn_flags(text) if not _overlaps(f, phones)]
    flags: list[Flag] = [
        *bsns,
        *phones,
        *email_flags(text),
        *url_flags(text),
        *social_handle_flags(text),
        *licence_plate_flags(text),
        *school_flags(text),
        *age_flags(text),
    ]
    return merge_flags(flags, text)
