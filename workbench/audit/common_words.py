"""Drop person and place flags that are ordinary Dutch words capitalised at a sentence start.

deduce marks a capitalised word as a person when its surname list holds it, and Dutch surnames
include many ordinary words: "Jongens die …", "Pas als …", "Pak je …", "Punt." all come out as
person names. Capitalisation is only evidence of a name where grammar does not explain it, so
for a flag of one word, category ``person`` or ``place`` (from deduce or a model), this module
applies two rules:

1. **Lower case elsewhere.** The word also occurs in lower case in the same text (the whole
   transcript, as :func:`workbench.services.anonymity.audit.run_audit` audits it): it is an ordinary
   word here, and the flag is **dropped**.
2. **A common word at a sentence start.** The word stands at the start of a sentence (or line,
   or after a colon or an opening quote) and is a common Dutch word: one of spaCy's Dutch stop
   words, or a word form or lemma in spaCy's Dutch lookup lemmatizer table (also after taking
   off a plural ``-s`` or ``-en``). The flag is **dropped**.

A word deduce knows as a first name (``Kevin``, ``Mohammed``, ``Bas``) is never taken for a
common word (rule 2 does not apply to it), and in the middle of a sentence it is always kept.
Every other name that never occurs in lower case and is not a common word at a sentence start
stays flagged too ("Ik had Kevin …", "Mohammed kwam …", "met Bakker"). Flags of more than one
word ("meneer Bakker", "Den Haag") and every other category are never dropped here.

Two more rules drop a flag whatever deduce says: **0.** a feast, faith, language,
nationality, month or day ("Oud en Nieuw", "Ramadan", "Marokkaanse", "Vrijdagavond") names no
one, in any name category, and a country, province or large region ("uit Marokko", "in de
Randstad") is too wide a *place* to point at anyone; **3.** a one-word person flag that is a common Dutch word right after "bij de",
"naar de", "van de" … ("brood bij de Bakker") is the shop or the trade, unless it is a known
first name.

Dropped means not stored: the flag simply is not raised (a flag decided earlier keeps its
decision). The word lists load lazily, once per process.

The same word lists answer the other detectors' questions: :func:`is_common_word` (spaCy's
lookup table and stop words), :func:`is_known_word` (any Dutch or English word at all, with
spaCy's lemma indexes, verb forms and spoken adverbs: the last net of
:mod:`workbench.audit.unknown_names`), :func:`is_kind_noun` (a kind of place, body, trade or
role, written with a capital out of habit), :func:`is_demonym` (the people of a country).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from workbench.audit.detectors import Flag, is_sentence_start
from workbench.audit.word_cache import cached

__all__ = ["ARTICLE_BEFORE_RE", "BROAD_PLACES", "FIELD_WORDS", "KIND_NOUNS", "LOOK_BEFORE_RE",
           "NEVER_NAMES", "drop_common_word_flags", "inside_an_address", "is_common_compound",
           "is_common_word", "is_demonym", "is_kind_noun", "is_known_word", "is_never_a_name",
           "is_plural_compound", "list_start", "load_word_lists", "looked_at", "looked_at_list",
           "occurs_in_lower_case"]

#: Categories the rules apply to (names of people and places).
NAME_CATEGORIES = frozenset({"person", "place"})

#: Capitalised words that name no one whatever their context: feasts, faiths, languages and
#: nationalities, months and days (Dutch function words at a sentence start are handled by
#: the common-word rule).
NEVER_NAMES = frozenset(w.casefold() for w in (
    "Ik", "God", "Allah", "Here", "Heer", "Jezus", "Koran", "Bijbel", "Ramadan", "Suikerfeest",
    "Offerfeest", "Kerst", "Kerstmis", "Pasen", "Pinksteren", "Sinterklaas", "Oud", "Nieuw",
    "Oudjaar", "Nieuwjaar", "Oudejaarsavond", "Nieuwjaarsdag", "Koningsdag", "Bevrijdingsdag",
    "Moederdag", "Vaderdag", "Hemelvaart", "Hemelvaartsdag", "Divali", "Chanoeka", "Iftar",
    "Carnaval", "Halloween", "Kerstvakantie", "Zomervakantie", "Meivakantie", "Herfstvakantie",
    "Voorjaarsvakantie", "Nederlands", "Nederlandse", "Engels", "Engelse", "Arabisch",
    "Turks", "Turkse", "Marokkaans", "Marokkaanse", "Surinaams", "Surinaamse", "Antilliaans",
    "Antilliaanse", "Pools", "Poolse", "Duits", "Duitse", "Frans", "Franse", "Nederlander",
    "Nederlanders", "Marokkaan", "Marokkanen", "Turk", "Turken", "Islam", "Christendom",
    "Jodendom", "Corona", "Covid", "Internet", "Euro", "Euros", "Wallah",
    "Inshallah", "Mashallah", "Bismillah",
    # faiths and peoples: "Hij is Moslim", "Creoolse jongens"
    "Moslim", "Moslima", "Moslims", "Christen", "Christenen", "Christelijk", "Christelijke",
    "Jood", "Joden", "Joods", "Joodse", "Hindoe", "Hindoes", "Hindoestaan", "Hindoestanen",
    "Hindoestaans", "Hindoestaanse", "Boeddhist", "Boeddhisme", "Katholiek", "Katholieke",
    "Protestant", "Protestants", "Protestantse", "Sjiiet", "Soenniet", "Alevitisch", "Alevitische",
    "Koerd", "Koerden", "Koerdisch", "Koerdische", "Berber", "Berbers", "Amazigh", "Creool",
    "Creolen", "Creools", "Creoolse", "Javaan", "Javanen", "Javaans", "Javaanse", "Molukker",
    "Molukkers", "Moluks", "Molukse", "Roma", "Sinti", "Antilliaan", "Antillianen", "Surinamer",
    "Surinamers", "Papiaments", "Tigrinya", "Somalisch", "Mocro", "Mocros", "Hagenees",
    "Amsterdammer", "Rotterdammer", "Utrechter", "Brabander", "Brabanders", "Limburger",
    "Fries", "Friezen",
    # platforms and apps: where people meet, not who they are ("op Snapchat", "via TikTok")
    "Snapchat", "Snap", "Instagram", "Insta", "TikTok", "WhatsApp", "Telegram", "Facebook",
    "YouTube", "Discord", "Signal", "Twitter", "Twitch", "Reddit", "Netflix", "Google",
    "Spotify", "Marktplaats", "Tinder", "Vinted",
    "Januari", "Februari", "Maart", "April", "Mei", "Juni", "Juli", "Augustus", "September",
    "Oktober", "November", "December", "Maandag", "Dinsdag", "Woensdag", "Donderdag",
    "Vrijdag", "Zaterdag", "Zondag", "Noorden", "Oosten", "Zuiden", "Westen", "Noord", "Oost",
    "Zuid", "West", "Zomer", "Winter", "Lente", "Herfst", "Voorjaar", "Najaar",
))
#: Places too wide to point at anyone: countries, continents, the Dutch provinces and the
#: large regions ("Hij komt uit Marokko", "in de Randstad"). Only a *place* flag is dropped
#: for them: "een contract bij Randstad" is an employer.
BROAD_PLACES = frozenset(w.casefold() for w in (
    "Nederland", "Holland", "België", "Duitsland", "Frankrijk", "Engeland", "Groot-Brittannië",
    "Ierland", "Schotland", "Spanje", "Portugal", "Italië", "Griekenland", "Polen",
    "Roemenië", "Bulgarije", "Hongarije", "Tsjechië", "Slowakije", "Oostenrijk",
    "Zwitserland", "Denemarken", "Zweden", "Noorwegen", "Finland", "Litouwen", "Letland",
    "Estland", "Oekraïne", "Rusland", "Wit-Rusland", "Moldavië", "Albanië", "Kosovo",
    "Servië", "Bosnië", "Kroatië", "Macedonië", "Montenegro", "Turkije", "Marokko",
    "Algerije", "Tunesië", "Libië", "Egypte", "Soedan", "Eritrea", "Ethiopië", "Somalië",
    "Kenia", "Nigeria", "Ghana", "Senegal", "Guinee", "Congo", "Angola", "Kaapverdië",
    "Zuid-Afrika", "Syrië", "Irak", "Iran", "Jemen", "Libanon", "Jordanië", "Israël",
    "Palestina", "Saoedi-Arabië", "Afghanistan", "Pakistan", "India", "Bangladesh", "China",
    "Japan", "Indonesië", "Vietnam", "Thailand", "Filipijnen", "Suriname", "Curaçao",
    "Aruba", "Bonaire", "Sint Maarten", "Antillen", "Colombia", "Venezuela", "Brazilië",
    "Argentinië", "Peru", "Mexico", "Dominicaanse Republiek", "Verenigde Staten", "Amerika",
    "Canada", "Australië", "Europa", "Afrika", "Azië", "Noord-Afrika", "Midden-Oosten",
    "Caribisch gebied", "Friesland", "Fryslân", "Drenthe",
    "Overijssel", "Flevoland", "Gelderland", "Noord-Holland", "Zuid-Holland", "Zeeland",
    "Noord-Brabant", "Brabant", "Limburg", "Randstad", "Veluwe", "Achterhoek", "Twente",
    "Betuwe", "Gooi", "Zaanstreek", "Waddeneilanden",
))
#: Phrases of capitalised words that name no one ("Oud en Nieuw", "Eerste Kerstdag").
NEVER_PHRASES = frozenset(p.casefold() for p in (
    "Oud en Nieuw", "Oud & Nieuw", "Oud en nieuw", "Eerste Kerstdag", "Tweede Kerstdag",
    "Eerste Paasdag", "Tweede Paasdag", "Goede Vrijdag", "Keti Koti", "Black Friday",
    "Suikerfeest", "Offerfeest", "Zwarte Piet",
))
#: Flag categories that hold names (rule 0 applies to them).
_NAMED = frozenset({"person", "place", "institution", "entity"})
_COMMON_NOUN_BEFORE = re.compile(
    r"(?i:\b(?:bij|naar|van|voor|aan|met|in|op|langs)\s+de)\s+$")


_LEADING_SMALL_WORDS = re.compile(r"^(?:(?:bij|naar|van|voor|aan|met|in|op|langs)\s+)?de\s+")


def _shop_or_trade(text: str, flag: Flag, first_name: Callable[[str], bool | None]) -> bool:
    """A person flag that is one common word after "bij de", "naar de" … ("bij de Bakker",
    flagged with or without the small words): the shop or the trade, not a surname."""
    lead = _LEADING_SMALL_WORDS.match(flag.text)
    core_start = flag.start + (lead.end() if lead else 0)
    word = text[core_start:flag.end].strip()
    if not word or not word[0].isupper() or any(ch.isspace() for ch in word):
        return False
    if not _COMMON_NOUN_BEFORE.search(text, max(0, core_start - 14), core_start):
        return False
    return not first_name(word) and is_common_word(word)


#: An article right before a position (search with ``endpos`` at it): "de", "het", "een", "'t".
ARTICLE_BEFORE_RE = re.compile(r"(?<![\w])(?i:de|het|een|'t)\s+$")


def _role_after_article(text: str, flag: Flag, first_name: Callable[[str], bool | None]) -> bool:
    """A person flag that is one common word for a role or body right after an article ("De
    Burgemeester", "de Wijkagent"), not a known first name."""
    word = flag.text.strip()
    if not word[:1].isupper() or any(ch.isspace() for ch in word):
        return False
    if not ARTICLE_BEFORE_RE.search(text, max(0, flag.start - 5), flag.start):
        return False
    if first_name(word):
        return False
    return word.casefold() in KIND_NOUNS or (is_common_word(word) and is_kind_noun(word))


#: Verbs after which "naar" points at a thing or a person, not a place ("keek naar",
#: "luisterde naar", "vroeg naar", "zocht naar"), with the adverbs that can stand between
#: ("keken samen naar", "luistert vaak naar").
LOOK_BEFORE_RE = re.compile(
    r"(?<![\w])(?i:kijk|kijkt|kijken|keek|keken|gekeken|luister|luistert|luisteren|luisterde"
    r"|luisterden|geluisterd|vroeg|vroegen|gevraagd|zocht|zochten|gezocht|verlangt|verlangde"
    r"|wachtte|wachten|gewacht|staarde|verwees|verwijst|verwezen|doorverwezen)"
    r"(?:\s+(?:hij|zij|ze|ik|we|wij|jij|je|u|altijd|vaak|graag|veel|dan|toen|nog|ook|wel|even"
    r"|samen|soms|meestal|steeds|vooral|liever|thuis|weleens|nooit|gewoon|echt|alleen|nu|elke"
    r"|avond|dag|week|de|hele|avonden|dagen))*"
    r"\s+(?i:naar)\s+$")

#: The item before a name in a list of names: "Boef, " or "Goede Tijden en " (a capitalised
#: run followed by a comma, "en" or "of").
_LIST_ITEM_BEFORE_RE = re.compile(
    r"(?:(?<=\s)|^)[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*|van|de|der|den|op))*"
    r"(?:\s*,\s*|\s+(?:en|of|&)\s+)$")


def list_start(text: str, start: int) -> int:
    """Where a list of capitalised names that ends with the name at ``start`` begins ("Boef
    en Ashafar", "Goede Tijden, Slechte Tijden"): ``start`` itself when no name comes before."""
    for _ in range(8):  # a list of names is short; never walk a whole text
        m = _LIST_ITEM_BEFORE_RE.search(text, max(0, start - 60), start)
        if m is None:
            break
        start = m.start()
    return start


def looked_at(text: str, start: int) -> bool:
    """Whether the name at ``start`` comes right after "keek naar", "luisterde naar" … (or is
    later in such a list): what someone watched or asked about ("Ze keek naar Boer zoekt
    Vrouw"), not where they went."""
    return looked_at_list(text, list_start(text, start))


def looked_at_list(text: str, first: int) -> bool:
    """Whether the list of names starting at ``first`` comes right after "keek naar" …"""
    return LOOK_BEFORE_RE.search(text, max(0, first - 60), first) is not None


def _looked_at(text: str, flag: Flag) -> bool:
    return looked_at(text, flag.start)


#: Articles and prepositions a flag can start with at the start of a sentence.
_SMALL_WORDS = frozenset(("in", "het", "de", "op", "bij", "naar", "uit", "van", "aan", "'t",
                          "met", "rond", "vanuit", "tijdens", "na", "voor"))


#: Endings of the adjectives and nouns for a country's people: "Eritrese", "Somalische",
#: "Afghaanse", "Ghanees", "Syriër".
_DEMONYM_ENDINGS = ("se", "sche", "isch", "ees", "ese", "aan", "aans", "aanse", "ier", "iër",
                    "iërs", "ers", "ezen")


def is_demonym(word: str) -> bool:
    """Whether ``word`` is the adjective or noun for the people of a country in
    :data:`BROAD_PLACES` ("Eritrese" of Eritrea, "Somalische" of Somalië): it shares the
    country's first four letters or more and ends as such words do."""
    w = word.casefold()
    if len(w) < 5 or not w.endswith(_DEMONYM_ENDINGS):
        return False
    return any(len(place) >= 4 and w[:4] == place[:4] and w != place
               and _shared_prefix(w, place) >= min(len(place) - 1, 5)
               for place in BROAD_PLACES if " " not in place)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def is_never_a_name(phrase: str) -> bool:
    """Whether ``phrase`` (a flag's text) is a feast, faith, language, nationality, month or
    day and so names no one (see :data:`NEVER_NAMES`, :data:`NEVER_PHRASES`)."""
    words = phrase.strip(" .,;:!?'\"()").split()
    while len(words) > 1 and (words[0].islower() or words[0].casefold() in _SMALL_WORDS):
        words = words[1:]  # "in het Westen", "In het Noorden" -> "Westen", "Noorden"
    folded = " ".join(words).casefold()
    return (folded in NEVER_PHRASES or folded in NEVER_NAMES
            or _DAY_PART_RE.fullmatch(folded) is not None
            or (len(words) == 1 and is_demonym(folded)))


#: A day or feast with a part of the day: "Vrijdagavond", "Zondagmiddag", "Kerstavond".
_DAY_PART_RE = re.compile(
    r"(?:maan|dins|woens|donder|vrij|zater|zon)dag(?:avond|middag|ochtend|morgen|nacht|namiddag)"
    r"|(?:kerst|oudejaars|pinkster|paas|koningsdag|zaterdag)(?:avond|nacht|ochtend|middag)")


def is_broad_place(phrase: str) -> bool:
    """Whether ``phrase`` (a place flag's text) is a country, continent, province or large
    region (see :data:`BROAD_PLACES`)."""
    words = phrase.strip(" .,;:!?'\"()").split()
    while len(words) > 1 and (words[0].islower() or words[0].casefold() in _SMALL_WORDS):
        words = words[1:]
    return " ".join(words).casefold() in BROAD_PLACES

_lock = threading.Lock()
_lexicon: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None


def _load_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """spaCy's Dutch stop words, the word forms of its lookup lemma table and their lemmas
    (kept in the cache folder between runs: :mod:`workbench.audit.word_cache`)."""
    global _lexicon
    with _lock:
        if _lexicon is None:
            _lexicon = cached("nl-lexicon", _build_lexicon, kind=tuple)
        return _lexicon


def load_word_lists() -> None:
    """Load (and on a fresh machine build and cache) every word list the filter asks, now
    rather than at the first question (``workbench prepare``)."""
    _load_lexicon()
    _load_indexes()


def _build_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    from spacy.lang.nl.stop_words import STOP_WORDS

    try:  # what spacy.lookups.load_lookups reads, as strings (its Table keeps hashes)
        from spacy.util import load_language_data, registry

        raw = load_language_data(registry.lookups.get("nl")["lemma_lookup"])
        table = raw if isinstance(raw, dict) else {}
    except Exception:  # noqa: BLE001 - spacy-lookups-data missing: stop words only
        table = {}
    return (frozenset(STOP_WORDS), frozenset(str(k) for k in table),
            frozenset(str(v).lower() for v in table.values()))


def _candidates(word: str) -> list[str]:
    w = word.lower()
    out = [w]
    if len(w) > 3 and w.endswith("s"):
        out.append(w[:-1])
    if len(w) > 4 and w.endswith("en"):
        out.append(w[:-2])
    return out


def is_common_compound(word: str) -> bool:
    """Whether ``word`` is two common Dutch words written together ("Jongerenwerk" =
    jongeren + werk), each part at least three letters (a linking ``s`` or ``e`` allowed)."""
    w = word.lower()
    for i in range(3, len(w) - 2):
        left, right = w[:i], w[i:]
        if len(right) < 3:
            break
        if is_common_word(right) and (is_common_word(left) or (
                left[-1] in "se" and len(left) > 3 and is_common_word(left[:-1]))):
            return True
    return False


def is_plural_compound(word: str) -> bool:
    """Whether ``word`` is a plural and a common word of at least four letters written together
    ("Signalenkaart" = signalen + kaart, "Jongerenwerk"): a shape common nouns have and names
    rarely do (about 1% of the surnames and towns in deduce's tables, no first names), unlike
    compounds of any two words (22% of those surnames: "Eikelboom", "Hoogvliet")."""
    w = word.lower()
    for i in range(5, len(w) - 3):
        left, right = w[:i], w[i:]
        if not left.endswith(("en", "ens")) or not is_common_word(right):
            continue
        if is_common_word(left) or is_common_word(left.removesuffix("s")[:-2]):
            return True
    return False


#: Common nouns of the field that spaCy's lookup table lacks (sectors, services, kinds of
#: school): capitalised in a transcript they are still no names ("in de Horeca").
FIELD_WORDS = frozenset((
    "horeca", "jeugdzorg", "thuiszorg", "ggz", "schuldhulpverlening", "schuldhulp",
    "reclassering", "jeugdbescherming", "kinderbescherming", "opvang", "jeugdhulp", "detentie",
    "bajes", "crisisopvang", "nachtopvang", "daklozenopvang", "vmbo", "mbo", "havo", "vwo",
    "hbo", "praktijkonderwijs", "bouw", "schoonmaak", "dagbesteding", "pleegzorg",
    "jongerenwerk", "straatwerk", "wijkteam", "wijkteams", "welzijn", "bijstand", "uitkering",
    "logistiek", "beveiliging", "zorg", "onderwijs", "leerplicht", "jeugdgevangenis",
))


#: Nouns for a kind of place, body, trade or role, which people write with a capital out of
#: habit ("bij de Gemeente", "de Rechtbank", "bij de Bakker"). Any other common noun with a
#: capital in a strong context is a name ("vakken vullen bij de Jumbo", "de leerkracht van de
#: Piramide", "de jongeren van het Schiereiland"): Dutch writes its nouns in lower case.
KIND_NOUNS = frozenset((
    "gemeente", "politie", "brandweer", "ambulance", "rechtbank", "rechter", "officier",
    "justitie", "gevangenis", "bajes", "school", "kerk", "moskee", "synagoge", "bakker",
    "slager", "kapper", "groenteboer", "visboer", "markt", "apotheek", "huisarts", "dokter",
    "tandarts", "ziekenhuis", "kliniek", "station", "bibliotheek", "bieb", "zwembad",
    "sporthal", "speeltuin", "haven", "kassa", "keuken", "zaak", "kantoor", "balie",
    "receptie", "afdeling", "directie", "stadhuis", "raad", "ministerie", "provincie", "rijk",
    "overheid", "staat", "leger", "marine", "universiteit", "hogeschool", "academie", "mavo",
    "klas", "kantine", "bank", "post", "dierenarts", "tankstation", "kroeg", "disco", "markt",
    "wijk", "buurt", "stad", "dorp", "centrum", "binnenstad", "bos", "strand", "zee", "kust",
    "dijk", "polder", "snelweg", "metro", "tram", "bus", "trein", "jeugd", "jongeren", "zorg",
    "hulp", "hulpverlening", "instantie", "instanties", "organisatie", "bedrijf", "werkgever",
    "baas", "chef", "eigenaar", "klant", "klanten", "manager", "wijkagent", "agent",
    "ambtenaar", "mentor", "leraar", "docent", "directeur", "coach", "trainer", "team",
    "inspectie", "voogdij", "kinderrechter", "advocaat", "notaris", "tolk", "jeugdarts",
    "onderbouw", "middenbouw", "bovenbouw", "kringloop", "buren", "familie", "burgemeester",
    "wethouder", "minister", "premier", "koning", "koningin", "politieagent", "jongerenwerker",
    "leerplichtambtenaar", "hulpverlener", "begeleider", "huisbaas", "verhuurder",
))
#: Endings of compound kind nouns: "Jeugdgevangenis", "Leerplichtambtenaar", "Wijkteam".
KIND_ENDINGS = ("gevangenis", "ambtenaar", "werker", "werkers", "school", "huis", "centrum",
                 "zorg", "team", "dienst", "bureau", "winkel", "zaak", "bedrijf", "kantoor",
                 "afdeling", "station", "hal", "bad", "kliniek", "instelling", "vereniging",
                 "rechtbank", "agent", "arts", "hulp", "werk", "opvang", "raad", "markt")


def is_kind_noun(word: str) -> bool:
    """Whether ``word`` names a kind of place, body, trade or role (see :data:`KIND_NOUNS`)."""
    w = word.casefold()
    if w.endswith("s") and w[:-1] in KIND_NOUNS:
        w = w[:-1]
    return w in KIND_NOUNS or any(w.endswith(e) for e in KIND_ENDINGS)


def is_common_word(word: str) -> bool:
    """Whether ``word`` is a common Dutch word (stop word, or a form or lemma in spaCy's
    Dutch lookup table, also without a plural ``-s``/``-en``, or a common noun of the field
    that table lacks)."""
    stop, forms, lemmas = _load_lexicon()
    return any(w in stop or w in lemmas or w in FIELD_WORDS or w in forms
               for w in _candidates(word))


_index_lock = threading.Lock()
_indexes: tuple[frozenset[str], frozenset[str]] | None = None


def _load_indexes() -> tuple[frozenset[str], frozenset[str]]:
    """The words of spaCy's Dutch and English lemma indexes (161,000 Dutch nouns, adjectives
    and verbs; the English WordNet lemmas): wider than the lookup table, which lacks words
    such as "kust", "verdriet" or "huisarts"."""
    global _indexes
    with _index_lock:
        if _indexes is None:
            _indexes = cached("lemma-indexes", _build_indexes, kind=tuple)
        return _indexes


def _build_indexes() -> tuple[frozenset[str], frozenset[str]]:
    words: list[frozenset[str]] = []
    for lang in ("nl", "en"):
        try:
            from spacy.lookups import load_lookups

            table = load_lookups(lang, ["lemma_index"]).get_table("lemma_index")
            words.append(frozenset(w.lower() for forms in table.values() for w in forms))
        except Exception:  # noqa: BLE001 - spacy-lookups-data missing: no index
            words.append(frozenset())
    return words[0], words[1]


def is_known_word(word: str) -> bool:
    """Whether ``word`` is a word at all: common (:func:`is_common_word`), in spaCy's Dutch or
    English lemma index (also without a plural ending), a compound joined by a hyphen whose
    last part is one ("Whatsapp-groep", "Safety-methode"), or a platform's compound
    ("Whatsappgroep")."""
    if is_common_word(word) or word.casefold() in _SPOKEN_WORDS:
        return True
    dutch, english = _load_indexes()
    for w in (*_candidates(word), *_verb_lemmas(word.lower())):
        if w in dutch or w in english:
            return True
    if "-" in word.strip("-"):
        return is_known_word(word.rstrip("-").rsplit("-", 1)[1])
    w = word.lower()
    if any(w.endswith(h) and len(w) - len(h) >= 3 for h in _THING_HEADS):
        return True  # "Participatiewet", "Coronacrisis", "Meldcode": laws, times and rules
    return _platform_compound(word.lower(), dutch)


#: Adverbs and interjections of spoken Dutch that no lemma index holds.
_SPOKEN_WORDS = frozenset((
    "inderdaad", "helaas", "nou", "tja", "joh", "hoezo", "kortom", "enfin", "jeetje", "jemig",
    "hè", "hé", "oke", "okay", "ok", "welnee", "jazeker", "uiteraard", "eventueel", "ongeveer",
    "ineens", "opeens", "meteen", "vervolgens", "daarnaast", "bovendien", "daarentegen",
    "overigens", "althans", "sindsdien", "tegenwoordig", "voorheen", "vroeger", "straks",
    "zojuist", "alsnog", "wellicht", "misschien", "nogmaals", "allemaal", "allebei",
))


#: Heads of compounds that name a law, a rule, a period or an event, never a person or place.
_THING_HEADS = ("wet", "wetgeving", "regeling", "code", "crisis", "dag", "dagen", "week",
                "weken", "maand", "programma", "methode", "aanpak", "protocol", "akkoord",
                "toeslag", "uitkering", "vakantie", "feest", "avond", "nacht", "festival")


def _verb_lemmas(w: str) -> list[str]:
    """Infinitives a Dutch verb form may belong to: "gaat" -> "gaan", "werkte" -> "werken",
    "loopt" -> "lopen" (the lemma indexes hold infinitives only)."""
    stems: list[str] = []
    for ending in ("ten", "den", "te", "de", "t"):
        if w.endswith(ending) and len(w) - len(ending) >= 2:
            stems.append(w[: -len(ending)])
    out: list[str] = []
    for stem in stems:
        out += [stem + "en", stem + "n"]
        if len(stem) >= 3 and stem[-2] == stem[-3] and stem[-2] in "aeou":
            out.append(stem[:-2] + stem[-1] + "en")  # "loop" -> "lopen"
        if stem.endswith("f"):
            out.append(stem[:-1] + "ven")  # "geeft" -> "geven" needs the vowel undoubled too
        elif stem.endswith("s"):
            out.append(stem[:-1] + "zen")
    return out


def _platform_compound(w: str, dutch: frozenset[str]) -> bool:
    """A platform or app and a Dutch word written together ("Whatsappgroep",
    "Snapchatverhaal"). Other compounds are no evidence: Dutch place names are compounds of
    ordinary words too ("Kanaleneiland", "Tuindorp")."""
    for i in range(4, len(w) - 3):
        if w[:i] in NEVER_NAMES and (w[i:] in dutch or is_common_word(w[i:])):
            return True
    return False


def occurs_in_lower_case(text: str, word: str, skip: tuple[int, int] | None = None) -> bool:
    """Whether ``word`` occurs as a whole word in all lower case in ``text`` (outside the span
    ``skip``, the flagged occurrence itself)."""
    lower = word.lower()
    if not lower:
        return False
    for m in re.finditer(r"(?<![\w\-])" + re.escape(lower) + r"(?![\w\-])", text):
        if skip is not None and m.start() < skip[1] and skip[0] < m.end():
            continue
        if inside_an_address(text, m.start(), m.end()):
            continue  # "@sanne.x.2006", "sanne@mail.nl": a handle holds the name, not a word
        return True
    return False


def inside_an_address(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a handle, an e-mail address or a web address: the
    run of non-space characters around it holds ``@``, ``/``, or a dot between word
    characters."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    token = text[left:right].strip(".,;:!?\"'()[]")
    return "@" in token or "/" in token or re.search(r"\w[._]\w", token) is not None


def _single_word(flag: Flag) -> str | None:
    word = flag.text.strip()
    if not word or any(ch.isspace() for ch in word) or not word[0].isalpha():
        return None
    return word


def drop_common_word_flags(
    text: str,
    flags: Iterable[Flag],
    *,
    first_name: Callable[[str], bool | None] | None = None,
) -> list[Flag]:
    """The flags without the person/place flags the two rules above explain away.

    ``first_name(word)`` says whether a word is a known first name (default: deduce's table
    when deduce is loaded, see :func:`workbench.audit.deduce_engine.is_first_name`).
    """
    if first_name is None:
        from workbench.audit.deduce_engine import is_first_name

        first_name = is_first_name
    kept: list[Flag] = []
    lower_cache: dict[str, bool] = {}
    for flag in flags:
        if flag.category in _NAMED and flag.source != "list" and is_never_a_name(flag.text):
            continue  # "Oud en Nieuw", "Ramadan", "Marokkaanse": no one's name
        if flag.category == "place" and flag.source != "list" and is_broad_place(flag.text):
            continue  # "uit Marokko", "in de Randstad": too wide to point at anyone
        if flag.category == "person" and _shop_or_trade(text, flag, first_name):
            continue  # "brood bij de Bakker": the shop, a common noun written with a capital
        if flag.category == "place" and flag.source != "list" and _looked_at(text, flag):
            continue  # "ze keek naar Boer zoekt Vrouw"
        if (flag.category == "person" and flag.source != "list" and _looked_at(text, flag)
                and not any(first_name(w) for w in flag.text.split())
                and all(is_known_word(w) for w in flag.text.split())):
            continue  # "ze kijkt naar Love Island", not "ze keek naar Kevin"
        if flag.category == "person" and _role_after_article(text, flag, first_name):
            continue  # "De Burgemeester kwam langs": a role, not someone's name
        word = _single_word(flag) if flag.category in NAME_CATEGORIES else None
        if word is None:
            kept.append(flag)
            continue
        at_start = is_sentence_start(text, flag.start)
        known_name = bool(first_name(word))
        if known_name and not at_start:
            kept.append(flag)  # "Ik had Kevin op bezoek": a first name where grammar needs none
            continue
        if word != word.lower():  # the flagged occurrence itself is not lower case
            if word not in lower_cache:
                lower_cache[word] = occurs_in_lower_case(text, word)
            lowered = lower_cache[word]
        else:
            lowered = occurs_in_lower_case(text, word, skip=(flag.start, flag.end))
        if lowered:
            continue
        if at_start and not known_name and is_common_word(word):
            continue
        kept.append(flag)
    return kept
