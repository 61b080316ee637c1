"""Generate the sample transcript transcripts/INT07_zorgcoordinator-mbo_tilburg.docx.

One-off helper for the workbench sample project. The interview is FICTIONAL.
Every non-empty line of TEXT below becomes one paragraph in the .docx: first the
front matter lines (``---``, ``id: INT07``, ..., ``---``), then one paragraph per turn.

Run:  .venv/bin/python bench/make_sample_docx.py
"""
from pathlib import Path

from docx import Document

OUT = Path(__file__).resolve().parent.parent / "transcripts" / "INT07_zorgcoordinator-mbo_tilburg.docx"

TEXT = """\
---
id: INT07
rol: zorgcoördinator mbo
gemeente: Tilburg
domein: "Onderwijs"
datum: 2023-10-03
interviewer: onderzoeker
note: "Fictief voorbeeldinterview, geschreven voor de workbench; geen echte personen."
---
I: Fijn dat het gelukt is om af te spreken. Kunt u eerst iets vertellen over uw rol op school?
R: Ja, natuurlijk. Ik ben zorgcoördinator op een mbo-school in Tilburg, op een van de locaties. Ik doe dit nu een jaar of zeven, daarvoor was ik docent en studieloopbaanbegeleider. Als zorgcoördinator ben ik het aanspreekpunt voor alles wat met extra ondersteuning en zorgen rond studenten te maken heeft. Mentoren komen bij mij als ze zich zorgen maken over een student, en ik schakel dan met externe partners: de leerplichtambtenaar en het RMC, het wijkteam, de schoolagent, soms Veilig Thuis. Onze locatie heeft vooral entreeopleidingen en niveau twee, dus het gaat om studenten van zestien tot een jaar of drieëntwintig, en een flink deel van hen heeft een extra ondersteuningsbehoefte.
I: Hoe komt u criminele uitbuiting tegen in uw werk?
R: Eh, meestal via de achterdeur, zeg maar. Het begint bijna altijd met verzuim. Een student komt niet meer, of alleen nog de eerste uren, en de mentor kan hem niet bereiken. Dan gaan we erachteraan, en dan blijkt er iets anders te spelen. Het komt ook voor dat een student zelf bij een docent komt omdat hij in de problemen zit, maar dat is zeldzaam. En soms horen we het van medestudenten. Die vertellen dan in vertrouwen: die jongen is aan het werk voor iemand, die wordt bedreigd. Dat is eigenlijk de belangrijkste bron.
I: Ziet u daar een ontwikkeling in?
R: Ja, ik zie het de laatste twee, drie jaar duidelijk vaker. Vooral de geldezels. Dat was een paar jaar geleden nog een onbekend woord voor ons, en nu hebben we elk schooljaar wel een paar studenten die hun bankpas hebben uitgeleend of verkocht. En bij de studenten van achttien de telefoonabonnementen en dingen die op hun naam worden gezet. Dat sluit aan bij onze doelgroep, denk ik: die zitten precies op de leeftijd dat ze achttien worden en ineens van alles mogen.
I: Welke signalen ziet u?
R: Verzuim dus, als eerste. Daarnaast: studenten die in de les de hele tijd op hun telefoon zitten en schrikken als ze een bericht krijgen. Studenten die ineens dure spullen hebben, terwijl we weten dat ze thuis weinig hebben. Of juist het omgekeerde: een student die altijd goed verzorgd was en nu in dezelfde kleren komt, die er slecht uitziet, die niet slaapt. Studenten die ineens geld willen lenen van medestudenten. En wat ik ook belangrijk vind: een student die ineens andere mensen meeneemt naar school. Jongens die geen student zijn en die in de aula rondhangen of bij de ingang wachten. Dat hebben we een tijdje gehad, dat er bij de ingang een auto stond met jongens die onze studenten aanspraken.
I: Wanneer wordt een signaal een vermoeden?
R: Als het een patroon wordt, en als er sprake lijkt van druk. Een student die zijn bankpas aan een vriend heeft gegeven omdat hij dacht dat het een leuk bijverdienstje was, is eigenlijk naïef. Maar als hij daarna wordt bedreigd omdat hij zijn pas terug wil, of als hij moet blijven meedoen, dan wordt het uitbuiting. Ik bespreek het dan altijd met het zorgteam, we kijken met meerdere mensen naar zo'n situatie.
I: En wanneer is iemand voor u slachtoffer en geen dader?
R: Dat vind ik als school eigenlijk niet onze eerste vraag. Wij zijn er voor de ontwikkeling van de student. Maar als je het me vraagt: als iemand is misleid of onder druk is gezet, en zeker als het gaat om een student met een lichte verstandelijke beperking, dan is hij voor mij slachtoffer. Ook al heeft hij zelf die pas afgegeven. Veel van onze entreestudenten overzien de gevolgen gewoon niet. Die horen: je krijgt tweehonderd euro en je hoeft niks te doen. Die denken niet na over wat er met hun rekening gebeurt. En als de bank dan de rekening opzegt en ze in een fraudesysteem komen, zijn ze het slachtoffer van die hele constructie.
I: Wat doet u als u een vermoeden heeft?
R: We volgen de meldcode. Dus eerst signalen in kaart brengen, dan collegiaal overleg in het zorgteam, dan het gesprek met de student. Bij minderjarigen ook met ouders, als dat veilig is. Daarna wegen we af of we een melding doen bij Veilig Thuis of dat we zelf hulp kunnen organiseren. Bij acute dreiging schakelen we de schoolagent in, dat is een wijkagent die aan onze school is gekoppeld. Daar hebben we goede afspraken mee. En we verwijzen door naar het wijkteam of naar schuldhulpverlening als er schulden zijn.
I: Zijn er ook redenen om niets met een signaal te doen?
R: Eh, ja. Ik zou willen zeggen van niet, maar ze zijn er. Docenten zien soms wel iets, maar ze melden het niet bij mij. Omdat ze denken: dat is niet mijn taak, ik ben er om les te geven. Of omdat ze het niet herkennen. Of omdat ze bang zijn dat ze er iets mee aanrichten. Dat is een groot punt bij ons: de mentor is vaak de eerste die het ziet, maar als de mentor niet weet waar hij op moet letten, komt het nooit bij mij. Een tweede reden is dat veel van onze studenten achttien of ouder zijn. Dan zijn ze volwassen. Dan kunnen we niet zomaar ouders bellen, en als de student zegt "ik wil geen hulp", dan houdt het voor ons snel op. En dan de reputatie van de school. Dat wordt niet hardop gezegd, maar je merkt wel dat er binnen de organisatie terughoudendheid is om te veel naar buiten te brengen. Niemand wil de school zijn waar geronseld wordt.
I: Wat voor studenten zijn de slachtoffers?
R: Jongens en meiden. Dat vind ik misschien wel opvallend: bij de geldezels en de abonnementen zijn het ook veel meiden. Bij drugs meer jongens. Leeftijd zestien tot twintig ongeveer. Veel studenten uit gezinnen met geldzorgen, studenten die zelf al schulden hebben, bijvoorbeeld bij hun telefoonaanbieder of bij de zorgverzekering. Studenten met een lichte verstandelijke beperking, zoals ik zei. En studenten die weinig steun hebben thuis, of die op zichzelf wonen, soms na een traject in de jeugdzorg.
I: Waar en hoe worden ze benaderd?
R: Op school, eerlijk gezegd. In de aula, in de kantine, bij de ingang, in de rookruimte buiten. Vaak door medestudenten die zelf al meedoen en die een bonus krijgen als ze iemand aanbrengen. Dat is een soort piramide. En online natuurlijk: Instagram en Snapchat. Ik heb een student gehad die een verhaaltje op Instagram had gezien: "Wil jij snel geld verdienen? Stuur een DM." Met emoji's van geldzakken. Die heeft gereageerd en binnen een dag was zijn pas weg. Er zijn ook groepen op Telegram, hoor ik van studenten, maar daar heb ik zelf geen zicht op.
I: Welke dwangmiddelen ziet u?
R: Bij de bankpassen is het eerst verleiding, geld. Daarna dreiging als ze willen stoppen: "we weten waar je woont", "we zeggen tegen de politie dat jij het gedaan hebt". Dat dreigen met aangifte werkt heel goed, omdat de student weet dat hij iets verkeerds heeft gedaan. Bij de meiden heb ik een keer meegemaakt dat er met naaktfoto's werd gedreigd, dat ze haar rekening moest afgeven omdat anders die foto's rondgestuurd zouden worden. En schulden: dat ze iets zouden hebben gekregen en dat nu moeten terugbetalen.
I: Welke vormen van criminaliteit ziet u?
R: Geldezels, zoals gezegd, dat is bij ons de grootste. Telefoonabonnementen en leningen op naam. Katvangers, studenten die net achttien zijn en op wiens naam een auto of een bedrijfje wordt gezet. Drugs vervoeren en verkopen, ook op school, en drugs bewaren. En een keer een student die werd ingezet om andere studenten te ronselen. Die werd eigenlijk gebruikt als aanbrenger.
I: Weet u iets over de daders?
R: Heel weinig, het is meer wat ik hoor. Soms oud-studenten, of jongens van een paar jaar ouder uit dezelfde buurt. Maar ook mensen die ze alleen van online kennen. Ik denk dat er achter de bankpassen grotere groepen zitten, want het gaat om veel geld. Maar die komen niet op school.
I: Heeft de coronaperiode invloed gehad?
R: Ja, heel erg. Toen de lessen online waren, zijn we een deel van onze studenten gewoon kwijtgeraakt. Die logden niet in en we konden ze niet bereiken. Sommigen zijn nooit meer teruggekomen. En we zagen daarna dat een aantal van hen in financiële problemen zat, dat hun bijbaantje was weggevallen. Dan ben je een makkelijke prooi voor die berichtjes over snel geld. Ik denk dat corona het echt heeft versneld. En wij hadden minder zicht, want je ziet een student niet in de gang als hij thuis zit.
I: Ziet u overlap met seksuele uitbuiting?
R: Bij een enkele student. Dat meisje met de foto's, dat ik noemde. En een ander meisje waarvan we vermoeden dat ze door haar vriend werd gedwongen tot allebei, drugs vervoeren en seks. Dat hebben we gemeld bij Veilig Thuis. Maar het is bij ons niet het meest voorkomende.
I: Wat zijn de knelpunten in de samenwerking?
R: Terugkoppeling. We melden bij Veilig Thuis of we bespreken iets met de schoolagent, en dan horen we vaak niks meer. Dan weet ik niet of ik de student nog extra in de gaten moet houden of dat het is opgelost. En de overgang naar achttien. Op dat moment verdwijnt veel jeugdhulp, terwijl de risico's juist dan groter worden. En dan nog: studenten komen uit heel veel verschillende gemeenten. Tilburg, maar ook de dorpen eromheen. En elke gemeente heeft eigen afspraken en eigen contactpersonen. Dat maakt het voor ons heel ingewikkeld om snel de goede persoon te vinden.
I: En de kansen?
R: Ik denk dat het mbo een enorme kans is, eigenlijk. We hebben deze jongeren elke dag binnen, in precies de leeftijd waarop het gebeurt. Als je alle mentoren traint in het herkennen van signalen, dan heb je honderden extra ogen. En voorlichting in de lessen burgerschap: wat is een geldezel, wat gebeurt er als je je pas uitleent, wat betekent het als iets op je naam staat. Dat hebben we vorig jaar gedaan samen met een bank en de politie, en daarna kwamen er twee studenten naar me toe die zeiden: dit is mij overkomen. Dus het werkt. En ik zou graag een vaste contactpersoon hebben bij de gemeente voor criminele uitbuiting, één loket, zodat we niet hoeven te zoeken.
I: Heeft u nog iets toe te voegen?
R: Nee, ik denk dat ik alles heb gezegd. Misschien alleen dat scholen niet bang moeten zijn om toe te geven dat het bij hen speelt. Het speelt overal.
I: Dank u wel voor het gesprek.
"""


def main() -> None:
    doc = Document()
    for line in TEXT.splitlines():
        if line.strip():
            doc.add_paragraph(line)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
