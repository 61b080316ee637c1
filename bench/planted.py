"""Planted identifiers: interviews with identifying details of known kinds put into natural Dutch
speech, and decoys that look like names but are none, to measure the anonymity audit.

:func:`generate` writes ``n_interviews`` interviews (interviewer and respondent turns, neutral
talk between) from a seed; every planted identifier and decoy is recorded with its exact
offsets. :func:`measure` runs an audit function on each interview and counts, per kind, the
identifiers the flags cover completely (every letter and digit inside a flag), those covered in
the right category, and the decoys touched by any flag.

The names, places, organisations and sentence shapes are drawn from pools and built from parts
(street and neighbourhood names from stems and endings, organisations from a kind of business
and a name), so that a detector tuned to a few samples does not pass; the tests and
``bench/bench_audit.py`` use it at a small and a full size.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = ["KINDS", "Interview", "Plant", "Result", "generate", "measure"]

#: kind -> the flag categories that are honest for it.
KINDS: dict[str, frozenset[str]] = {
    "full_name": frozenset({"person"}),
    "first_name": frozenset({"person"}),
    "street": frozenset({"address"}),
    "postcode": frozenset({"address"}),
    "phone": frozenset({"phone"}),
    "email": frozenset({"email"}),
    "date_of_birth": frozenset({"date"}),
    "age": frozenset({"age"}),
    "handle": frozenset({"social_handle"}),
    "bsn": frozenset({"bsn"}),
    "plate": frozenset({"licence_plate"}),
    "neighbourhood": frozenset({"place"}),
    "town": frozenset({"place"}),
    "organisation": frozenset({"institution"}),
    "school": frozenset({"school"}),
}

FIRST_NAMES = (
    "Sanne", "Daan", "Lieke", "Bram", "Jesse", "Noa", "Thijs", "Femke", "Ruben", "Iris",
    "Ilias", "Yassin", "Soufiane", "Nouhaila", "Imane", "Anouar", "Bilal", "Hajar", "Zakaria",
    "Emre", "Elif", "Burak", "Zeynep", "Mert", "Esra", "Jayden", "Shaquille", "Quincy",
    "Giovanni", "Naomi", "Dwayne", "Shanice", "Romano", "Kacper", "Wiktoria", "Yonas", "Filmon",
    "Hodan", "Abdi", "Milan", "Dewi", "Rayan", "Amira", "Jurgen", "Priscilla", "Kevin", "Mo",
    "Sem", "Luuk", "Fatima", "Ayoub", "Mehmet", "Anil", "Tygo", "Senna", "Damian",
)
SURNAMES = (
    "de Vries", "Bakker", "Jansen", "van Dijk", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "Bos", "El Amrani", "Yilmaz", "Öztürk", "Kartosen", "Martina", "Kowalski",
    "Tesfaye", "Bouzid", "Haddou", "Pinas", "van der Berg", "Hoekstra", "Kramer", "Doğan",
    "Benali", "Aydın", "Sedney", "Wolff", "Verbeek", "Ait Taleb", "Koster", "van Leeuwen",
)
_STREET_STEMS = ("Kastanje", "Molen", "Kerk", "Linden", "Prinses Irene", "Burgemeester de With",
                 "Oranjeboom", "Van Limburg Stirum", "Merel", "Zwaluwen", "Rembrandt",
                 "Spinoza", "Tulp", "Hazel", "Beuken", "Vondel", "Amstel", "Rijn", "Kruis",
                 "Goudsbloem", "Pieter de Hooch", "Jan van Galen", "Wilhelmina", "Dahlia")
_STREET_ENDS = ("straat", "laan", "weg", "plein", "singel", "hof", "kade", "dreef", "pad",
                "gracht")
_HOOD_STEMS = ("Zuider", "Ooster", "Hoog", "Laag", "Nieuw", "Oud", "Vogel", "Bloemen", "Molen",
               "Rode", "Groene", "Linden", "Eiken", "Hazel", "Berken", "Kievits", "Reiger")
_HOOD_ENDS = ("wijk", "veld", "hof", "kamp", "dorp", "burg", "horst", "weide", "broek", "hage",
              "hoven", "eiland", "meer", "poort")
#: Real neighbourhood names of other shapes (no ending says "place").
_HOODS = ("Kanaleneiland", "Overvecht", "Charlois", "Hoograven", "Lombok", "Transvaal",
          "Presikhaaf", "Malburgen", "Selwerd", "Vinkhuizen", "Tarwewijk", "Bospolder",
          "Kolenkit", "Woensel", "Kruiskamp", "Bijlmer", "Holendrecht", "Feijenoord",
          "Afrikaanderwijk", "Zuilen", "Ondiep", "Spangen", "Crooswijk", "Meerhoven", "Doornakkers")
TOWNS = ("Nieuwegein", "Culemborg", "Tiel", "Zeist", "Houten", "Hardenberg", "Emmen", "Oss",
         "Veghel", "Kerkrade", "Heerlen", "Den Helder", "Lelystad", "Almere", "Spijkenisse",
         "Vlaardingen", "Capelle aan den IJssel", "Zaandam", "Purmerend", "Helmond", "Roosendaal",
         "Gorinchem", "Harderwijk", "Assen", "Hoogeveen", "Veenendaal")
_BUSINESS = ("snackbar", "kapsalon", "shoarmazaak", "barbershop", "pizzeria", "sportschool",
             "boksschool", "telefoonwinkel", "garage", "café", "autobedrijf", "nagelstudio")
_SHOP_NAMES = ("De Gouden Draak", "Fresh Cuts", "Da Mario", "Mo Power", "Sultan", "Het Hoekje",
               "Bella Napoli", "Top Fade", "De Zwaan", "Atlas", "Istanbul", "Royal", "Yasmina",
               "Van den Berg", "Champion", "De Smulpaap", "Noordster")
_FIRMS = ("PostNL", "Coolblue", "Eneco", "Albert Heijn", "Jumbo", "Thuisbezorgd", "Picnic",
          "Kruidvat", "Bol.com", "Flink", "Action", "Randstad Uitzendbureau", "Hema", "Lidl",
          "McDonald's", "KFC", "Domino's", "Vattenfall", "Zalando", "Gamma")
_FOUNDATIONS = ("De Brug", "Kompas", "Wijkkracht", "DOCK", "Jongerenwerk Oost", "Het Anker",
                "Buurtwerk Noord", "Talent Dichtbij", "Nieuw Begin", "Sterk Huis")
_SCHOOL_KINDS = ("basisschool", "obs", "cbs", "de school", "het")
_SCHOOL_NAMES = ("De Regenboog", "De Klimop", "Het Anker", "De Wegwijzer", "De Piramide",
                 "Het Palet", "De Horizon", "De Vlinder", "Het Kompas", "De Sterrenkijker")
_SCHOOLS = ("Zadkine", "Albeda", "Summa College", "Da Vinci College", "Nova College",
            "Montessori Lyceum", "Grafisch Lyceum", "ROC Midden Nederland", "Einstein Lyceum",
            "Stedelijk Gymnasium", "Graafschap College", "Koning Willem I College",
            "Alfa-college", "Noorderpoort", "Deltion", "Mondriaan", "Vista college")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")
_AGE_WORDS = ("twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
              "negentien", "elf")

TEMPLATES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "Ik heb toen nog met {x} gesproken, die was daar al jaren bij betrokken.",
        "Die jongen, {x}, die kende iedereen in de buurt.",
        "Zijn moeder, {x}, belde mij op een zondagavond.",
        "Het dossier stond op naam van {x}, maar dat klopte niet.",
        "Er was een meisje, {x} heette ze, die had schulden bij die jongens.",
        "Uiteindelijk heeft {x} alles verteld aan de wijkagent.",
    ),
    "first_name": (
        "Ik sprak {x} gisteren nog, het gaat nu wat beter met hem.",
        "Toen zei {x} tegen mij dat hij niet meer naar huis durfde.",
        "Zijn broertje {x} was toen pas net op de middelbare school.",
        "We hebben {x} toen naar een andere plek gebracht.",
        "Dan komt {x} binnen en die zegt meteen: ik moet weg.",
        "Ik zei: {x}, je moet hiermee stoppen.",
        "Het was {x} haar idee om naar de politie te gaan.",
        "Ik heb met {x} afgesproken dat hij elke week langskomt.",
        "Volgens mij wist {x} precies wat er speelde.",
        "Een van de jongens, {x}, had een nieuwe telefoon.",
    ),
    "street": (
        "Hij woont aan de {x}, boven die winkel.",
        "Het gebeurde allemaal in een flat aan de {x}.",
        "Ze hadden een adres op de {x}, daar werd het opgeslagen.",
        "Zijn oma woont op {x}, daar sliep hij soms.",
        "De pakketjes werden afgegeven op {x}.",
    ),
    "postcode": (
        "Het adres was iets met {x}, dat weet ik nog.",
        "Op het formulier stond postcode {x}.",
        "Alle jongens kwamen uit postcodegebied {x} en omgeving.",
        "Zijn nieuwe adres is {x}, vlak bij het station.",
    ),
    "phone": (
        "Die gast had hem gewoon geappt vanaf {x}, dat staat nog in mijn telefoon.",
        "Je kon hem bereiken op {x}, dat nummer ging rond.",
        "Bel gerust naar {x} als er iets is, zei ik.",
        "Het nummer was {x}, dat hebben we doorgegeven.",
    ),
    "email": (
        "Hij stuurde alles door naar {x}, dat was zijn mailadres.",
        "Je kunt mailen naar {x}, zei die moeder.",
        "Het account hing aan {x}, daar kwamen de bestellingen op binnen.",
    ),
    "date_of_birth": (
        "Hij is geboren op {x}, dus hij was nog minderjarig.",
        "Haar geboortedatum is {x}, dat stond in het dossier.",
        "Op {x} is hij geboren, in het ziekenhuis hier.",
        "Geboren {x}, dat weet ik nog omdat het vlak voor de kerst was.",
    ),
    "age": (
        "Het ging om een jongen van {x}, net van de basisschool af.",
        "Ze was toen pas {x} jaar oud.",
        "Hij was {x} toen het begon.",
        "Een meisje van {x} met een vriend die veel ouder was.",
        "Toen hij {x} was, kreeg hij zijn eerste klus.",
    ),
    "handle": (
        "Op Insta heet hij {x}, daar post hij alles.",
        "Zoek maar op {x}, dan zie je die filmpjes.",
        "Hij werd benaderd door {x} op Snapchat.",
        "Zijn account is {x}, dat kende iedereen op school.",
    ),
    "bsn": (
        "Zijn BSN is {x}, dat hadden ze gewoon gebruikt.",
        "Ze hadden zijn burgerservicenummer, {x}, en daarmee een lening afgesloten.",
        "Op dat papier stond {x} als BSN.",
    ),
    "plate": (
        "Het was een zwarte Audi met kenteken {x}, die stond elke avond daar.",
        "Die auto, {x}, die reed steeds langs de school.",
        "We hebben het kenteken {x} doorgegeven aan de politie.",
        "Hij stapte in een witte bus, {x}, en weg was hij.",
    ),
    "neighbourhood": (
        "Hij komt uit {x}, daar kent iedereen elkaar.",
        "In {x} zie je dat veel meer dan elders.",
        "De jongens uit {x} hangen vaak bij het winkelcentrum.",
        "Ze is verhuisd naar {x} toen haar ouders gingen scheiden.",
        "In de wijk {x} is het de laatste tijd onrustig.",
        "Vooral rond {x} wordt veel geronseld.",
        "Ik werk nu vooral in {x} en de wijken eromheen.",
    ),
    "town": (
        "Hij is opgegroeid in {x}, maar hij woont nu hier.",
        "Ze moesten pakketjes naar {x} brengen.",
        "Zijn vader woont in {x}, daar ging hij in de weekenden heen.",
        "Die groep kwam eigenlijk uit {x}.",
    ),
    "organisation": (
        "Hij werkt als bezorger voor {x}, maar dat is maar een paar uur.",
        "Ze had een bijbaantje bij {x}, in het magazijn.",
        "We werken veel samen met {x} in die buurt.",
        "Hij hing altijd rond bij {x}, daar werd ook gedeeld.",
        "Zijn eerste baan was bij {x}, maar daar is hij ontslagen.",
        "Hij had een contract bij {x}, maar dat liep af.",
    ),
    "school": (
        "Ze zit op {x}, in de tweede klas.",
        "Hij ging naar {x}, maar daar is hij geschorst.",
        "De mentor van {x} heeft ons gebeld.",
        "Op {x} hebben ze er een voorlichting over gehad.",
        "Hij zat op {x} toen het begon, in de brugklas.",
    ),
}

#: Sentences with a word that looks like a name but names no one; ``{x}`` marks the decoy.
DECOYS: tuple[tuple[str, str], ...] = (
    ("Met {x} gaat het altijd mis in de buurt, met vuurwerk.", "Oud en Nieuw"),
    ("Ik haalde nog brood bij de {x} om de hoek.", "Bakker"),
    ("In {x} begint het weer, na de zomer.", "september"),
    ("Op {x} hebben we altijd het inloopspreekuur.", "dinsdag"),
    ("We hebben toen {x} ingeschakeld, dat moest wel.", "Veilig Thuis"),
    ("Hij moest naar {x} voor die taakstraf.", "Halt"),
    ("Zijn uitkering van het {x} werd stopgezet.", "UWV"),
    ("De {x} kwam ook nog langs voor een gesprek.", "GGD"),
    ("Tijdens de {x} zie je ze minder op straat.", "Ramadan"),
    ("Met het {x} krijgen ze geld van familie.", "Suikerfeest"),
    ("Hij had ineens een nieuwe {x} op zijn kamer staan.", "PlayStation"),
    ("Ze liepen allemaal in een {x} jas, dat is een teken.", "Canada Goose"),
    ("Het zijn vaak {x} jongens, maar niet alleen.", "Marokkaanse"),
    ("Ze spreken thuis geen {x}, dat maakt het lastig.", "Nederlands"),
    ("Het speelt overal in de {x}, niet alleen hier.", "Randstad"),
    ("Ze worden benaderd via {x} en dan gaat het snel.", "Snapchat"),
    ("Hij zei: ik zweer het op {x}, ik heb niks gedaan.", "God"),
    ("Dan zei hij dat hij niet meer kwam.", "Dan"),
    ("Toen belde de {x} ons op.", "Raad voor de Kinderbescherming"),
    ("Het {x} heeft de zaak geseponeerd.", "Openbaar Ministerie"),
    ("Met {x} is het altijd druk bij de familie.", "Kerst"),
    ("Tijdens {x} ging alles online, ook het ronselen.", "Corona"),
    ("Hij had een {x} gekocht van dat geld.", "iPhone"),
    ("Ze droegen allemaal {x} schoenen, van die dure.", "Nike"),
    ("Pas als het echt misgaat, komen ze bij ons.", "Pas"),
    ("Jongens die geld nodig hebben, zijn makkelijk te vinden.", "Jongens"),
    ("Hij kijkt de hele dag {x} filmpjes.", "YouTube"),
    ("Na de {x} gaat het weer beter op school.", "Kerstvakantie"),
    ("In de {x} is dat anders geregeld, heb ik gehoord.", "Bijbel"),
    ("We hebben een training gehad van het {x}.", "Centrum voor Jeugd en Gezin"),
    ("Hij zei: {x}, ik weet het echt niet meer.", "Wallah"),
)

NEUTRAL = (
    "Dat is eigenlijk altijd zo geweest, weet je.",
    "Je ziet het vaak pas als het al te laat is.",
    "We proberen dan eerst het gesprek aan te gaan met de ouders.",
    "Soms gaat het om kleine dingen, een paar sneakers of een telefoon.",
    "Dat vind ik zelf het moeilijkste aan dit werk.",
    "De jongeren vertrouwen ons, dat is heel belangrijk.",
    "Ik denk dat de school daar een grote rol in heeft.",
    "Het gaat vaak via vrienden, dat zie je steeds meer.",
    "Eh, ja, hoe zal ik het zeggen, het is ingewikkeld.",
    "We hebben daar ook overleg over met de partners in de wijk.",
    "Geld is natuurlijk de belangrijkste reden.",
    "Dat merk je aan alles, aan hoe ze praten en wat ze dragen.",
    "Het netwerk is groot, groter dan je denkt.",
    "Ik weet niet of dat nog steeds zo is.",
)
QUESTIONS = (
    "Kun je daar een voorbeeld van geven?", "Hoe merk je dat?", "Wat gebeurde er toen?",
    "Hoe ging dat verder?", "Wie waren daarbij betrokken?", "Wat doe je dan?",
    "Kun je daar iets meer over vertellen?", "En hoe reageerde de school?",
)


@dataclass(frozen=True)
class Plant:
    """One planted identifier (``decoy=False``) or decoy, at ``[start, end)`` of its text."""

    kind: str
    value: str
    start: int
    end: int
    decoy: bool = False


@dataclass
class Interview:
    text: str
    plants: list[Plant] = field(default_factory=list)


# -- values ------------------------------------------------------------------------------------

def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("BDFGHJKLNPRSTVXZ") for _ in range(n))


def _plate(rng: random.Random) -> str:
    shape = rng.choice(("99-XXX-9", "XX-999-X", "9-XXX-99", "X-999-XX", "XXX-99-X", "99-XX-XX",
                        "XX-99-XX", "999-XX-9", "9-XX-999"))
    return "".join(str(rng.randint(0, 9)) if c == "9" else _letters(rng, 1) if c == "X" else c
                   for c in shape)


def _phone(rng: random.Random) -> str:
    eight = "".join(str(rng.randint(0, 9)) for _ in range(8))
    return rng.choice((f"06-{eight}", f"06 {eight[:4]} {eight[4:]}", f"+31 6 {eight}",
                       f"06{eight}", f"010-{eight[:7]}", f"06 - {eight[:2]} {eight[2:5]} {eight[5:]}"))


def _value(kind: str, rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    if kind == "full_name":
        return f"{first} {rng.choice(SURNAMES)}"
    if kind == "first_name":
        return first
    if kind == "street":
        return (rng.choice(_STREET_STEMS) + rng.choice(_STREET_ENDS)
                + f" {rng.randint(1, 240)}" + rng.choice(("", "", "a", "b", "-II")))
    if kind == "postcode":
        letters = _letters(rng, 2)
        return f"{rng.randint(1000, 9999)}{rng.choice((' ', ''))}{letters}"
    if kind == "phone":
        return _phone(rng)
    if kind == "email":
        user = rng.choice((first.lower(), f"{first.lower()}.{rng.choice(SURNAMES).split()[-1].lower()}",
                           f"{first.lower()}{rng.randint(1, 2010)}"))
        user = user.replace("ö", "o").replace("ğ", "g").replace("ı", "i")
        return f"{user}@{rng.choice(('gmail.com', 'hotmail.com', 'live.nl', 'outlook.com', 'ziggo.nl'))}"
    if kind == "date_of_birth":
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2003, 2013)
        return rng.choice((f"{day} {_MONTHS[month - 1]} {year}", f"{day:02d}-{month:02d}-{year}",
                           f"{day}-{month}-{year}", f"{day:02d}/{month:02d}/{year}"))
    if kind == "age":
        return rng.choice((str(rng.randint(11, 19)), rng.choice(_AGE_WORDS)))
    if kind == "handle":
        base = first.lower() + rng.choice(("", "_", ".", "x"))
        return "@" + base + rng.choice(("010", "2007", "_official", ".x.2006", "mtl", "020", "_tb"))
    if kind == "bsn":
        return _bsn(rng)
    if kind == "plate":
        return _plate(rng)
    if kind == "neighbourhood":
        if rng.random() < 0.5:
            return rng.choice(_HOODS)
        return rng.choice(_HOOD_STEMS) + rng.choice(_HOOD_ENDS)
    if kind == "town":
        return rng.choice(TOWNS)
    if kind == "organisation":
        pick = rng.random()
        if pick < 0.4:
            return rng.choice(_FIRMS)
        if pick < 0.7:
            return f"{rng.choice(_BUSINESS)} {rng.choice(_SHOP_NAMES)}"
        return f"Stichting {rng.choice(_FOUNDATIONS)}"
    if kind == "school":
        if rng.random() < 0.5:
            school = rng.choice(_SCHOOLS)
            return school if school.startswith("ROC") else f"het {school}"
        return f"{rng.choice(('basisschool', 'obs', 'cbs'))} {rng.choice(_SCHOOL_NAMES)}"
    raise ValueError(kind)


def _flagged_part(kind: str, value: str) -> tuple[int, int]:
    """The part of a planted value that must be flagged: "het Zadkine" -> "Zadkine", a
    business type before a shop name stays ("snackbar De Gouden Draak" -> "De Gouden Draak")."""
    if kind == "school" and value.startswith("het "):
        return 4, len(value)
    if kind == "school" and value.split()[0] in ("basisschool", "obs", "cbs"):
        return len(value.split()[0]) + 1, len(value)
    if kind == "organisation" and value.split()[0] in _BUSINESS:
        return len(value.split()[0]) + 1, len(value)
    return 0, len(value)


# -- interviews ----------------------------------------------------------------------------------

def generate(n_interviews: int, per_kind: int, *, seed: int = 1, decoys: int | None = None
             ) -> list[Interview]:
    """``n_interviews`` interviews holding ``per_kind`` identifiers of every kind in
    :data:`KINDS` between them, and ``decoys`` decoy sentences (default: as many as kinds x
    per_kind / 5, at least every decoy once when there is room)."""
    rng = random.Random(seed)
    items: list[tuple[str, str, str, bool]] = []  # (template, value, kind, decoy)
    for kind, templates in TEMPLATES.items():
        for i in range(per_kind):
            items.append((templates[i % len(templates)] if i < len(templates)
                          else rng.choice(templates), _value(kind, rng), kind, False))
    n_decoys = decoys if decoys is not None else max(len(items) // 5, 1)
    order = list(DECOYS)
    rng.shuffle(order)
    for i in range(n_decoys):
        template, word = order[i % len(order)]
        items.append((template, word, "decoy", True))
    rng.shuffle(items)
    interviews = [Interview(text="") for _ in range(n_interviews)]
    for i, item in enumerate(items):
        _add(interviews[i % n_interviews], item, rng)
    for interview in interviews:
        interview.text += _turn("R", " ".join(rng.sample(NEUTRAL, 2)))
    return interviews


def _turn(speaker: str, text: str) -> str:
    return f"{'Interviewer' if speaker == 'I' else 'Respondent'}: {text}\n\n"


def _add(interview: Interview, item: tuple[str, str, str, bool], rng: random.Random) -> None:
    template, value, kind, decoy = item
    interview.text += _turn("I", rng.choice(QUESTIONS))
    before = " ".join(rng.sample(NEUTRAL, rng.randint(0, 2)))
    prefix = "Respondent: " + (before + " " if before else "")
    if "{x}" in template:
        head, tail = template.split("{x}", 1)
        if not head:  # the value opens the sentence: a capital, as a speaker would write it
            value = value[0].upper() + value[1:]
        start = len(interview.text) + len(prefix) + len(head)
        sentence = head + value + tail
    else:  # a decoy word inside the sentence itself
        start = len(interview.text) + len(prefix) + template.index(value)
        sentence = template
    after = " ".join(rng.sample(NEUTRAL, rng.randint(0, 1)))
    interview.text += prefix + sentence + (" " + after if after else "") + "\n\n"
    lo, hi = (0, len(value)) if decoy else _flagged_part(kind, value)
    interview.plants.append(Plant(kind, value[lo:hi], start + lo, start + hi, decoy))
    assert interview.text[start + lo:start + hi] == value[lo:hi]


# -- measuring -----------------------------------------------------------------------------------

@dataclass
class Result:
    """Per kind: planted, covered (every letter and digit flagged), honest (covered in a right
    category); for decoys: planted and touched (any flag on them)."""

    planted: dict[str, int] = field(default_factory=dict)
    covered: dict[str, int] = field(default_factory=dict)
    honest: dict[str, int] = field(default_factory=dict)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, context
    decoys: int = 0
    decoys_flagged: int = 0
    flagged_decoys: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.planted.values())

    @property
    def recall(self) -> float:
        return sum(self.covered.values()) / max(self.total, 1)

    def recall_of(self, kind: str) -> float:
        return self.covered.get(kind, 0) / max(self.planted.get(kind, 0), 1)

    @property
    def honesty(self) -> float:
        return sum(self.honest.values()) / max(sum(self.covered.values()), 1)

    @property
    def decoy_rate(self) -> float:
        return self.decoys_flagged / max(self.decoys, 1)

    def table(self) -> str:
        lines = ["| kind | planted | found | recall | right category |", "|---|---:|---:|---:|---:|"]
        for kind in KINDS:
            n = self.planted.get(kind, 0)
            if n:
                lines.append(f"| {kind} | {n} | {self.covered.get(kind, 0)} | "
                             f"{self.recall_of(kind):.0%} | {self.honest.get(kind, 0)} |")
        lines.append(f"| **all** | {self.total} | {sum(self.covered.values())} | "
                     f"{self.recall:.1%} | {self.honesty:.0%} |")
        lines.append(f"| decoys flagged | {self.decoys} | {self.decoys_flagged} | "
                     f"{self.decoy_rate:.0%} | |")
        return "\n".join(lines)


_SIGNIFICANT = re.compile(r"[\w]")


def measure(interviews: Iterable[Interview], audit: Callable[[str], list]) -> Result:
    """Run ``audit(text) -> flags`` (objects with ``start``, ``end``, ``category``) on each
    interview and count what it found."""
    result = Result()
    for interview in interviews:
        flags = audit(interview.text)
        for plant in interview.plants:
            touching = [f for f in flags if f.start < plant.end and plant.start < f.end]
            if plant.decoy:
                result.decoys += 1
                if touching:
                    result.decoys_flagged += 1
                    result.flagged_decoys.append(plant.value)
                continue
            result.planted[plant.kind] = result.planted.get(plant.kind, 0) + 1
            needed = [plant.start + m.start() for m in _SIGNIFICANT.finditer(plant.value)]
            if all(any(f.start <= i < f.end for f in touching) for i in needed):
                result.covered[plant.kind] = result.covered.get(plant.kind, 0) + 1
                if any(f.category in KINDS[plant.kind] for f in touching):
                    result.honest[plant.kind] = result.honest.get(plant.kind, 0) + 1
            else:
                line_start = interview.text.rfind("\n", 0, plant.start) + 1
                line_end = interview.text.find("\n", plant.end)
                context = interview.text[line_start:line_end].replace("Respondent: ", "")
                got = ", ".join(f"{interview.text[f.start:f.end]}={f.category}" for f in touching)
                result.missed.append((plant.kind, plant.value, f"{context}  [{got}]"))
    return result
