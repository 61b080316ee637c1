"""Names found by their context: places, organisations, schools and first names that no table
knows.

deduce finds the names its lookup tables hold (towns, common first names, surnames). The
names that identify a respondent most are local and rare: a neighbourhood ("Kanaleneiland"),
an employer ("PostNL", "snackbar De Gouden Draak"), a school ("het Zadkine"), a first name
from elsewhere ("Ilias"). Dutch grammar helps: a noun is not capitalised, so a capitalised
word in the middle of a sentence is a name, and the words around it say what kind:

* **places**: after ``in``, ``uit``, ``bij``, ``naar``, ``rond``, ``rondom``, ``vanuit``,
  ``richting`` (with ``de``/``het`` in between for a word that is no common noun, "uit de
  Bijlmer"; after ``bij de`` only for a word that looks like a place) or after ``de wijk``,
  ``de buurt``, ``het dorp``, ``de stad``; after ``op`` without an article ("opgegroeid op
  Katendrecht"); where a group is from ("de jongeren van het Schiereiland"); a capitalised
  article inside a sentence is part of the name ("uit De Peperklip"); not after a verb of
  looking ("keek naar …");
* **organisations**: ``Stichting X``, a kind of business before a name (``snackbar De Gouden
  Draak``, ``kapsalon Yasmina``), ``bij``/``voor`` X in a sentence about work (``werkt bij``,
  ``bezorger voor``, ``stage bij``, ``een contract bij``, ``via``), help from someone
  (``hulp van Lindenhout``, ``een traject bij …``), the people who work there (``de coach
  van Raak``), brand-like words with a capital inside (``PostNL``) and a firm's last word
  (``… Logistics``);
* **schools**: ``basisschool X`` and other school words before a name, ``op``/``naar`` ``het``
  X in a sentence about school (``zit op het Zadkine``);
* **first names**: next to a speech or action verb (``Ik sprak Ilias``, ``toen zag ik Ilias``,
  ``Ilias zei``, ``ik vroeg aan Esmée``), after a family or role word (``zijn broer Ilias``,
  ``juf Sanne``, ``de broer van Nordin``, ``Kevins moeder``), initials (``J. Bouzid``),
  after ``met`` or ``tegen`` (a common word there
  only when it is a known first name: not "de Week tegen Pesten"), before ``en ik``, or
  addressed (``Hé Ilias``).

Dutch writes its nouns in lower case, so in a strong context (``bij de`` in a sentence about
work, ``de leerkracht van de``) even a common noun with a capital is a name ("bij de Jumbo"),
unless it names a kind of place, body, trade or role ("bij de Gemeente", "de Burgemeester":
:func:`~workbench.audit.common_words.is_kind_noun`).

A capitalised word that starts a sentence is only taken when the context is unambiguous and
the word is not a common Dutch word (``Dan zei hij`` is no name). Words in capitals only
(``GGD``, ``UWV``) are left to the allow list and deduce, except after an organisation or
school word. Pure ``re`` with word lists: cheap to import and to run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from workbench.audit.common_words import (
    ARTICLE_BEFORE_RE,
    is_common_compound,
    is_kind_noun,
    is_never_a_name,
    looked_at,
)
from workbench.audit.common_words import FIELD_WORDS as _FIELD_WORDS
from workbench.audit.common_words import NEVER_NAMES as _NEVER
from workbench.audit.detectors import Flag, is_sentence_start
from workbench.audit.words import WordIndex, first_chunks, word_index

__all__ = ["context_flags", "looks_like_place", "prefer_firms", "prefer_places", "with_first_names"]

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"  # Latin-1 and Latin Extended-A (Ş, Ł, Ğ: Turkish, Polish names)
_LOWER = "a-zß-öø-ÿĀ-ž"
#: One capitalised word: "Kanaleneiland", "IJsselmonde", "Sint-Jansklooster", "D'Artagnan".
_CAP = rf"(?:(?:['’]s-)?(?:IJ|[{_UPPER}])[{_LOWER}{_UPPER}0-9'’\-]*[{_LOWER}{_UPPER}0-9]|[{_UPPER}])"
#: A name of one or more capitalised words, with the small words Dutch place and firm names
#: have inside ("Bergen op Zoom", "Alphen aan den Rijn", "De Gouden Draak").
_NAME = rf"(?:{_CAP})(?:(?:\s+(?:op|aan|den|de|der|van|ter|te|bij|'t|het))*\s+(?:{_CAP}))*"
_NAME_RE = re.compile(_NAME)

_PLACE_PREPOSITIONS = ("in", "uit", "bij", "naar", "rond", "rondom", "vanuit", "richting", "nabij",
                       "buiten", "tegenover", "omgeving", "tussen")
_PLACE_NOUNS = ("wijk", "buurt", "dorp", "stad", "stadsdeel", "woonwijk", "flat", "flats",
                "straat", "plein", "park", "kern", "gemeente", "regio", "achterstandswijk",
                "probleemwijk", "krachtwijk")
_ORG_TYPES = (
    "snackbar", "shoarmazaak", "shoarmatent", "kapper", "kapsalon", "barbershop", "barbier",
    "café", "cafe", "restaurant", "cafetaria", "sportschool", "boksschool", "kickboksschool",
    "voetbalclub", "voetbalvereniging", "sportclub", "club", "vereniging", "stichting",
    "winkel", "supermarkt", "garage", "bedrijf", "fabriek", "moskee", "kerk", "buurthuis",
    "jongerencentrum", "wijkcentrum", "coffeeshop", "bakkerij", "slagerij", "pizzeria", "hotel",
    "uitzendbureau", "bezorgdienst", "fastfoodketen", "telefoonwinkel", "belwinkel",
    "nagelstudio", "autobedrijf", "autowasstraat", "wasstraat", "loodgietersbedrijf",
    "schoonmaakbedrijf", "woningcorporatie", "corporatie", "zorginstelling", "instelling",
    "opvang", "jeugdinstelling", "woongroep", "gezinshuis", "bar", "discotheek", "club",
    "grillroom", "lunchroom", "shoarmabar", "eethuis", "eetcafé", "sportcafé", "shishalounge",
    "lounge", "kinderdagverblijf", "kinderopvang", "bso", "crèche", "peuterspeelzaal",
    "zorgboerderij", "manege", "camping", "speelhal", "casino", "gym", "dojo", "bioscoop",
    "drogist", "tankstation", "toko", "kiosk", "kwekerij", "bouwmarkt", "wasserette",
    "stomerij", "bakker", "slager", "groothandel", "webshop", "bezorgservice", "jongerenwerk",
    "welzijnsorganisatie", "welzijnsstichting", "zorgaanbieder", "jeugdhulpaanbieder",
)
_ORG_HEADS = ("Stichting", "Vereniging", "Coöperatie", "Coöperatieve", "Woningstichting",
              "Zorggroep", "Groep", "VV", "SV", "RKSV", "RKVV", "FC", "SC", "AV", "HC", "KV",
              "ASV", "VVV", "SBV", "BV", "Voetbalvereniging", "Sportvereniging")
_WORK_WORDS = (
    "werk", "werkt", "werkte", "werkten", "werken", "gewerkt", "baan", "baantje", "bijbaan",
    "bijbaantje", "contract", "contractje", "bezorger", "bezorgers", "bezorgt", "bezorgde",
    "bezorgen", "stage", "stageplek", "stageplaats", "vakkenvuller", "vakkenvullen",
    "dienst", "ontslagen", "solliciteren", "solliciteerde", "magazijn", "uitzendkracht",
    "loon", "salaris", "chauffeur", "koerier", "werkgever", "leidinggevende", "baas",
    "kassa", "kassière", "caissière", "schoonmaker", "schoonmaakster", "werkplek",
    "leerwerkplek", "ingeschreven", "uitzendbureau", "ploeg", "ploegendienst", "diensten",
    "vacature", "aangenomen", "personeel", "medewerker", "werknemer", "vrijwilliger",
    "vrijwilligster", "vrijwilligers", "vakken", "verdient", "verdiende", "verdienen",
    "bijverdienen", "klusjes", "klussen", "shift", "shifts", "diensten", "verkocht", "verkoopt",
    "verkopen", "verkoper", "verkoopster",
)
_SCHOOL_TYPES = (
    "basisschool", "obs", "cbs", "pcbs", "rkbs", "kbs", "ikc", "kindcentrum", "sbo", "so",
    "vso", "school", "middelbare school", "scholengemeenschap", "mbo", "hbo", "vmbo",
    "havo", "vwo", "roc", "praktijkonderwijs", "praktijkschool", "vakschool", "lyceum",
    "college", "gymnasium", "opleiding", "internaatschool", "speciaal onderwijs", "cluster-4-school",
)
_SCHOOL_WORDS = (
    "school", "klas", "klassen", "leerling", "leerlingen", "mentor", "docent", "docenten",
    "leraar", "lerares", "les", "lessen", "schoolplein", "spijbelen", "spijbelt", "spijbelde",
    "examen", "eindexamen", "brugklas", "rooster", "conciërge", "zorgcoördinator", "mbo",
    "vmbo", "havo", "vwo", "opleiding", "stage", "schorsing", "geschorst", "verzuim",
    "voorlichting", "gastles", "gastlessen", "bijles", "huiswerk", "diploma", "leerplicht",
    "leerplichtambtenaar", "ouderavond", "schoolarts", "schoolmaatschappelijk", "studenten",
    "student", "studie", "studeren", "studeert", "examens", "klasgenoten", "mentoruur",
    "directeur", "rector", "teamleider", "afdelingsleider", "pauze", "kantine",
    "leerkracht", "leerkrachten", "groepsleerkracht", "juf", "meester", "ib'er", "schoolleider",
    "schoolmaatschappelijk", "zorgteam", "onderwijs", "leerjaar", "groep",
)
#: Verbs of speaking and of social contact: a capitalised word right after them, or right
#: before them, is a person ("Ik sprak Ilias", "Ilias belde").
_SPEECH_VERBS = (
    "zei", "zegt", "zeiden", "sprak", "spreek", "spreekt", "spraken", "belde", "belt", "bel",
    "belden", "appte", "appt", "app", "vroeg", "vraagt", "vroegen", "vertelde", "vertelt",
    "riep", "roept", "schreef", "stuurde", "stuurt", "huilde", "lachte", "dacht", "denkt",
    "wilde", "wou", "snapte", "antwoordde", "zwoer", "beloofde", "dreigde", "loog", "sms'te",
    "dm'de", "facetimede", "fluisterde", "schreeuwde", "heette",
)
#: Verbs with an object: a capitalised word right after them is a person ("ik zag Ilias").
_OBJECT_VERBS = (
    "zag", "zie", "ziet", "kende", "ken", "kent", "ontmoette", "hielp", "help", "helpt",
    "bezocht", "haalde", "bracht", "volgde", "sprak", "spreek", "belde", "bel", "belt",
    "appte", "app", "vroeg", "vraag", "vraagt", "mis", "miste", "waarschuwde", "beschermde",
    "sloeg", "bedreigde", "ronselde", "benaderde", "vertrouw", "vertrouwde", "tegen", "met",
    "heet", "heette", "heten", "genaamd", "alias", "bijnaam", "naam van", "namens", "door",
)
_PERSON_NOUNS = (
    "broer", "broertje", "zus", "zusje", "zuster", "neef", "neefje", "nicht", "nichtje",
    "vriend", "vriendje", "vriendin", "vriendinnetje", "moeder", "vader", "oom", "tante",
    "opa", "oma", "buurman", "buurvrouw", "buurjongen", "buurmeisje", "collega", "mentor",
    "meester", "juf", "juffrouw", "jongen", "meisje", "jongeman", "dochter", "zoon",
    "stiefvader", "stiefmoeder", "stiefbroer", "halfbroer", "halfzus", "cliënt", "client",
    "klasgenoot", "klasgenote", "maat", "maatje", "vriendinnetje", "ex", "verloofde",
    "meneer", "mevrouw", "mijnheer", "agent", "wijkagent", "coach", "trainer", "docent",
    "neven", "leerling", "bewoner", "baas", "dealer", "ronselaar", "familie", "gezin",
    "zekere", "ene", "heer", "begeleider", "begeleidster", "hulpverlener", "jongerenwerker",
    "consulent", "casemanager", "voogd", "gezinsvoogd", "advocaat", "wijkcoach", "buddy",
)
#: Family and friends: "de broer van X" is someone's relative (not "de coach van Ajax").
_KIN_NOUNS = ("broer", "broertje", "zus", "zusje", "neef", "neefje", "nicht", "nichtje",
              "vriend", "vriendje", "vriendin", "moeder", "vader", "oom", "tante", "opa",
              "oma", "dochter", "zoon", "stiefvader", "stiefmoeder", "halfbroer", "halfzus",
              "ouders", "familie", "ex", "vriendinnetje", "buurjongen", "buurmeisje", "gezin")
_ADDRESS_WORDS = ("hé", "hee", "hey", "hoi", "zeg", "luister", "yo", "hallo", "joh", "dag",
                  "doei", "kom", "wacht", "sorry", "dank")


def _is_kind_noun(word: str) -> bool:
    """Whether ``word`` names a kind of place, body, trade or role (see
    :func:`~workbench.audit.common_words.is_kind_noun`), also one of this module's own lists."""
    w = word.casefold()
    return is_kind_noun(w) or w in _HABIT_CAPITALS or (w.endswith("s") and w[:-1] in _HABIT_CAPITALS)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in set(words)), key=len, reverse=True))


_PLACE_RE = re.compile(
    rf"(?<![\w])(?i:(?P<prep>{_alternation(_PLACE_PREPOSITIONS)})\s+(?P<article>(?:de|het|'t)\s+)?"
    rf"|(?:de|het|deze|die|onze|mijn|zijn|haar|hun)\s+(?:{_alternation(_PLACE_NOUNS)})\s+)"
    rf"(?P<name>{_NAME})")
_ORG_TYPE_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_ORG_TYPES)})(?:\s*,|\s+van)?\s+(?P<name>(?:(?:De|Het|'t|La|Le|El|Al)\s+)?{_NAME})")
#: A compound naming a kind of business before a name: "kebabzaak Anadolu", "belwinkel
#: Mobile4U", "fietsenmakerij De Spaak" (the kinds in ``_ORG_TYPES`` are matched whole).
_ORG_SUFFIXES = ("zaak", "winkel", "bedrijf", "bedrijfje", "tent", "studio", "salon", "shop",
                 "centrum", "makerij", "handel", "bureau", "club", "vereniging", "school",
                 "room", "bar", "lounge", "verblijf", "opvang", "boerderij", "markt", "organisatie",
                 "aanbieder", "instelling")
_ORG_COMPOUND_RE = re.compile(
    rf"(?<![\w])[{_LOWER}]{{3,}}(?:{_alternation(_ORG_SUFFIXES)})\s+"
    rf"(?P<name>(?:(?:De|Het|'t|La|Le|El|Al)\s+)?{_NAME})")
#: Sport at a club: "hij voetbalt bij VV Zwaluwen", "ze bokst bij Olympia".
_SPORT_VERBS = ("voetbalt", "voetbalde", "voetballen", "voetbalden", "traint", "trainde",
                "trainen", "bokst", "bokste", "boksen", "speelt", "speelde", "spelen",
                "hockeyt", "turnt", "zwemt", "kickbokst", "sport", "sportte", "sporten")
_SPORT_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_SPORT_VERBS)})\s+(?i:nu\s+|al\s+|toen\s+|ook\s+)?(?i:bij)\s+"
    rf"(?P<article>(?i:de|het)\s+)?(?P<name>{_NAME})")
_KNOWN_ORG_TYPE_RE = re.compile(rf"(?i:{_alternation(_ORG_TYPES)})\s*")
_ORG_HEAD_RE = re.compile(rf"(?<![\w])(?P<name>(?:{_alternation(_ORG_HEADS)})\s+{_NAME})")
_WORK_RE = re.compile(
    rf"(?<![\w])(?i:bij|voor|via|in\s+dienst\s+bij)\s+(?P<article>(?i:de|het)\s+)?(?P<name>{_NAME})")
#: Organisations a professional works with: "we werken veel samen met Eneco", "in
#: samenwerking met Stichting X".
_PARTNER_RE = re.compile(
    rf"(?<![\w])(?i:samen\s+met|samenwerking\s+met|contact\s+met|afspraken\s+met)\s+"
    rf"(?P<name>{_NAME})")
_BRAND_RE = re.compile(
    r"(?<![\w@#./])(?P<name>[A-Z][a-z]+[A-Z]\w*|(?!IJ[a-z])[A-Z]{2,}[a-z]+\w*"
    r"|[A-Z][a-z]+(?:NL|BV|B\.V\.))(?![\w@])")  # brands are written in ASCII: "PostNL", "CoolBlue"
_SCHOOL_TYPE_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_SCHOOL_TYPES)})\s+(?P<name>(?:(?:De|Het|'t)\s+)?{_NAME})")
_SCHOOL_ON_RE = re.compile(
    rf"(?<![\w])(?i:op|naar|aan)\s+(?:(?:het|de|'t)\s+(?P<name>{_NAME})"
    rf"|(?P<named>(?:De|Het|'t)\s+{_NAME}))")
_SCHOOL_OF_RE = re.compile(
    rf"(?<![\w])(?i:(?:van|bij|voor)\s+(?:het|'t|de))\s+(?P<name>{_NAME})")
#: A school named in apposition: "op De Rijzert, een school voor speciaal onderwijs".
_SCHOOL_APPOSITION_RE = re.compile(
    rf"(?<![\w@#.])(?P<name>(?:(?:De|Het|'t)\s+)?{_NAME})\s*,\s+(?i:een|de|het|die|dat)\s+"
    rf"(?i:(?:{_alternation(_SCHOOL_TYPES)})|[{_LOWER}]+(?:school|college|lyceum))(?![\w])")
#: A school named by its form nearby ("daarna op het Wellantcollege"): "op het X" is one too.
_SCHOOL_FORM_RE = re.compile(r"(?i)\w(?:college|lyceum|gymnasium|scholengemeenschap|school)\b")
_SCHOOL_GOING_RE = re.compile(
    rf"(?<![\w])(?i:(?:zit|zat|zitten|zaten|gaat|ging|gingen|gaan|kwam|kwamen)\s+"
    rf"(?:nu\s+|toen\s+|nog\s+|al\s+)?(?:op|naar)\s+(?:het|de|'t))\s+(?P<name>{_NAME})")
_SPEECH_BEFORE_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_OBJECT_VERBS)})\s+(?i:(?:ik|jij|je|hij|zij|ze|we|wij|u)\s+)?"
    rf"(?i:(?:meteen|direct|gelijk|nog|toen|ook|even|snel|later|vaak|altijd|gewoon|zelf|nooit|eigenlijk"
    rf"|eerst|daarna|dan)\s+)?"
    rf"(?P<name>{_CAP}(?:\s+(?:(?:van|de|der|den|el|al|ter|ten)\s+)*{_CAP}){{0,2}})(?![\w'’\-])")
_SPEECH_AFTER_RE = re.compile(
    rf"(?<![\w@#.])(?P<name>(?:{_CAP}\s+(?:(?:van|de|der|den|el|al)\s+)*){{0,2}}{_CAP})\s+"
    rf"(?i:{_alternation(_SPEECH_VERBS)})(?![\w])")
_PERSON_NOUN_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_PERSON_NOUNS)})\s+(?P<name>{_CAP}(?:\s+{_CAP})?)(?![\w'’\-])")
_ADDRESS_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_ADDRESS_WORDS)})[,!]?\s+(?P<name>{_CAP})(?=\s*[,!?.]|\s*$)",
    re.MULTILINE)
#: Direct speech opening with a name: "Ik zei: Filmon, je moet stoppen."
_VOCATIVE_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_SPEECH_VERBS + ('zeg', 'zeggen', 'roepen'))})"
    r"(?:\s+(?i:tegen|naar)\s+(?i:hem|haar|hen|ze|die\s+jongen|dat\s+meisje))?"  # "zeg tegen hem:"
    rf"\s*[:,]\s*[\"'“‘]?(?P<name>{_CAP})\s*[,!]")
_GROUP_NOUNS = ("jongens", "meiden", "meisjes", "kinderen", "jongeren", "broers", "zussen",
                "vrienden", "vriendinnen", "neven", "nichten", "klasgenoten", "leerlingen",
                "cliënten", "clienten", "bewoners", "dealers", "jochies", "gasten", "types")
#: A name in apposition to a person noun: "zijn moeder, Imane Martina, belde", "een van de
#: jongens, Filmon, had".
_APPOSITION_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_PERSON_NOUNS + _GROUP_NOUNS)})\s*,\s+"
    rf"(?P<name>{_CAP}(?:\s+(?:(?:van|de|der|den|ter|ten|el|al)\s+)*{_CAP}){{0,2}})\s*,")
#: A name with a person noun in apposition after it: "van Jolanda, de moeder van een van de
#: meiden", "Sanne, zijn zus, wist het".
_APPOSITION_AFTER_RE = re.compile(
    rf"(?<![\w@#.])(?P<name>{_CAP}(?:\s+(?:(?:van|de|der|den|ter|ten|el|al)\s+)*{_CAP}){{0,2}})"
    rf"\s*,\s+(?i:de|het|een|zijn|haar|mijn|hun|onze)\s+(?i:{_alternation(_PERSON_NOUNS)})(?![\w])")
#: A name before "heet hij/zij": "Die jongen, Brahim heet hij, zat …" (not "Snapchat heet hij
#: @x": an account's name follows the verb there).
_NAMED_AFTER_RE = re.compile(
    rf"(?<![\w@#.])(?P<name>{_CAP})\s*,?\s+(?i:zo\s+)?(?i:heet|heette)\s+"
    rf"(?i:hij|zij|ze|die(?:\s+(?:jongen|meid|meisje|knul|gast))?|dat\s+meisje)(?=\s*[,.;:!?])")
#: A name given in the interview: "ik noem hem maar even Yusuf", "laten we haar Sara noemen".
_CALLED_RE = re.compile(
    rf"(?<![\w])(?i:noem|noemde|noemden|noemen|noemt)\s+(?i:hem|haar|ze|die\s+jongen|dat\s+meisje)\s+"
    rf"(?i:(?:maar|even|gewoon|hier|dan|altijd|ook)\s+){{0,3}}(?P<name>{_CAP}(?:\s+{_CAP})?)(?![\w'’\-])")
#: Finite verbs that put the subject after them in a Dutch main clause ("Volgens mij wist
#: Filmon precies …", "Toen kwam Yonas binnen").
_INVERTED_VERBS = (
    "wist", "weet", "vond", "vindt", "had", "heeft", "was", "werd", "wordt", "kwam", "komt",
    "ging", "gaat", "moest", "moet", "kon", "kan", "zou", "wil", "wilde", "mocht", "mag",
    "liep", "loopt", "stond", "staat", "zat", "zit", "bleef", "blijft", "kreeg", "krijgt",
    "deed", "doet", "zegt", "zei", "begon", "begint", "hebben", "heb", "hadden", "zagen", "durfde", "durft", "hoefde", "probeerde",
    "probeert", "leek", "lijkt", "hoorde", "hoort", "snapte", "snapt", "voelde", "voelt",
    "is",
)
_INVERTED_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_INVERTED_VERBS)})\s+(?P<name>{_CAP}(?:\s+(?:(?:van|de|der|den|el)\s+)*{_CAP}){{0,2}})"
    rf"(?=\s+[{_LOWER}]|\s*[,.;:!?])")
#: A capitalised word inside a sentence right before a finite verb, not after an article:
#: the subject, a name ("Weet je, Tesfay is gewoon een lieve jongen").
_SUBJECT_RE = re.compile(
    rf"(?<![\w@#.])(?<!de )(?<!het )(?<!een )(?<!De )(?<!Het )(?<!Een )"
    rf"(?<!den )(?<!aan )(?<!op )(?<!der )(?<!ter )(?P<name>{_CAP})"  # not "Krimpen aan den IJssel"
    rf"\s+(?i:{_alternation(_INVERTED_VERBS + ('is', 'zijn', 'heeft', 'had', 'wordt'))})"
    rf"(?=\s+[{_LOWER}])")
#: A preposition right before a word: the word is no subject ("van Hoogvliet is …").
_PREPOSITION_BEFORE_RE = re.compile(
    r"(?<![\w])(?i:van|in|uit|bij|naar|rond|voor|met|vanuit|tussen|richting)\s+$")
#: "Hij en Tyrone waren …", "ik en Soufiane": a name beside a personal pronoun is a person.
_PRONOUNS = ("ik", "hij", "zij", "ze", "wij", "we", "jij", "mij", "hem", "haar")
_PRONOUN_AND_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_PRONOUNS)})\s+en\s+(?P<name>{_CAP})(?![\w'’\-])")
_PRONOUN_AND_KEYS = first_chunks(_PRONOUNS)
#: A proper name after a compound that ends in a place noun: "de Vogelaarwijk Bouwlust".
_COMPOUND_PLACE_RE = re.compile(
    rf"(?<![\w])(?i:[{_LOWER}{_UPPER}]+(?:wijk|buurt|dorp|stadsdeel|wijkje|buurtje))\s+"
    rf"(?P<name>{_NAME})")
#: An organisation after the people who work there: "de jongerenwerkers van Welzijn Lokaal".
_STAFF_WORDS = ("jongerenwerker", "jongerenwerkers", "medewerker", "medewerkers", "collega",
                "collega's", "directeur", "directie", "manager", "coördinator", "coordinator",
                "hulpverlener", "hulpverleners", "begeleider", "begeleiders", "werkers",
                "consulent", "consulenten", "team", "mensen", "vrijwilligers", "vrijwilliger",
                "stagiair", "stagiaire", "trainer", "trainers", "beveiliger", "beveiligers",
                "coach", "coaches", "leiding", "begeleiding")
#: Every noun above: written with a capital, still a kind, not a name (see :func:`_is_kind_noun`).
_HABIT_CAPITALS = frozenset(w.casefold() for w in (
    *_ORG_TYPES, *_SCHOOL_TYPES, *_SCHOOL_WORDS, *_WORK_WORDS, *_PLACE_NOUNS, *_PERSON_NOUNS,
    *_STAFF_WORDS, *_GROUP_NOUNS, *_KIN_NOUNS, *_FIELD_WORDS))
#: Help from an organisation: "ze krijgt hulp van Lindenhout", "begeleiding via Youké",
#: "een traject bij Pluryn" (a first name there is a person: "hulp van Kevin").
_CARE_WORDS = ("hulp", "begeleiding", "ondersteuning", "behandeling", "therapie", "traject",
               "hulpverlening", "zorg", "opvang", "jeugdhulp", "coaching", "training", "cursus",
               "dagbesteding", "bemiddeling", "schuldhulp", "woonbegeleiding")
_CARE_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_CARE_WORDS)})\s+(?i:van|via|door|bij|vanuit)\s+"
    rf"(?P<name>{_NAME})")
_CARE_KEYS = first_chunks(_CARE_WORDS)
#: An initial before a surname: "J. Bouzid", "A.M. de Wit".
_INITIALS_RE = re.compile(
    rf"(?<![\w.])(?P<name>(?:[{_UPPER}]\.\s?){{1,3}}(?:(?:van|de|der|den|ter|ten|el|al)\s+)*{_CAP})"
    rf"(?![\w'’\-])")
#: A referral: "doorverwezen naar Fier", "aangemeld bij Jeugdformaat" (a first name there is a
#: person: "verwezen naar Kevin").
_REFERRAL_RE = re.compile(
    r"(?<![\w])(?i:doorverwezen|verwezen|verwijzen|verwijs|verwees|doorverwijzen|aangemeld"
    r"|aanmelden|meldde|gemeld|overgedragen|overdragen)\s+(?i:naar|bij|aan)\s+"
    rf"(?P<article>(?i:de|het)\s+)?(?P<name>{_NAME})")
_REFERRAL_KEYS = first_chunks(("doorverwezen", "verwezen", "verwijzen", "verwijs", "verwees",
                               "doorverwijzen", "aangemeld", "aanmelden", "meldde", "gemeld",
                               "overgedragen", "overdragen"))
#: Where a group of young people is from: "de jongeren van het Schiereiland", "de jongens uit
#: de Bijlmer".
_GROUP_OF_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_GROUP_NOUNS)})\s+(?i:van|uit)\s+"
    rf"(?P<article>(?i:de|het|'t)\s+)?(?P<name>{_NAME})")
_GROUP_OF_KEYS = first_chunks(_GROUP_NOUNS)
#: "Op het Albeda kreeg hij een kans", "naar het Comenius": a name after "op/naar het" is an
#: institution, most often a school (a place-like name is left to the place rules).
_NAMED_SCHOOL_RE = re.compile(rf"(?<![\w])(?i:op|naar)\s+(?i:het|'t)\s+(?P<name>{_NAME})")
#: Leaving or being sent from a school: "Hij is van het Lentiz afgegaan", "van het Zadkine
#: gestuurd" (a name after "van het" and before such a verb).
_OFF_SCHOOL_RE = re.compile(
    rf"(?<![\w])(?i:van)\s+(?i:het|'t)\s+(?P<name>{_NAME})\s+(?i:af(?:gegaan|gestuurd|gegooid"
    rf"|getrapt|geschopt|gehaald|gevallen)?|gestuurd|gegooid|getrapt|geschopt|verwijderd"
    rf"|geschorst)(?![\w])")
_OFF_SCHOOL_KEYS = first_chunks(("van",))
#: Someone's relative or thing by a genitive -s: "Kevins moeder", "met Sanne's broer".
_GENITIVE_RE = re.compile(
    rf"(?<![\w@#.])(?P<name>{_CAP}s)['’]?\s+"
    rf"(?i:{_alternation(_PERSON_NOUNS + _KIN_NOUNS + ('ouders', 'kamer', 'telefoon', 'huis'))})"
    rf"(?![\w])")
_STAFF_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_STAFF_WORDS)})\s+(?i:van|bij)\s+(?P<name>{_NAME})")
#: "Kevin zijn moeder", "Sanne haar idee", "Ilias' broer" (not "… zijn er", "… zijn niet").
_POSSESSIVE_RE = re.compile(
    rf"(?<![\w@#.])(?<!de )(?<!De )(?<!het )(?<!Het )(?P<name>{_CAP})(?:\s+(?:zijn|z'n|haar|d'r)\s+"
    r"(?!(?:er|niet|wel|ook|al|nog|dan|daar|hier|de|het|een|zo|heel|best|gewoon|echt|erg|te"
    r"|vaak|soms|altijd|nooit|allemaal|samen|bezig|weg|thuis|op|in|aan|bij|met|van|voor)\b)"
    rf"|['’]s?\s)")


#: Prepositions that also stand before ordinary nouns: a common word after them is taken
#: only when it is a known first name ("tegen Roos" yes, "de Week tegen Pesten" no).
_WEAK_BEFORE = frozenset(("tegen", "met", "door", "namens"))
_TOLD_VERBS = ("vroeg", "vroegen", "vraag", "vraagt", "gevraagd", "vertelde", "vertelden",
               "verteld", "vertel", "zei", "gezegd", "gaf", "gegeven", "schreef", "stuurde",
               "gestuurd", "legde", "uitgelegd", "doorgegeven", "beloofd", "beloofde")
#: "Ik vroeg aan Esmée of …", "dat heb ik aan Khadija gevraagd".
_TOLD_TO_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_TOLD_VERBS)})\s+(?i:(?:het|dat|dit|ook|toen|nog|meteen)\s+)?"
    rf"(?i:aan)\s+(?P<name>{_CAP})(?![\w'’\-])")
_TOLD_AFTER_RE = re.compile(
    rf"(?<![\w])(?i:aan)\s+(?P<name>{_CAP})\s+(?i:{_alternation(_TOLD_VERBS)})(?![\w])")
#: "de oudere broer van Nordin", "de moeder van Jayden".
_KIN_OF_RE = re.compile(
    rf"(?<![\w])(?i:{_alternation(_KIN_NOUNS)})\s+van\s+(?P<name>{_CAP})(?![\w'’\-])")
#: "Bilal en ik zijn …", "met Lars en mij".
_AND_NAME_NEXT_RE = re.compile(rf"\s+en\s+{_CAP}(?![\w'’\-])")
_AND_I_RE = re.compile(rf"(?<![\w@#.])(?P<name>{_CAP})\s+en\s+(?i:ik|mij)(?![\w])")


def _is_name_word(word: str) -> bool:
    """A capitalised word that can be a name: not in capitals only, not a never-name (for a
    name of several words: the whole is no never-name, "Randstad Uitzendbureau" is a name)."""
    words = word.split()
    if not words or words[0].isupper():
        return False
    if len(words) > 1:
        return not is_never_a_name(word)
    return words[0].casefold() not in _NEVER


def _sentence_of(text: str, pos: int) -> str:
    start = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos), text.rfind("?", 0, pos),
                text.rfind("!", 0, pos)) + 1
    ends = [i for i in (text.find(c, pos) for c in ".\n?!") if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def _words(sentence: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[\w'’]+", sentence)}


def _sentence_has(text: str, pos: int, words: frozenset[str],
                  endings: tuple[str, ...] = ()) -> bool:
    """Whether the sentence around ``pos`` holds one of ``words`` (or a word ending in one of
    ``endings``: "bezorgwerk", "zaterdagbaan")."""
    found = _words(_sentence_of(text, pos))
    return not words.isdisjoint(found) or (bool(endings) and any(
        w.endswith(endings) for w in found))


_SCHOOL_WORD_SET = frozenset(_SCHOOL_WORDS)
_SCHOOL_KIND_WORDS = frozenset(w.casefold() for w in (*_SCHOOL_TYPES, *_SCHOOL_WORDS))
#: Work and care words: "bij X" in such a sentence is an employer or a care provider ("ze zit
#: bij Pameijer in een traject").
_WORK_WORD_SET = frozenset((*_WORK_WORDS, *_CARE_WORDS))
#: Compounds of a work word are work words: "bezorgwerk", "vakantiebaan", "uitzendcontract".
_WORK_ENDINGS = ("werk", "baan", "baantje", "contract", "stage", "bezorger", "koerier")
#: A sentence about working with someone: "we werken veel samen met …".
_DETERMINERS = frozenset(("mijn", "zijn", "haar", "hun", "onze", "ons", "jouw", "je", "uw",
                         "deze", "die", "dit", "dat", "elke", "ieder", "iedere", "geen"))
_PARTNER_WORD_SET = frozenset({"werken", "werkt", "werkten", "werk", "samenwerking", "we", "wij",
                               "onze"})


class _Collector:
    def __init__(self, text: str, common: Callable[[str], bool],
                 first_name: Callable[[str], bool | None]) -> None:
        self.text = text
        self.common = common
        self.first_name = first_name
        self.flags: list[Flag] = []

    def add(self, start: int, end: int, category: str, *, at_start_ok: bool = False,
            not_common: bool = False, caps_ok: bool = False, weak: bool = False,
            named_noun: bool = False) -> None:
        """Flag ``text[start:end]`` unless grammar explains its capital. ``not_common``: not
        for one common Dutch word, unless ``named_noun`` (a strong context) and the word names
        no kind of place, body or role ("bij de Jumbo", not "bij de Gemeente"); ``weak`` (a
        context that also precedes ordinary nouns, "tegen", "met"): not for one common word
        unless it is a known first name."""
        name = self.text[start:end]
        while (" " in name and is_sentence_start(self.text, start)
               and self.common(name.split()[0])):
            # "Toen Kevin zei": the sentence's first word is no part of the name
            first = re.match(r"\S+\s+", name)
            assert first is not None
            start += first.end()
            name = self.text[start:end]
        if name.split()[0].casefold() in _DETERMINERS and " " in name:
            return  # "In Mijn Ogen": a capitalised phrase, no name
        acronym = caps_ok and name.isupper() and len(name) >= 2 and not is_never_a_name(name)
        headed = category == "institution" and name.split()[0] in _ORG_HEADS and " " in name
        rest = name.split(None, 1)[1] if headed else name
        if not acronym and not (headed and rest.isupper() and len(rest) >= 2) \
                and not _is_name_word(rest):
            return  # (a club's letters before its name are fine: "VV Zwaluwen")
        if category == "school" and name.casefold() in _SCHOOL_KIND_WORDS:
            return  # "op de Havo", "naar het Mbo": the kind of school, not its name
        if not_common and " " not in name and self.common(name) and not (
                named_noun and not _is_kind_noun(name)):
            return  # "naar het Centrum", "bij de Bakker": a noun with a capital
        if ((weak or (category == "person" and ARTICLE_BEFORE_RE.search(
                self.text, max(0, start - 5), start)))
                and " " not in name and self.common(name) and not self.first_name(name)):
            return  # "de Week tegen Pesten", "het Team zei": a noun, not someone met
        if is_sentence_start(self.text, start) and (not at_start_ok
                                                     or self.common(name.split()[0])):
            # A capital that grammar explains: taken only where the context is unambiguous,
            # and only for a word that is no common Dutch word.
            return
        self.flags.append(Flag(start, end, category, name, "pattern"))


#: The words each keyword-first pattern can start with (see :class:`~workbench.audit.words.WordIndex`).
_PLACE_KEYS = first_chunks(_PLACE_PREPOSITIONS + ("de", "het", "deze", "die", "onze", "mijn",
                                                   "zijn", "haar", "hun"))
_ORG_TYPE_KEYS = first_chunks(_ORG_TYPES)
_ORG_HEAD_KEYS = first_chunks(_ORG_HEADS)
_SPORT_KEYS = first_chunks(_SPORT_VERBS)
_WORK_KEYS = first_chunks(("bij", "voor", "via", "in"))
_PARTNER_KEYS = first_chunks(("samen", "samenwerking", "contact", "afspraken"))
_SCHOOL_TYPE_KEYS = first_chunks(_SCHOOL_TYPES)
_SCHOOL_ON_KEYS = first_chunks(("op", "naar", "aan"))
_SCHOOL_OF_KEYS = first_chunks(("van", "bij", "voor"))
_SCHOOL_GOING_KEYS = first_chunks(("zit", "zat", "zitten", "zaten", "gaat", "ging", "gingen",
                                    "gaan", "kwam", "kwamen"))
_SPEECH_BEFORE_KEYS = first_chunks(_OBJECT_VERBS)
_PERSON_NOUN_KEYS = first_chunks(_PERSON_NOUNS)
_ADDRESS_KEYS = first_chunks(_ADDRESS_WORDS)
_VOCATIVE_KEYS = first_chunks(_SPEECH_VERBS + ("zeg", "zeggen", "roepen"))
_APPOSITION_KEYS = first_chunks(_PERSON_NOUNS + _GROUP_NOUNS)
_INVERTED_KEYS = first_chunks(_INVERTED_VERBS)
_STAFF_KEYS = first_chunks(_STAFF_WORDS)
_CALLED_KEYS = first_chunks(("noem", "noemde", "noemden", "noemen", "noemt"))
_TOLD_TO_KEYS = first_chunks(_TOLD_VERBS)
_AAN_KEYS = first_chunks(("aan",))
_KIN_OF_KEYS = first_chunks(_KIN_NOUNS)
_COMPOUND_PLACE_SUFFIXES = ("wijk", "buurt", "dorp", "stadsdeel", "wijkje", "buurtje")



def context_flags(text: str, *, common_word: Callable[[str], bool] | None = None,
                  first_name: Callable[[str], bool | None] | None = None) -> list[Flag]:
    """Places, organisations, schools and first names found by their context (see the module
    docstring). ``common_word(word)`` says whether a word is a common Dutch word (default:
    :func:`workbench.audit.common_words.is_common_word`); ``first_name(word)`` whether it is a
    known first name (default: deduce's table when deduce is loaded)."""
    if common_word is None:
        from workbench.audit.common_words import is_common_word

        common_word = is_common_word
    if first_name is None:
        from workbench.audit.deduce_engine import is_first_name

        first_name = is_first_name
    out = _Collector(text, common_word, first_name)
    words = word_index(text)
    for find in (_organisations_and_schools, _places, _people_by_verbs, _by_role_and_help,
                 _by_sentence_shape):  # in this order: a later rule's flag merges with an earlier
        find(text, words, out, first_name)
    return _coordinated(text, out)


def _organisations_and_schools(text: str, words: WordIndex, out: _Collector,
                               first_name: Callable[[str], bool | None]) -> None:
    """Organisations and schools by their form and the words before them."""
    for m in words.matches(_ORG_HEAD_RE, words.starting(_ORG_HEAD_KEYS)):
        out.add(m.start("name"), m.end("name"), "institution", at_start_ok=True)
    for m in words.matches(_ORG_TYPE_RE, words.starting(_ORG_TYPE_KEYS)):
        # a capitalised kind of business is part of the name: "Barbershop Royal"
        start = m.start() if text[m.start()].isupper() else m.start("name")
        out.add(start, m.end("name"), "institution", caps_ok=True)
    for m in words.matches(_ORG_COMPOUND_RE, words.ending(_ORG_SUFFIXES)):
        if not _KNOWN_ORG_TYPE_RE.fullmatch(text, m.start(), m.start("name") - 1):
            out.add(m.start("name"), m.end("name"), "institution", caps_ok=True)
    for m in words.matches(_SPORT_RE, words.starting(_SPORT_KEYS)):
        out.add(m.start("name"), m.end("name"), "institution", caps_ok=True,
                not_common=bool(m.group("article")))
    for m in words.matches(_BRAND_RE, words.capitals):
        out.add(m.start("name"), m.end("name"), "institution", at_start_ok=True)
    for m in words.matches(_SCHOOL_TYPE_RE, words.starting(_SCHOOL_TYPE_KEYS)):
        out.add(m.start("name"), m.end("name"), "school")
    for m in words.matches(_SCHOOL_GOING_RE, words.starting(_SCHOOL_GOING_KEYS)):
        out.add(m.start("name"), m.end("name"), "school", not_common=True)
    for m in words.matches(_SCHOOL_ON_RE, words.starting(_SCHOOL_ON_KEYS)):
        # a school word in the sentence or the one before or after it
        near = text[max(0, m.start() - 160):m.end() + 160]
        if (_sentence_has(text, m.start(), _SCHOOL_WORD_SET) or _words(near) & _SCHOOL_WORD_SET
                or _SCHOOL_FORM_RE.search(near)):
            group = "name" if m.group("name") else "named"
            out.add(m.start(group), m.end(group), "school", not_common=True)
    for m in words.matches(_SCHOOL_APPOSITION_RE, words.capitals):
        out.add(m.start("name"), m.end("name"), "school", at_start_ok=True)
    for m in words.matches(_SCHOOL_OF_RE, words.starting(_SCHOOL_OF_KEYS)):  # "de mentor van het Deltion"
        if _sentence_has(text, m.start(), _SCHOOL_WORD_SET):
            out.add(m.start("name"), m.end("name"), "school", not_common=True, named_noun=True)
    for m in words.matches(_WORK_RE, words.starting(_WORK_KEYS)):
        if _sentence_has(text, m.start(), _WORK_WORD_SET, _WORK_ENDINGS):
            name = m.group("name")  # a full name is a firm: "werkt bij Albert Heijn"
            person = not m.group("article") and " " not in name and bool(first_name(name))
            out.add(m.start("name"), m.end("name"), "person" if person else "institution",
                    caps_ok=not person, not_common=bool(m.group("article")),
                    named_noun=True)  # "bij de Hema"; "werkt voor Kevin" is a person


def _places(text: str, words: WordIndex, out: _Collector,
            first_name: Callable[[str], bool | None]) -> None:
    """Places after a preposition, "op", a move or an origin."""
    for m in words.matches(_PLACE_RE, words.starting(_PLACE_KEYS)):
        _add_place(text, m, out)
    for m in words.matches(_ON_NAME_RE, words.starting(_ON_KEYS)):
        name = m.group("name")
        if name.split()[0] in ("De", "Het", "'t"):
            continue  # "op De Rijzert": the school rules decide
        person = bool(first_name(name.split()[0]))
        out.add(m.start("name"), m.end("name"), "person" if person else "place",
                not_common=True)
    for m in words.matches(_ON_PLACE_RE, words.starting(_ON_KEYS)):
        if looks_like_place(m.group("name")) and not _STREET_END_RE.search(m.group("name")):
            out.add(m.start("name"), m.end("name"), "place", not_common=True)
    for m in words.matches(_FROM_TO_RE, words.starting(_FROM_KEYS)):
        if not first_name(m.group("name").split()[0]):
            out.add(m.start("name"), m.end("name"), "place", not_common=True)
    for m in words.matches(_ORIGIN_RE, words.starting(_ORIGIN_KEYS)):
        if not m.group("article") or looks_like_place(m.group("name")):
            out.add(m.start("name"), m.end("name"), "place", not_common=True)


def _people_by_verbs(text: str, words: WordIndex, out: _Collector,
                     first_name: Callable[[str], bool | None]) -> None:
    """People next to a verb of speaking, contact or telling, or a family word."""
    for m in words.matches(_SPEECH_BEFORE_RE, words.starting(_SPEECH_BEFORE_KEYS)):
        weak = (m.group(0).split()[0].casefold() in _WEAK_BEFORE
                and not _AND_NAME_NEXT_RE.match(text, m.end("name")))  # "met Lars en Milan"
        out.add(m.start("name"), m.end("name"), "person", weak=weak)
    for regex, keys in ((_PERSON_NOUN_RE, _PERSON_NOUN_KEYS),
                        (_TOLD_TO_RE, _TOLD_TO_KEYS), (_KIN_OF_RE, _KIN_OF_KEYS)):
        for m in words.matches(regex, words.starting(keys)):
            out.add(m.start("name"), m.end("name"), "person", weak=regex is _KIN_OF_RE)
    for m in words.matches(_TOLD_AFTER_RE, words.starting(_AAN_KEYS)):
        out.add(m.start("name"), m.end("name"), "person", not_common=True)
    for m in words.matches(_CALLED_RE, words.starting(_CALLED_KEYS)):
        out.add(m.start("name"), m.end("name"), "person")
    for m in words.matches(_PRONOUN_AND_RE, words.starting(_PRONOUN_AND_KEYS)):
        out.add(m.start("name"), m.end("name"), "person", at_start_ok=True)
    for m in words.matches(_AND_I_RE, words.capitals):
        out.add(m.start("name"), m.end("name"), "person", at_start_ok=True)


def _by_role_and_help(text: str, words: WordIndex, out: _Collector,
                      first_name: Callable[[str], bool | None]) -> None:
    """Names after the people who work somewhere, a referral, help, initials, a group's origin, a school after "op het", a genitive."""
    for m in words.matches(_PARTNER_RE, words.starting(_PARTNER_KEYS)):
        if _sentence_has(text, m.start(), _PARTNER_WORD_SET):
            out.add(m.start("name"), m.end("name"), "institution", caps_ok=True)
    for m in words.matches(_STAFF_RE, words.starting(_STAFF_KEYS)):
        person = bool(first_name(m.group("name").split()[0]))  # "de coach van Kevin"
        out.add(m.start("name"), m.end("name"), "person" if person else "institution",
                caps_ok=not person)
    for m in words.matches(_REFERRAL_RE, words.starting(_REFERRAL_KEYS)):
        person = not m.group("article") and bool(first_name(m.group("name").split()[0]))
        out.add(m.start("name"), m.end("name"), "person" if person else "institution",
                caps_ok=not person, not_common=True, named_noun=True)
    for m in words.matches(_CARE_RE, words.starting(_CARE_KEYS)):
        person = bool(first_name(m.group("name").split()[0]))
        out.add(m.start("name"), m.end("name"), "person" if person else "institution",
                caps_ok=not person)
    for m in words.matches(_INITIALS_RE, words.capitals):
        surname = m.group("name").split()[-1]
        if _is_name_word(surname) and not out.common(surname):  # the initials need no check
            out.flags.append(Flag(m.start("name"), m.end("name"), "person", m.group("name"),
                                  "pattern"))
    for m in words.matches(_GROUP_OF_RE, words.starting(_GROUP_OF_KEYS)):
        name = m.group("name")
        if m.group("article"):  # "van het Schiereiland", not "de kinderen van de Buren"
            if looks_like_place(name) or not (out.common(name) or is_common_compound(name)):
                out.add(m.start("name"), m.end("name"), "place", named_noun=True)
        elif first_name(name.split()[0]):
            out.add(m.start("name"), m.end("name"), "person")
        else:
            out.add(m.start("name"), m.end("name"), "place", not_common=True)
    for regex, keys in ((_NAMED_SCHOOL_RE, _SCHOOL_ON_KEYS), (_OFF_SCHOOL_RE, _OFF_SCHOOL_KEYS)):
        for m in words.matches(regex, words.starting(keys)):
            if not looks_like_place(m.group("name")):
                out.add(m.start("name"), m.end("name"), "school", not_common=True)
    for m in words.matches(_GENITIVE_RE, words.capitals):
        stem = m.group("name")[:-1]
        if first_name(stem) or not out.common(stem):
            out.add(m.start("name"), m.end("name"), "person", at_start_ok=True)


def _by_sentence_shape(text: str, words: WordIndex, out: _Collector,
                       first_name: Callable[[str], bool | None]) -> None:
    """Names by the shape of the sentence: a subject before its verb, an apposition, a possessive, an address."""
    for m in words.matches(_COMPOUND_PLACE_RE, words.ending(_COMPOUND_PLACE_SUFFIXES)):
        out.add(m.start("name"), m.end("name"), "place")
    for m in words.matches(_SUBJECT_RE, words.capitals):
        name = m.group("name")
        before = _PREPOSITION_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
        if before and looks_like_place(name):  # "bij het winkelcentrum van Hoogvliet is …"
            out.add(m.start("name"), m.end("name"), "place", not_common=True)
            continue
        if before and before.group().strip().casefold() != "van":
            continue  # "met Ajax is …": no subject; other rules and the last net decide
        if not is_common_compound(name):  # "Wij als Jongerenwerk zijn …"
            out.add(m.start("name"), m.end("name"), "person", not_common=True)
    for regex, keys in ((_APPOSITION_RE, _APPOSITION_KEYS), (_INVERTED_RE, _INVERTED_KEYS)):
        for m in words.matches(regex, words.starting(keys)):
            out.add(m.start("name"), m.end("name"), "person")
    for regex, starts in ((_SPEECH_AFTER_RE, words.capitals),
                          (_APPOSITION_AFTER_RE, words.capitals),
                          (_NAMED_AFTER_RE, words.capitals),
                          (_ADDRESS_RE, words.starting(_ADDRESS_KEYS)),
                          (_POSSESSIVE_RE, words.capitals),
                          (_VOCATIVE_RE, words.starting(_VOCATIVE_KEYS))):
        for m in words.matches(regex, starts):
            out.add(m.start("name"), m.end("name"), "person", at_start_ok=True,
                    weak=regex is _POSSESSIVE_RE)  # not "de jongeren van Nu zijn anders"


_AND_NEXT_RE = re.compile(rf"\s*(?:,\s*|\s+(?:en|of|&)\s+)(?P<name>{_NAME})")


def _coordinated(text: str, out: _Collector) -> list[Flag]:
    """A name joined to a found one by "en", "of" or a comma is of the same kind: "in Zuilen
    en Ondiep", "Youssef en Hamza", "het Calvijn of het Wellant"."""
    for flag in list(out.flags):
        end = flag.end
        while True:
            m = _AND_NEXT_RE.match(text, end)
            if m is None:
                break
            out.add(m.start("name"), m.end("name"), flag.category)
            end = m.end("name")
    return out.flags


_PLACE_ENDINGS = ("wijk", "buurt", "dorp", "veld", "velden", "berg", "dam", "dijk", "haven",
                  "hoven", "hof", "kwartier", "laan", "plein", "park", "straat", "poort",
                  "eiland", "land", "oord", "kamp", "weide", "meer", "woud", "zand", "horst",
                  "stein", "rode", "recht", "vecht", "waard", "loo", "heuvel", "hoek", "burg",
                  "stad", "kerk", "hout", "broek", "dal", "donk", "schot", "vliet")


def looks_like_place(name: str) -> bool:
    """Whether a name's last word ends like a Dutch place name ("Hoogvliet", "Kruiskamp")."""
    last = name.split()[-1].casefold()
    return any(last.endswith(e) and len(last) > len(e) for e in _PLACE_ENDINGS)


_INTERFIX_START = re.compile(r"(?:van|de|der|den|ter|ten|te|van't|el|al|ait|ben|bin|da|di|dos|le|la)\s", re.I)
_WORD_BEFORE = re.compile(rf"(?P<word>{_CAP})\s+$")


def with_first_names(text: str, flags: list[Flag], *,
                     common_word: Callable[[str], bool] | None = None) -> list[Flag]:
    """Person flags that begin with a surname's small word ("de Vries", "van Dijk") take in
    the capitalised word before them, the first name ("Wiktoria de Vries"), unless that word
    names no one or is a common word at the start of a sentence."""
    if common_word is None:
        from workbench.audit.common_words import is_common_word

        common_word = is_common_word
    out: list[Flag] = []
    for flag in flags:
        if flag.category == "person" and _INTERFIX_START.match(flag.text) and flag.text[:1].islower():
            m = _WORD_BEFORE.search(text, max(0, flag.start - 40), flag.start)
            if m and _is_name_word(m.group("word")) and not (
                    is_sentence_start(text, m.start()) and common_word(m.group("word"))):
                start = m.start("word")
                out.append(Flag(start, flag.end, "person", text[start:flag.end], flag.source))
                continue
        out.append(flag)
    return out


#: A move: "verhuisd van Poelenburg naar Kogerveld" (both places; "naar" is a place rule).
_FROM_TO_RE = re.compile(rf"(?<![\w])(?i:van)\s+(?P<name>{_NAME})\s+(?i:naar)\s+(?=[{_UPPER}])")
_FROM_KEYS = first_chunks(("van",))
#: Where someone comes from: "hij komt van Pendrecht", "ze kwam van de Bijlmer".
_ORIGIN_RE = re.compile(
    rf"(?<![\w])(?i:komt|kwam|kwamen|komen|kom|afkomstig)\s+(?i:(?:oorspronkelijk|zelf|ook|net"
    rf"|gewoon|eigenlijk)\s+)*(?i:van)\s+(?P<article>(?i:de|het|'t)\s+)?(?P<name>{_NAME})")
#: "Ze woont op de Vinkenbuurt": "op" a place only for a name that looks like one.
_ON_PLACE_RE = re.compile(rf"(?<![\w])(?i:op\s+(?:de|het|'t))\s+(?P<name>{_NAME})")
#: "Hij is opgegroeid op Katendrecht", "op Texel": a name after "op" without an article
#: (a known first name there is a person: "wachten op Kevin").
_ON_NAME_RE = re.compile(rf"(?<![\w])(?i:op)\s+(?P<name>{_NAME})")
_ON_KEYS = first_chunks(("op",))
#: Street words among the place endings: "op het Mercatorplein" is an address.
_STREET_END_RE = re.compile(r"(?i)(?:laan|plein|straat|park|dijk|kade|weg)$")
_ORIGIN_KEYS = first_chunks(("komt", "kwam", "kwamen", "komen", "kom", "afkomstig"))


def _add_place(text: str, m: re.Match[str], out: _Collector) -> None:
    """A place after a preposition: with an article only for a word that is no common noun
    ("uit de Bijlmer", not "naar de Rechter"), and after "bij de" only for a word that looks
    like a place ("bij de Bakker" is a shop or a surname); one common word followed by a
    number is a class or group ("In Groep 8"). An article with a capital inside a sentence
    belongs to the name ("uit De Peperklip")."""
    name = m.group("name")
    article = m.group("article") or ""
    prep = (m.group("prep") or "").casefold()
    if article and prep == "bij" and not looks_like_place(name):
        return
    if prep == "naar" and looked_at(text, m.start("name")):
        return  # "ze keek naar Boer zoekt Vrouw": what she watched, not where she went
    if article[:1].isupper() and not is_sentence_start(text, m.start()):
        out.add(m.start("article"), m.end("name"), "place")
        return
    if article and " " not in name and is_common_compound(name) and not looks_like_place(name):
        return  # "naar de Kinderbescherming"
    if " " not in name and _NUMBER_NEXT_RE.match(text, m.end("name")) and out.common(name):
        return
    out.add(m.start("name"), m.end("name"), "place", not_common=bool(article))


_NUMBER_NEXT_RE = re.compile(
    r"\s+(?:\d|(?i:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)\b)")

_STRONG_PLACE_BEFORE = re.compile(
    r"(?i:\b(?:(?:in|uit|vanuit|rond|rondom|richting|nabij|omgeving)(?:\s+(?:het|'t))?"
    r"|(?:de|het)\s+(?:wijk|buurt|dorp|stad|stadsdeel|woonwijk)))\s+$")


_PLACE_LEAD_RE = re.compile(
    r"(?i:in|uit|vanuit|rond|rondom|richting|nabij)(?:\s+(?:de|het|'t))?\s+(?=\S)")


def prefer_places(text: str, flags: list[Flag], *,
                  first_name: Callable[[str], bool | None] | None = None) -> list[Flag]:
    """A person flag right after ``in``, ``uit``, ``vanuit``, ``rond``, ``in het``, ``de wijk`` …
    is a place ("uit Oosterkamp", "in Den Bosch", "in het Oude Westen": deduce knows the words
    as a surname), unless its first word is a known first name."""
    if first_name is None:
        from workbench.audit.deduce_engine import is_first_name

        first_name = is_first_name
    out: list[Flag] = []
    for flag in flags:
        lead = _PLACE_LEAD_RE.match(flag.text) if flag.category == "person" else None
        if lead and flag.text[lead.end():][:1].isupper() and not first_name(
                flag.text[lead.end():].split()[0]):
            # "In het Oude Westen" flagged whole as a person: the place after the preposition
            start = flag.start + lead.end()
            flag = Flag(start, flag.end, "place", text[start:flag.end], flag.source)
        if (flag.category == "person" and flag.text[:1].isupper()
                and _STRONG_PLACE_BEFORE.search(text, max(0, flag.start - 24), flag.start)
                and not first_name(flag.text.split()[0])):
            flag = Flag(flag.start, flag.end, "place", flag.text, flag.source)
        out.append(flag)
    return out


#: Words that end a firm's name: "Jan de Rijk Logistics", "Demir Bouw", "Van Dam Transport".
_FIRM_ENDS = frozenset(w.casefold() for w in (
    "Logistics", "Logistiek", "Transport", "Transporten", "Holding", "Group", "Groep",
    "Services", "Service", "Bouw", "Techniek", "Installatietechniek", "Installaties",
    "Schoonmaak", "Schoonmaakbedrijf", "Beveiliging", "Security", "Catering", "Consultancy",
    "Trading", "Import", "Export", "Media", "Solutions", "BV", "B.V.", "VOF", "V.O.F.", "NV",
    "N.V.", "Zonen", "Zn", "Gym", "Fitness", "Academy", "Boxing", "Studio", "Shop", "Store",
    "Grill", "Pizza", "Center", "Centre", "Company", "Barbershop", "Kapsalon", "Uitzendbureau", "Uitzendgroep", "Personeelsdiensten", "Verhuur",
    "Autobedrijf", "Garage", "Bakkerij", "Slagerij", "Tweewielers", "Tegelzetters", "Schilders",
    "Recycling", "Vastgoed", "Makelaardij", "Advocaten", "Notarissen", "Accountants",
))


def prefer_firms(flags: list[Flag]) -> list[Flag]:
    """A person or place flag of several words whose last word ends a firm's name ("Jan de Rijk
    Logistics", "Van Dam Transport") is an organisation."""
    out: list[Flag] = []
    for flag in flags:
        words = flag.text.split()
        if (flag.category in ("person", "place") and len(words) > 1
                and words[-1].casefold() in _FIRM_ENDS):
            flag = Flag(flag.start, flag.end, "institution", flag.text, flag.source)
        out.append(flag)
    return out
