"""Names found by their context (workbench.audit.context): places, organisations, schools and
first names that no lookup table holds, and the ordinary capitals that are no names."""

from __future__ import annotations

import pytest

from workbench.audit.context import context_flags
from workbench.audit.engine import audit_text


def found(text: str) -> set[tuple[str, str]]:
    return {(f.category, f.text) for f in context_flags(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hij woont in Kanaleneiland, vlak bij het station.", ("place", "Kanaleneiland")),
        ("De jongens komen uit Overvecht en hangen rond.", ("place", "Overvecht")),
        ("Ze verhuisde naar de Schilderswijk toen ze twaalf was.", ("place", "Schilderswijk")),
        ("In de wijk Hoograven is dat anders.", ("place", "Hoograven")),
        ("Hij komt uit Bergen op Zoom, geloof ik.", ("place", "Bergen op Zoom")),
        ("Hij werkt als bezorger voor PostNL sinds de zomer.", ("institution", "PostNL")),
        ("Ze had een bijbaantje bij Coolblue in het magazijn.", ("institution", "Coolblue")),
        ("We werken samen met Stichting DOCK in die buurt.", ("institution", "Stichting DOCK")),
        ("Hij hing altijd rond bij snackbar De Gouden Draak.", ("institution", "De Gouden Draak")),
        ("Ze zit op het Zadkine, een mbo-opleiding.", ("school", "Zadkine")),
        ("Hij ging naar basisschool De Regenboog hier om de hoek.", ("school", "De Regenboog")),
        ("Toen sprak ik Ilias na de training.", ("person", "Ilias")),
        ("Maar Ilias zei dat hij niet meer wilde.", ("person", "Ilias")),
        ("Zijn broer Mohammed zat ook in die groep.", ("person", "Mohammed")),
        ("Ik zei: hé Ilias, wat doe je hier?", ("person", "Ilias")),
        ("Dat was Sanne haar idee, niet het mijne.", ("person", "Sanne")),
    ],
)
def test_a_name_is_found_by_its_context(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Met Oud en Nieuw gaat het altijd mis in de buurt.",
        "Dan zei hij dat hij niet meer kwam.",
        "Hij haalde brood bij de Bakker om de hoek.",  # a shop or a surname: not taken as place
        "We hebben contact met de GGD en de politie.",  # capitals only: left to the allow list
        "Tijdens de Ramadan komen ze minder naar het buurthuis.",
        "Ik denk dat het in Nederland anders gaat dan in het Engels.",
        "Wat zij doen, dat is voor God en niemand anders.",
    ],
)
def test_ordinary_capitals_are_no_names(text: str) -> None:
    names = {t for _, t in found(text)}
    assert not names & {"Oud", "Oud en Nieuw", "Dan", "Bakker", "GGD", "Ramadan", "Engels", "God"}


def test_two_places_joined_by_en_are_two_flags() -> None:
    assert found("Dat speelt in Zwolle en in Deventer.") == {
        ("place", "Zwolle"), ("place", "Deventer")}


def test_a_handle_or_email_is_no_brand() -> None:
    names = {t for _, t in found("Mail naar jan.DeVries@example.nl of volg @KevinNL op insta.")}
    assert "DeVries" not in names and "KevinNL" not in names


def test_offsets_point_at_the_name() -> None:
    text = "Ze werkte bij de kapsalon Yasmina in Lombok, tot de zomer."
    for flag in context_flags(text):
        assert text[flag.start:flag.end] == flag.text
    assert ("institution", "Yasmina") in found(text)
    assert ("place", "Lombok") in found(text)


def test_the_audit_includes_context_flags_without_a_model() -> None:
    flags = audit_text("Hij werkt bij Albert Heijn in Kanaleneiland.", use_deduce=False)
    assert {f.text for f in flags} >= {"Albert Heijn", "Kanaleneiland"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Weet je, Tesfay is gewoon een lieve jongen, echt.", "Tesfay"),
        ("Zijn beste maat heet Dawit en die zat er ook in.", "Dawit"),
        ("Volgens mij wist Filmon precies wat er speelde.", "Filmon"),
        ("Een van de jongens, Filmon, had een nieuwe telefoon.", "Filmon"),
        ("Ik zei: Filmon, je moet hiermee stoppen.", "Filmon"),
        ("Zijn moeder, Imane Martina, belde mij op.", "Imane Martina"),
        ("Hij woont op de hoek van de Lijnbaan en de Coolsingel.", "Lijnbaan"),
        ("Ze hingen altijd rond op het Mercatorplein.", "Mercatorplein"),
        ("De jongerenwerkers van Welzijn Lokaal zagen het ook.", "Welzijn Lokaal"),
        ("In de Vogelaarwijk Bouwlust is het erg.", "Bouwlust"),
        ("Hij werkt als bezorger voor KFC, maar dat is tijdelijk.", "KFC"),
        ("De mentor van het Deltion heeft ons gebeld.", "Deltion"),
        ("Op zijn Snap, jaydenn_x, stond alles.", "jaydenn_x"),
        ("Hij heet op TikTok iets als mo.tb010.", "mo.tb010"),
        ("Het gebeurde in een flat aan de Burgemeester de Withweg 66-II.", "Burgemeester de Withweg 66-II"),
        ("Op het formulier stond postcode 3512JK.", "3512JK"),
        ("Bel hem op 06 - 85 873 357 als het moet.", "06 - 85 873 357"),
        ("Zijn moeder, Yonas Doğan, belde mij op.", "Yonas Doğan"),
        ("Zijn moeder, Filmon Ait Taleb, belde mij op.", "Filmon Ait Taleb"),
        ("Het dossier stond op naam van Anouar Aydın, maar dat klopte niet.", "Anouar Aydın"),
        ("Ze had een bijbaantje bij Randstad Uitzendbureau, in het magazijn.", "Randstad Uitzendbureau"),
        ("Haar geboortedatum is 24/03/2010, dat stond in het dossier.", "24/03/2010"),
        ("Toen Kevin zei dat hij wegging, was het al laat.", "Kevin"),
        ("We kregen een melding over de familie Kasem.", "Kasem"),
        ("In Zuilen en Ondiep gaat het om dezelfde groep.", "Ondiep"),
        ("Ze zat eerst op het Calvijn, daarna op het Wellantcollege.", "Calvijn"),
        ("Hij is zeventien geworden in de gevangenis.", "zeventien"),
        ("Ze is geboren in 2008, op de tiende van de vijfde.", "2008"),
    ],
)
def test_held_out_shapes_are_flagged_whole_without_tables(text: str, name: str) -> None:
    flags = audit_text(text, use_deduce=False)
    i = text.index(name)
    covering = [f for f in flags if f.start <= i and i + len(name) <= f.end]
    assert covering, [(f.text, f.category) for f in flags]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Wij als Jongerenwerk zijn er voor iedereen.", "Jongerenwerk"),
        ("Dat gebeurt vooral in het Westen van het land.", "Westen"),
        ("Sommige jongens gaan naar de Moskee, anderen niet.", "Moskee"),
        ("Ik haalde nog brood bij de Bakker om de hoek. Op school was het rustig.", "Bakker"),
        ("Het was 2019 EN toen ging het mis.", "2019 EN"),
        ("Hij zat in de Bijstand en had geen geld.", "Bijstand"),
        ("In de Zomer is het erger, dan zijn ze buiten.", "Zomer"),
        ("Ze hadden allemaal een nieuwe PlayStation.", "PlayStation"),
    ],
)
def test_held_out_decoys_stay_unflagged(text: str, word: str) -> None:
    from workbench.services.audit import PUBLIC_BODIES

    flags = audit_text(text, allow=PUBLIC_BODIES, use_deduce=False)
    i = text.index(word)
    assert not [f for f in flags if f.start < i + len(word) and i < f.end], flags


#: A third and fourth set written before tuning (2026-12-07): 37 of 40 and, after the fixes
#: of the first, 29 of 30 found with deduce; every one is now found without its tables.
HELD_OUT_3 = [
    ('Die jongen, Brahim heet hij, zat elke middag bij het station.', 'Brahim'),
    ('Ik heb toen met Noor gebeld, zij is zijn tante.', 'Noor'),
    ('Dat hoorde ik van Jolanda, de moeder van een van de meiden.', 'Jolanda'),
    ('Volgens Mirsad was het al maanden aan de gang.', 'Mirsad'),
    ('Zijn vriend Teun werd ook benaderd.', 'Teun'),
    ('Ik appte meteen Dewi om te vragen of ze veilig was.', 'Dewi'),
    ('Uiteindelijk is Kerem Aydın daar weggegaan.', 'Kerem Aydın'),
    ('Ze werd opgevangen door Marloes van den Berg van het wijkteam.', 'Marloes van den Berg'),
    ('Een jongen uit Lombok, hier in Utrecht, werd gebruikt als koerier.', 'Lombok'),
    ('Vooral rond de Schilderswijk zie je het veel.', 'Schilderswijk'),
    ('Hij hing altijd rond in Tarwewijk met die oudere gasten.', 'Tarwewijk'),
    ('In de wijk Malburgen kennen ze ons wel.', 'Malburgen'),
    ('Ze verhuisde daarna naar Heerhugowaard.', 'Heerhugowaard'),
    ('Hij komt oorspronkelijk uit Tiel.', 'Tiel'),
    ('Hij had een bijbaantje bij Albert Heijn aan de rand van de stad.', 'Albert Heijn'),
    ('Hij deed bezorgwerk voor Thuisbezorgd, zogenaamd.', 'Thuisbezorgd'),
    ('We werken nauw samen met Stichting Jeugdformaat.', 'Stichting Jeugdformaat'),
    ('Hij heeft nu een contract bij Vattenfall via een uitzendbureau.', 'Vattenfall'),
    ('Ze hingen rond bij shoarmazaak Habibi op de hoek.', 'Habibi'),
    ('Ze zit op het Lentiz in Maassluis.', 'Lentiz'),
    ('Op basisschool De Klimop waren al signalen.', 'De Klimop'),
    ('De mentor van het Montaigne Lyceum belde ons.', 'Montaigne Lyceum'),
    ('Hij zat op het Graafschap College, maar is gestopt.', 'Graafschap College'),
    ('Hij woonde op de Burgemeester Reigerstraat 14bis.', 'Burgemeester Reigerstraat 14bis'),
    ('Het pand aan de Oudegracht 201 werd gebruikt.', 'Oudegracht 201'),
    ('De postcode was 2521 CB, meer weet ik niet.', '2521 CB'),
    ('Zijn nummer was 0612 345 678, die heb ik nog.', '0612 345 678'),
    ('Je kon hem mailen op kevin.bos1999@hotmail.com.', 'kevin.bos1999@hotmail.com'),
    ('Ze is geboren op 12 juli 2008.', '12 juli 2008'),
    ('Hij was toen pas dertien.', 'dertien'),
    ('Op Snapchat heette hij bosboy_010.', 'bosboy_010'),
    ('Het BSN 111222333 stond op het formulier.', '111222333'),
    ('De auto had kenteken 45-KLP-7.', '45-KLP-7'),
    ('Toen zei Ravi tegen mij dat het klaar was.', 'Ravi'),
    ('Samen met Yara en Jesse ging hij naar de stad.', 'Yara'),
    ('Ik ken Soufiane al sinds groep acht.', 'Soufiane'),
    ('Ze had een baan als vakkenvuller bij Jumbo.', 'Jumbo'),
    ('Hij speelde bij voetbalvereniging DCG in de buurt.', 'DCG'),
    ('Ze ging naar Rijswijk om daar te dealen.', 'Rijswijk'),
    ('Bij de Vogelaarwijk Presikhaaf speelde het ook.', 'Presikhaaf'),
    ('Ik ben toen met Fleur gaan praten, haar zus.', 'Fleur'),
    ('Het was Sven die als eerste iets merkte.', 'Sven'),
    ('Daarna heeft Zakaria het huis niet meer verlaten.', 'Zakaria'),
    ('Mijn collega Priscilla had hem al eerder gezien.', 'Priscilla'),
    ('Hoi Damian, zei ik, wat doe jij hier?', 'Damian'),
    ('We hebben Ayoub en zijn neef naar huis gebracht.', 'Ayoub'),
    ('Hij verwees naar Jeroen Kuipers, de wijkagent.', 'Jeroen Kuipers'),
    ('Ik heb Fatma el Idrissi gevraagd om mee te gaan.', 'Fatma el Idrissi'),
    ('Die groep uit Bospolder is berucht.', 'Bospolder'),
    ('Op het plein in Kattenbroek stonden ze elke avond.', 'Kattenbroek'),
    ('Ze woont in Selwerd, vlak bij de school.', 'Selwerd'),
    ('Ze komen vaak uit Dronten of Lelystad.', 'Dronten'),
    ('In Zaltbommel is het rustiger.', 'Zaltbommel'),
    ('Hij werkte een tijd in het magazijn van Bol.com.', 'Bol.com'),
    ('Zijn oom heeft een kapperszaak, Barbershop Royal, aan de Hoofdstraat.', 'Barbershop Royal'),
    ('Ze deed stage bij Careyn, in de thuiszorg.', 'Careyn'),
    ('Via Stichting Kwadraad kwamen we bij hem.', 'Stichting Kwadraad'),
    ('Hij zit nu op het Nova College in Haarlem.', 'Nova College'),
    ('De zorgcoördinator van het Stedelijk Gymnasium vertelde het.', 'Stedelijk Gymnasium'),
    ('Ze ging naar basisschool Het Kompas.', 'Het Kompas'),
    ('Hij woonde aan de Kerkweg 7a, boven de winkel.', 'Kerkweg 7a'),
    ('Het adres was Dorpsstraat 112, 6661 AB.', '6661 AB'),
    ('Bel 010-4567890 als er iets is.', '010-4567890'),
    ('Ze gebruikte het adres mila_x@live.nl.', 'mila_x@live.nl'),
    ('Geboren op 03-11-2006, dat weet ik nog.', '03-11-2006'),
    ('Een jongen van veertien nog maar.', 'veertien'),
    ('Zijn Insta is lil.ramon04, daar zette hij alles op.', 'lil.ramon04'),
    ('Het kenteken was XL-123-Z.', 'XL-123-Z'),
    ('Zijn BSN was 123456782.', '123456782'),
    ('Toen belde Ilse mij op om het te vertellen.', 'Ilse'),
]
HELD_OUT_3_DECOYS = [
    'Met Pasen was het rustig, maar na de Kerst ging het weer los.',
    'We hebben het met de Raad voor de Kinderbescherming besproken.',
    'Hij zat op de Havo, daarna is hij gestopt.',
    'Bij de Jeugdbescherming kennen ze hem.',
    'In het Nederlands kon hij zich goed uitdrukken.',
    'Op Instagram zie je van alles voorbijkomen.',
    'Oké, dus de Politie kwam toen langs.',
    'In de Ramadan was hij een tijdje rustig.',
    'Hij werkt nu in de Horeca, dat gaat goed.',
    'Volgens de Gemeente is er te weinig geld.',
    'Ze had Netflix aan staan toen wij binnenkwamen.',
    'Hij droeg altijd Nike schoenen en een Canada Goose jas.',
    'Zaterdag gaan we met de jongens naar het Centrum.',
    'Dat was in het Voorjaar, rond Koningsdag.',
    'Hij sprak Arabisch met zijn vrienden.',
    'We zagen hem bij de Action, dat is een winkel.',
    'In de Sinterklaastijd is er veel te doen.',
    'Hij keek de hele dag YouTube filmpjes.',
    'Op Tweede Kerstdag was het rustig.',
    'Bij de Reclassering is hij bekend.',
    'Hij praat Turks thuis.',
    'De Wijkagent kwam even kijken.',
    'Volgens de Officier van Justitie was het ernstig.',
    'Ze zat op het Vmbo in de buurt.',
    'In het Noorden van de stad is het erger.',
]



@pytest.mark.parametrize(("text", "name"), HELD_OUT_3)
def test_third_held_out_set_is_flagged_whole_without_tables(text: str, name: str) -> None:
    flags = audit_text(text, use_deduce=False)
    i = text.index(name)
    assert [f for f in flags if f.start <= i and i + len(name) <= f.end], \
        [(f.text, f.category) for f in flags]


@pytest.mark.parametrize("text", HELD_OUT_3_DECOYS)
def test_third_held_out_decoys_stay_unflagged(text: str) -> None:
    from workbench.services.audit import PUBLIC_BODIES

    assert audit_text(text, allow=PUBLIC_BODIES, use_deduce=False) == []
