"""Deterministic generator of synthetic statement-like English for benchmarks.

The corpus imitates official statements about cyber operations (alliance
communiqués, national attribution statements, ministerial remarks and the web
copies of them): sentences are built from templates whose slots are filled
with domain phrases ("strongly condemn", "malicious cyber activity",
"responsible state behaviour", ...) and with content words drawn from a
Zipf-distributed vocabulary of a few thousand English words. The text carries
the typography that real statements bring: curly quotes and apostrophes, em
and en dashes, non-breaking spaces, abbreviations with full stops (U.S.,
Art. 5, No. 3), numbers, accented names, a little Cyrillic and CJK, emoji in
web cruft, and rare soft hyphens or zero-width spaces. About 2-5 % of the
characters are non-ASCII.

Every document is 200-3000 words (whitespace-separated) and carries a ``year`` (2014-2025) and a
``source`` (NATO, EU, UK, US, G7, DE, FR, EE). Later years use stronger
language more often, so counts by year show trends rather than noise.

Only the standard library is used for generation, and all randomness comes
from ``random.Random(seed).random()`` through arithmetic helpers defined
here, so the same seed gives byte-identical output on any Python 3.9+.

Usage::

    from gen_corpus import generate
    texts, meta = generate(target_mb=50, seed=1)

    python bench/gen_corpus.py --mb 50 --out bench/.cache/corpus.jsonl

"MB" means 10**6 bytes of UTF-8 text (document texts only, not metadata).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from bisect import bisect
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Callable
from collections.abc import Iterator, Sequence

if TYPE_CHECKING:  # pandas is only needed by generate() and load_corpus()
    import pandas as pd

#: Bump when the generator's output changes, so cached corpora are rebuilt.
GEN_VERSION = 1

YEARS: tuple[int, ...] = tuple(range(2014, 2026))
SOURCES: tuple[str, ...] = ("NATO", "EU", "UK", "US", "G7", "DE", "FR", "EE")
_SOURCE_WEIGHTS: tuple[float, ...] = (3, 3, 3, 3, 1, 2, 2, 1)
# More statements in later years, as in reality.
_YEAR_WEIGHTS: tuple[float, ...] = tuple(1.0 + 0.35 * i for i in range(len(YEARS)))

MIN_WORDS = 200
MAX_WORDS = 3000

# ---------------------------------------------------------------------------
# Vocabulary (content words, written for this generator)
# ---------------------------------------------------------------------------

_NOUNS = """
ability access account accountability action activity actor adversary advice
agency agenda agreement aim alliance ally ambassador amendment analysis
announcement answer approach area argument arrangement assessment asset
assistance attack attempt attention audience authority awareness balance ban
bank barrier base basis battle behaviour belief benefit bill board body border
branch breach briefing budget bureau business cabinet cable call campaign
candidate capability capacity capital case category cause centre chain
challenge chamber chance change channel chapter charge charter choice circle
citizen claim clarity class client climate coalition code cohesion
collaboration colleague command commander comment commission commitment
committee communication community company competition complaint component
concept concern conclusion condition conduct conference confidence conflict
consensus consequence consideration constitution consultation contact content
context contract contribution control convention conversation cooperation
coordination core corporation cost council counterpart country court
coverage crime crisis criterion culture currency customer damage data database
deadline deal debate decade decision declaration defence deficit degree
delegation demand democracy department deployment deputy design detail
deterrence development device dialogue difference difficulty dimension
diplomat diplomacy direction director disclosure discussion disruption
distance district division doctrine document domain draft duty economy
edition effect effort election element emergency emphasis employee encryption
end enemy energy enforcement engagement engineer enterprise entity
environment episode equipment era escalation essence estimate evaluation event
evidence example exchange exercise expansion expectation expert explanation
exposure expression extent facility fact factor failure faith feature figure
file finance finding firm flow focus force forum foundation framework freedom
front function fund future gap gateway generation goal government grid
ground group growth guarantee guidance guideline hacker hand headquarters
health hearing history holder home host house idea identity impact
implementation importance incident increase indictment individual industry
influence information infrastructure initiative injury inquiry insight
institution instrument integrity intelligence intent interest interference
interpretation intrusion investigation investment issue item journalist
judge judgement jurisdiction justice key kind knowledge lack land language
law lawyer layer leader leadership lesson letter level liability licence
limit line link list literature loss machine majority management mandate
manner market material matter means measure mechanism media meeting member
memory message method military mind minister ministry minority mission
mistake model moment momentum motion movement nation nature need negotiation
network news norm notice number objective obligation observer occasion
office officer official operation operator opinion opponent opportunity
option order organisation origin outcome outline output owner package panel
paper parliament part participant partner partnership party passage path
pattern payment peace penalty people percentage period permission person
perspective phase phone picture piece pillar place plan platform player
point policy position possibility post potential power practice presence
president press pressure prevention price principle priority prison
privacy problem procedure process product programme progress project
promise proof property proposal prosecution protection protocol provider
provision public purpose quality question range rate reaction reader reality
reason record recovery reference reform regime region registry regulation
relation relationship release report representative request requirement
research reserve resilience resolution resource respect response
responsibility result review right risk road role round rule safety sanction
scale scenario schedule scheme school science scope screen sector security
selection sense sentence sequence series server service session setting
settlement share shift signal significance site situation size skill society
software solution source space speaker spectrum speech spirit spokesperson
sponsor staff stage stake standard standpoint state statement station status
step stock strategy strength structure study subject success summit supply
support surface surveillance suspect suspicion system table target task team
technique technology tension term territory test text theft theme theory
threat threshold ticket time tone tool topic total trace track trade
tradition traffic training transfer transition transparency treaty trend
trial trust truth type union unit university update use user value variety
vehicle version victim view violation virus vision visit voice vote
vulnerability warning weakness weapon website week weight welfare whole will
window witness word work worker world year zone
ransomware malware espionage sabotage propaganda disinformation botnet
firewall backdoor exploit payload phishing credential password spyware wiper
patch firmware router satellite pipeline hospital utility airport port
railway harbour telecom broadband semiconductor chip cloud algorithm
blockchain cryptocurrency wallet exchange laptop smartphone sensor drone
archive ledger inventory reservoir substation turbine refinery dam
aggression invasion occupation ceasefire armistice truce embargo tariff
subsidy export import shipment cargo vessel fleet frigate submarine aircraft
missile rocket artillery battalion brigade regiment garrison barracks outpost
patrol convoy checkpoint frontier corridor enclave peninsula archipelago
coastline strait canal river valley mountain forest desert island
village town city suburb neighbourhood street square bridge tunnel tower
monument museum library stadium theatre cathedral embassy consulate
parliamentarian senator governor mayor prosecutor investigator analyst
researcher scientist professor student teacher doctor nurse farmer merchant
banker lawyer auditor inspector regulator commissioner envoy attaché
negotiator mediator observer volunteer refugee migrant resident taxpayer
voter consumer subscriber contractor supplier vendor manufacturer
""".split()

_VERBS = """
accept achieve acknowledge act adapt add address adopt advance affect affirm
agree aim allege allow analyse announce anticipate appear apply appoint
approach approve argue arrange arrest assess assign assist assume assure
attempt attend attract authorise avoid balance believe benefit block boost
brief broaden calculate call carry cease challenge change characterise charge
check cite claim clarify close collaborate collect combine comment commit
compare compel compensate complain complete comply compromise conceal
conclude conduct confirm connect consider consist consolidate constitute
consult contain continue contribute control convene convince cooperate
coordinate correct counter create criticise damage deal debate decide
declare decline defend define delay deliver demand demonstrate deny deploy
deprive describe design designate destabilise destroy detect determine
deter develop differ disclose discover discuss dismantle disrupt distinguish
distribute document dominate doubt draft earn ease educate eliminate
emerge emphasise employ enable encourage endanger endorse enforce engage
enhance ensure enter establish estimate evaluate examine exceed exchange
exclude execute exercise exist expand expect explain exploit explore expose
express extend extract face facilitate fail favour file finance finish focus
follow force form formulate foster function fund gain gather generate govern
guarantee guide handle harm harden help highlight host identify ignore
illustrate impact implement imply import impose improve include incorporate
increase indicate inform infiltrate initiate insist inspect install
integrate intend interfere interpret intervene introduce investigate invite
involve isolate issue join judge justify label launch leak learn limit link
list locate maintain manage manipulate mark matter measure mention mitigate
mobilise modernise monitor motivate move name need negotiate note notify
observe obtain occupy offer open operate oppose organise outline overcome
participate pass penetrate perform permit persist persuade pose possess
postpone practise predict prefer prepare present preserve pressure prevent
proceed process produce prohibit promote propose prosecute protect provide
provoke publish pursue question raise reach react realise reassure recall
receive recognise recommend reconsider record recover reduce refer reflect
refuse regard reinforce reject relate release rely remain remove repair
replace report represent request require rescue resist resolve respect
respond restore restrict retain reveal review revise safeguard sanction
schedule secure separate serve share shape sign signal solve specify
sponsor stabilise start state stay stop strengthen stress structure submit
succeed suffer suggest summon supply support suppose surround suspend
sustain target tend test threaten track train transfer transform treat trust
try uncover underline undermine unite update uphold urge use utilise value
verify violate visit vote wait warn welcome withdraw witness work worry
build bring choose find give hold keep lead make meet see seek send set show
speak spread stand steal take tell understand write run begin break grow win
lose pay put cut fall rise know say
""".split()

_ADJECTIVES = """
able absolute academic acceptable accurate active actual additional
adequate administrative advanced adverse aggressive alarming alternative
ambitious ancient annual anonymous apparent appropriate armed assertive
associated automatic available aware bad basic bilateral blatant brief
brutal broad careful central certain clandestine clear close coherent
collective combined commercial common comparable competent complete complex
comprehensive concerted concrete confidential consistent constant
constructive contemporary continuous conventional core corporate corrupt
covert credible critical crucial cultural current dangerous decisive
deliberate democratic destabilising destructive detailed digital diplomatic
direct disruptive distinct domestic dramatic durable early economic
effective efficient electoral electronic emerging encrypted entire
environmental equal essential established ethical eventual evident exact
excessive existing expensive experimental explicit extensive external
extraordinary fair false familiar federal final financial firm fiscal
flexible foreign formal former fragile free frequent fresh full fundamental
future general genuine global grave growing harmful heavy hidden high
historic hostile hybrid illegal illegitimate immediate imminent important
inadequate inappropriate independent indirect individual industrial
inevitable informal initial innovative institutional integral intelligent
intense intentional internal international invalid irresponsible joint
judicial key large late lawful legal legislative legitimate limited local
long low main major malicious managerial mandatory maritime massive
material medical military minimal minor mobile moderate modern multilateral
mutual narrow national natural necessary negative new normal notable
numerous obvious offensive official ongoing open operational ordinary
original outstanding overall parliamentary partial particular peaceful
permanent persistent personal physical political popular positive possible
potential powerful practical precise preliminary present previous primary
prior private proactive procedural professional profound prominent proper
proportionate prospective public rapid rare real recent reckless regional
regular relevant reliable remote renewed representative resilient
responsible restrictive robust rural safe scientific secret secure
senior sensitive separate serious severe shared short significant similar
simple sincere single social sophisticated sovereign special specific
stable stark steady strategic strict strong structural subsequent
substantial successful sudden sufficient suitable sustained systematic
tactical targeted technical temporary territorial thorough total
traditional transparent tremendous troubling ultimate unacceptable
unauthorised unclear underlying unilateral unique universal unlawful
unprecedented unprovoked unusual urban urgent useful valid valuable various
vast verbal viable vigilant violent virtual visible vital vulnerable
warranted weak wide widespread wider willing young
""".split()

_ADVERBS = """
absolutely actively additionally already also always apparently
approximately broadly carefully certainly clearly closely collectively
consistently constantly continuously currently decisively deeply
deliberately directly effectively entirely equally especially essentially
eventually evidently explicitly extremely fairly finally firmly formally
frequently fully further generally genuinely gradually greatly highly
immediately increasingly indeed initially jointly largely likely mainly
merely mostly mutually namely nearly necessarily notably now officially
openly partly particularly persistently possibly potentially previously
primarily probably promptly properly publicly quickly rapidly rarely
readily recently regularly repeatedly reportedly respectively seriously
severely significantly similarly simply specifically steadily strictly
strongly substantially successfully swiftly systematically thoroughly
together typically ultimately unequivocally urgently usually widely
""".split()

_PREPOSITIONS = (
    "in", "in", "in", "of", "of", "on", "for", "for", "to", "with", "with",
    "against", "across", "within", "through", "under", "by", "from", "after",
    "during", "beyond", "towards", "among", "despite", "without",
)

_IRREGULAR_PLURALS = {
    "analysis": "analyses", "crisis": "crises", "criterion": "criteria",
    "person": "persons", "people": "peoples", "thesis": "theses",
    "basis": "bases", "headquarters": "headquarters", "series": "series",
    "media": "media", "data": "data", "news": "news", "software": "software",
    "equipment": "equipment", "information": "information",
    "infrastructure": "infrastructures", "knowledge": "knowledge",
    "intelligence": "intelligence", "malware": "malware",
    "ransomware": "ransomware", "spyware": "spyware", "espionage": "espionage",
    "sabotage": "sabotage", "propaganda": "propaganda",
    "disinformation": "disinformation", "traffic": "traffic", "cargo": "cargoes",
    "aircraft": "aircraft", "whole": "wholes", "chief": "chiefs",
    "barracks": "barracks", "attaché": "attachés", "welfare": "welfare",
    "privacy": "privacy", "resilience": "resilience", "deterrence": "deterrence",
    "momentum": "momentum", "literature": "literature", "safety": "safety",
    "health": "health", "justice": "justice", "peace": "peace",
    "aggression": "aggression", "diplomacy": "diplomacy", "phishing": "phishing",
    "encryption": "encryption", "surveillance": "surveillance",
    "broadband": "broadband", "firmware": "firmware", "staff": "staff",
    "transparency": "transparency", "accountability": "accountability",
    "cohesion": "cohesion", "clarity": "clarity", "leadership": "leadership",
    "awareness": "awareness",
}

_IRREGULAR_VERBS = {  # base: (past, past participle)
    "build": ("built", "built"), "bring": ("brought", "brought"),
    "choose": ("chose", "chosen"), "find": ("found", "found"),
    "give": ("gave", "given"), "hold": ("held", "held"),
    "keep": ("kept", "kept"), "lead": ("led", "led"), "make": ("made", "made"),
    "meet": ("met", "met"), "see": ("saw", "seen"), "seek": ("sought", "sought"),
    "send": ("sent", "sent"), "set": ("set", "set"), "show": ("showed", "shown"),
    "speak": ("spoke", "spoken"), "spread": ("spread", "spread"),
    "stand": ("stood", "stood"), "steal": ("stole", "stolen"),
    "take": ("took", "taken"), "tell": ("told", "told"),
    "understand": ("understood", "understood"), "write": ("wrote", "written"),
    "run": ("ran", "run"), "begin": ("began", "begun"),
    "break": ("broke", "broken"), "grow": ("grew", "grown"), "win": ("won", "won"),
    "lose": ("lost", "lost"), "pay": ("paid", "paid"), "put": ("put", "put"),
    "cut": ("cut", "cut"), "fall": ("fell", "fallen"), "rise": ("rose", "risen"),
    "know": ("knew", "known"), "say": ("said", "said"),
    "withdraw": ("withdrew", "withdrawn"),
}

# Verbs whose final consonant doubles before -ed / -ing.
_DOUBLING = frozenset(
    "commit compel control occur permit refer submit stop plan ban admit "
    "regret ship drop tap expel equip".split()
)
_IRREGULAR_3SG = {"are": "is", "have": "has", "do": "does", "go": "goes"}
_VOWELS = frozenset("aeiou")


def _plural(noun: str) -> str:
    """Return the English plural of ``noun`` (regular rules plus exceptions)."""
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in _VOWELS:
        return noun[:-1] + "ies"
    return noun + "s"


def _third_person(verb: str) -> str:
    """Return the third person singular present of ``verb``."""
    if verb in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[verb]
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in _VOWELS:
        return verb[:-1] + "ies"
    return verb + "s"


def _past(verb: str) -> tuple[str, str]:
    """Return (past tense, past participle) of ``verb``."""
    if verb in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[verb]
    if verb.endswith("e"):
        form = verb + "d"
    elif verb.endswith("y") and verb[-2] not in _VOWELS:
        form = verb[:-1] + "ied"
    elif verb in _DOUBLING:
        form = verb + verb[-1] + "ed"
    else:
        form = verb + "ed"
    return form, form


def _gerund(verb: str) -> str:
    """Return the -ing form of ``verb``."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and verb != "be":
        return verb[:-1] + "ing"
    if verb in _DOUBLING:
        return verb + verb[-1] + "ing"
    return verb + "ing"


# ---------------------------------------------------------------------------
# Domain material
# ---------------------------------------------------------------------------

# Subjects per source: (text, is_singular). "*" in verb phrases marks the verb
# that agrees with the subject.
_SUBJECTS: dict[str, list[tuple[str, bool]]] = {
    "NATO": [
        ("Allies", False), ("NATO Allies", False), ("We", False),
        ("The North Atlantic Council", True), ("The Alliance", True),
        ("NATO", True), ("The Secretary General", True),
    ],
    "EU": [
        ("The European Union and its Member States", False), ("We", False),
        ("The EU", True), ("The High Representative, on behalf of the EU,", True),
        ("The Council of the EU", True), ("The European Union", True),
    ],
    "UK": [
        ("The United Kingdom", True), ("The UK Government", True),
        ("The UK’s National Cyber Security Centre (NCSC)", True), ("We", False),
        ("The Foreign Secretary", True), ("The UK and its allies", False),
    ],
    "US": [
        ("The United States", True), ("The U.S. Government", True),
        ("The Department of State", True), ("We", False),
        ("The White House", True), ("The FBI and CISA", False),
    ],
    "G7": [
        ("We, the G7 Foreign Ministers,", False), ("G7 Leaders", False),
        ("We", False), ("The G7", True), ("G7 partners", False),
    ],
    "DE": [
        ("The Federal Government", True), ("Germany", True),
        ("The Federal Foreign Office", True), ("We", False),
        ("The German government", True), ("Federal Minister {PERSON}", True),
    ],
    "FR": [
        ("France", True), ("The French authorities", False),
        ("The Ministry for Europe and Foreign Affairs", True), ("We", False),
        ("The French government", True),
    ],
    "EE": [
        ("Estonia", True), ("The Estonian Ministry of Foreign Affairs", True),
        ("The Government of Estonia", True), ("We", False),
        ("Estonia and its allies", False),
    ],
}

_SOURCE_TITLES: dict[str, list[str]] = {
    "NATO": [
        "Statement by the North Atlantic Council concerning malicious cyber activities",
        "Statement by the North Atlantic Council in solidarity with {VICTIM}",
        "Press statement by the NATO Secretary General on {ACTIVITY}",
        "NATO Allies respond to {ACTIVITY} against {VICTIM}",
    ],
    "EU": [
        "Declaration by the High Representative on behalf of the EU on {ACTIVITY}",
        "Statement by the High Representative on {ACTIVITY} against {VICTIM}",
        "Cyber-attacks: Council prolongs framework for sanctions for another year",
        "EU cyber diplomacy toolbox: Council statement No. {SMALLNUM}/{YEAR}",
    ],
    "UK": [
        "UK exposes {ACTIVITY} by {ACTOR}",
        "Foreign Secretary statement on {ACTIVITY}",
        "NCSC advisory: {ACTOR} targeting {TARGET}",
        "UK and allies attribute {ACTIVITY} to {ACTOR}",
    ],
    "US": [
        "Statement by the Press Secretary on {ACTIVITY}",
        "U.S. Department of State: attribution of {ACTIVITY} to {ACTOR}",
        "Joint Cybersecurity Advisory AA{SMALLNUM}-{SMALLNUM}A: {ACTOR} activity",
        "Treasury sanctions {ACTOR} for {ACTIVITY}",
    ],
    "G7": [
        "G7 Foreign Ministers’ statement on {ACTIVITY}",
        "G7 Leaders’ communiqué — cyber section",
        "G7 Declaration on responsible state behaviour in cyberspace",
    ],
    "DE": [
        "Federal Foreign Office statement on {ACTIVITY}",
        "Germany attributes {ACTIVITY} to {ACTOR}",
        "Statement by Federal Minister {PERSON} on {ACTIVITY}",
    ],
    "FR": [
        "Statement by the Ministry for Europe and Foreign Affairs on {ACTIVITY}",
        "France condemns {ACTIVITY} against {VICTIM}",
        "Communiqué: {ACTIVITY} attributed to {ACTOR}",
    ],
    "EE": [
        "Estonian Ministry of Foreign Affairs statement on {ACTIVITY}",
        "Estonia attributes {ACTIVITY} to {ACTOR}",
        "Statement of the Government of Estonia on {ACTIVITY}",
    ],
}

_CITIES: dict[str, list[str]] = {
    "NATO": ["Brussels", "Brussels", "Vilnius", "Washington", "Madrid", "The Hague"],
    "EU": ["Brussels", "Brussels", "Luxembourg", "Strasbourg"],
    "UK": ["London", "London", "Cheltenham", "Manchester"],
    "US": ["Washington", "Washington", "New York", "Fort Meade"],
    "G7": ["Hiroshima", "Carbis Bay", "Elmau", "Charlevoix", "Biarritz", "Apulia", "Kananaskis"],
    "DE": ["Berlin", "Berlin", "Bonn", "München"],
    "FR": ["Paris", "Paris", "Strasbourg", "Besançon"],
    "EE": ["Tallinn", "Tallinn", "Tartu"],
}

_STATES = [
    "Russia", "the Russian Federation", "China", "the People’s Republic of China",
    "Iran", "the Democratic People’s Republic of Korea", "North Korea", "Belarus",
]

# Actors with the first year they appear in statements.
_ACTORS: list[tuple[str, int]] = [
    ("APT28", 2014), ("the Russian military intelligence service (GRU)", 2014),
    ("Russia’s GRU", 2016), ("Sandworm", 2016), ("APT29", 2015),
    ("the Russian Foreign Intelligence Service (SVR)", 2018),
    ("Unit 26165 of the GRU", 2018), ("Unit 74455", 2018),
    ("APT31", 2020), ("APT40", 2019),
    ("the Chinese Ministry of State Security (MSS)", 2018),
    ("actors affiliated with the Ministry of State Security (国家安全部)", 2021),
    ("the Lazarus Group", 2017), ("the Reconnaissance General Bureau (정찰총국)", 2017),
    ("Iranian state-sponsored actors", 2014), ("Volt Typhoon", 2023),
    ("Salt Typhoon", 2024), ("Star Blizzard", 2023), ("Cadet Blizzard", 2023),
    ("Ghostwriter", 2020), ("state-sponsored actors", 2014),
    ("a threat actor sponsored by the Russian Federation", 2014),
    ("the Main Directorate of the General Staff (Главное управление Генерального штаба)", 2018),
]

_ACTIVITIES: list[tuple[str, int]] = [
    ("malicious cyber activity", 2014), ("malicious cyber activities", 2014),
    ("the malicious cyber campaign", 2016), ("this {cyberattack}", 2014),
    ("the ransomware attacks", 2017), ("the NotPetya {cyberattack}", 2017),
    ("the WannaCry ransomware attack", 2017),
    ("the attempted hack of the OPCW", 2018),
    ("the compromise of SolarWinds Orion software", 2020),
    ("the compromise of Microsoft Exchange servers", 2021),
    ("the attack on the KA-SAT network of Viasat", 2022),
    ("destructive wiper attacks", 2022),
    ("the targeting of critical infrastructure", 2014),
    ("persistent espionage campaigns", 2014),
    ("disruptive operations against democratic processes", 2016),
    ("hack-and-leak operations", 2016),
    ("the compromise of telecommunications providers", 2024),
    ("hybrid activities", 2015), ("the {cyberattack} on the Bundestag", 2015),
    ("the campaign against the Social Democratic Party", 2024),
    ("{cyberattack}s against Ukraine’s government websites", 2022),
]

_VICTIMS = [
    "Ukraine", "Germany", "the Czech Republic", "Estonia", "Albania",
    "Montenegro", "the Netherlands", "Poland", "Lithuania", "Georgia",
    "Moldova", "Finland", "Sweden", "Slovakia", "our Allies", "our partners",
    "the United Kingdom", "France", "the United States", "Denmark", "Latvia",
]

_TARGETS = [
    "critical infrastructure", "democratic institutions", "electoral processes",
    "government networks", "health services", "energy grids",
    "financial institutions", "telecommunications networks",
    "political parties", "international organisations", "the defence industrial base",
    "research institutions", "satellite communications", "water utilities",
    "the media", "civil society", "hospitals and emergency services",
]

_PLACES = [
    "Europe", "the Euro-Atlantic area", "Ukraine", "Kyiv", "Tallinn", "Kraków",
    "Gdańsk", "Łódź", "Vilnius", "Rīga", "Reykjavík", "Düsseldorf", "Malmö",
    "Tromsø", "Brno", "Plzeň", "Košice", "Liège", "Zürich", "Chișinău",
    "Tbilisi", "Brussels", "Berlin", "Paris", "London", "Washington",
    "the Baltic region", "the High North", "the Western Balkans",
    "the Black Sea region", "the Indo-Pacific", "Central Asia", "Taipei",
    "Tokyo", "Seoul", "Canberra", "Ottawa", "Warsaw", "Prague", "Bratislava",
    "Bucharest", "Sofia", "Helsinki", "Stockholm", "Oslo", "Copenhagen",
]

_PERSONS = [
    "Jürgen Müller", "Hélène Dubois", "Zoë Łukasiewicz", "Åsa Lindqvist",
    "Tõnis Kask", "Märt Tamm", "Søren Højgaard", "José Martínez",
    "Dóra Szabó", "Ioana Popescu", "Mykola Kovalenko", "Olena Shevchenko",
    "Piotr Wiśniewski", "Lukáš Dvořák", "Ingrid Ødegård", "François Lefèvre",
    "Katarzyna Nowak", "Raimonds Bērziņš", "Laura Smith", "James O’Connor",
    "Emma Johnson", "Michael Brown", "Sarah Whitfield", "Daniel Okafor",
    "Anna Schröder", "Niamh Ó Súilleabháin", "Renée Laurent", "Björn Ekström",
]

_TITLES_OF_PEOPLE = [
    "Minister", "Ambassador", "Amb.", "Gen.", "Dr.", "Prof.", "Director",
    "Deputy Minister", "State Secretary", "Foreign Minister", "Lt. Gen.",
]

_ORGS = [
    "NATO", "the EU", "the OSCE", "the UN", "the United Nations",
    "the OPCW", "ENISA", "the NCSC", "CISA", "the FBI", "the BSI",
    "ANSSI", "CERT-EE", "CERT-UA", "the NCIA", "Europol", "Interpol",
    "the CCDCOE in Tallinn", "the Council of Europe", "the G7 Cyber Expert Group",
]

_CONDEMN: list[tuple[str, int, float]] = [  # (verb phrase, from year, weight)
    ("*condemn", 2014, 3.0), ("*note with concern", 2014, 2.0),
    ("*are deeply concerned by", 2014, 1.5), ("*are seriously concerned about", 2014, 1.0),
    ("*deplore", 2014, 1.0), ("*denounce", 2015, 1.0),
    ("strongly *condemn", 2017, 4.0), ("firmly *condemn", 2018, 1.5),
    ("*condemn in the strongest terms", 2020, 2.5),
    ("strongly and unequivocally *condemn", 2021, 1.5),
    ("*reject", 2014, 0.5), ("*are gravely concerned by", 2019, 1.0),
]

_SOLIDARITY = [
    "*stand in solidarity with", "*express full solidarity with",
    "*express our solidarity with", "*stand united with", "*stand firmly with",
]

_DEMAND = [
    "*call on {STATE} to cease its destabilising activities",
    "*call upon {STATE} to respect its international obligations",
    "*urge {STATE} to stop its reckless pattern of behaviour",
    "*call on all states to act within the framework of responsible state {behaviour} in cyberspace",
    "*urge {STATE} to refrain from such irresponsible {behaviour}",
    "*call on {STATE} to take appropriate action against actors operating from its territory",
    "will hold {ACTOR} accountable",
    "*are determined to hold those responsible accountable",
]

_RESPONSE: list[tuple[str, int, float]] = [
    ("will consider a {coordinated} response", 2018, 2.0),
    ("*are ready to consider {coordinated} response measures", 2020, 2.0),
    ("will consider possible collective responses", 2021, 1.5),
    ("*have imposed restrictive measures on {ACTOR}", 2020, 1.5),
    ("*have decided to impose sanctions on those responsible", 2018, 1.0),
    ("will continue to impose costs on malicious actors", 2019, 1.0),
    ("*have expelled {SMALLNUM} diplomats", 2018, 0.5),
    ("will use the EU cyber diplomacy toolbox", 2017, 1.0),
    ("*have announced indictments against {SMALLNUM} officers of {ACTOR}", 2018, 0.7),
    ("will strengthen our cyber {defence}s", 2014, 2.0),
]

_DETERRENCE: list[tuple[str, int, float]] = [
    ("will respond at a time and in a manner of our choosing", 2021, 2.0),
    ("*reserve the right to respond at a time and place of our own choosing", 2019, 1.0),
    ("*remain determined to employ the full range of capabilities to deter, {defend} and counter "
     "the full spectrum of cyber threats", 2018, 2.0),
    ("will not hesitate to use all capabilities at our disposal", 2019, 1.0),
    ("*recall that a serious cyber attack could, in certain circumstances, lead to the "
     "invocation of Article 5", 2014, 1.5),
    ("*affirm that cyber {defence} is part of NATO’s core task of collective {defence}", 2014, 1.5),
    ("*reaffirm that Art.\u00a05 of the Washington Treaty applies to cyberspace", 2016, 1.0),
    ("*recognise that the impact of significant malicious cumulative cyber activities might, in "
     "certain circumstances, be considered as amounting to an armed attack", 2021, 1.0),
]

_ESTIMATIVE = [
    "almost certainly", "highly likely", "likely", "very likely",
    "with high confidence", "with moderate confidence", "probably",
    "it is a realistic possibility that", "with a high degree of confidence",
]

_HEDGES = ["may", "might", "could", "may well", "could potentially", "would"]
_BOOSTERS = ["clearly", "undoubtedly", "blatantly", "evidently", "plainly", "manifestly"]

_CYRILLIC = [
    "«Кібербезпека — це спільна відповідальність»",
    "«Мы отвергаем эти обвинения»",
    "Державна служба спеціального зв’язку та захисту інформації України",
    "кібератака на енергетичну систему",
    "Министерство иностранных дел Российской Федерации",
    "«Ми вдячні нашим партнерам за підтримку»",
]

_CJK = [
    "中华人民共和国", "网络安全", "サイバー攻撃", "広島", "조선민주주의인민공화국",
    "外交部发言人", "국가정보원", "情報通信研究機構",
]

# Words for translated paragraphs (Ukrainian, Russian) and CJK phrases.
_UK_WORDS = """
кібератака безпека держава міністерство заява уряд Україна Росія союзники
відповідальність інфраструктура критична міжнародне право рішуче засуджуємо
зловмисна діяльність кіберпростір солідарність партнери відповідь
скоординована санкції розвідка військова енергетична система мережа дані
атака загроза захист оборона спільна підтримка Європейський Союз НАТО ГРУ
хакери угруповання виборчий процес демократичні інституції громадяни
операція розслідування докази стабільність мир агресія війна посольство
дипломати висловлюємо закликаємо припинити дестабілізуючу поведінку
відповідальну держав рамки Статут ООН стаття колективна стримування
можливості весь спектр загроз кібероборона та і в на з до що який у від
""".split()
_RU_WORDS = """
кибератака безопасность государство министерство заявление правительство
Россия союзники ответственность инфраструктура критическая международное
право решительно осуждаем вредоносная деятельность киберпространство
солидарность партнёры ответ санкции разведка военная энергетическая
система сеть данные атака угроза защита обвинения отвергаем необоснованные
провокация Запад НАТО ГРУ хакеры группировка выборы демократические
граждане операция расследование доказательства стабильность мир и в на с
к что который по от не
""".split()
_ZH_PHRASES = [
    "外交部发言人表示", "中方坚决反对", "网络攻击", "无端指责", "国际法", "负责任国家行为",
    "网络空间", "和平", "安全", "开放", "合作", "有关国家", "所谓", "政治操弄", "我们",
    "一贯", "打击", "各种形式的", "黑客行为", "维护",
]
_JA_PHRASES = [
    "サイバー攻撃", "を強く非難する", "国際法", "同盟国", "重要インフラ", "に対する",
    "我々は", "責任ある国家の行動", "と連携し", "断固として", "対応する", "日本政府は",
]

_EMOJI = ["🇪🇺", "🇺🇦", "🇬🇧", "🇺🇸", "🔒", "🛡️", "💻", "📢", "👉", "⚠️", "✅", "🌐"]

_CRUFT_HEAD = [
    "Share this Post", "{SMALLNUM} Min Read", "By Staff Writer",
    "Home / World / Security", "Listen to this article", "Print 🖨️",
    "📢 Press release", "🔴 LIVE updates", "Updated {DATE}",
]
_CRUFT_TAIL = [
    "Share this Post", "Leave a Reply", "No comments yet.",
    "👉 Read the full statement here.", "Follow us on X: @{ORGTAG} 🌐",
    "Contact: press office, +32\u00a02\u00a0707\u00a0{SMALLNUM}{SMALLNUM}",
    "Posted in: Security, Cyber, Diplomacy | Tags: cyber, NATO, EU",
    "© {YEAR} All rights reserved.", "Related: {ACTOR} — what we know so far",
    "Subscribe to our newsletter ✅",
]

_LOCAL_ORGS: dict[str, list[str]] = {
    "NATO": [
        "NATO’s Cyber Operations Centre",
        "the Allied Command Operations (SHAPE, Casteau/Mons)",
        "the Alliance’s NCIA",
    ],
    "EU": ["the EEAS", "ENISA (Athína)", "the Commission’s DG CONNECT", "CERT-EU"],
    "UK": ["the NCSC", "GCHQ", "the Foreign, Commonwealth & Development Office"],
    "US": ["CISA", "the FBI", "the NSA’s Cybersecurity Directorate", "U.S. Cyber Command"],
    "G7": [
        "the G7 Rapid Response Mechanism",
        "Japan’s NISC (内閣サイバーセキュリティセンター)",
        "Italy’s Agenzia per la Cybersicurezza Nazionale",
    ],
    "DE": [
        "the Auswärtiges Amt",
        "the Bundesamt für Sicherheit in der Informationstechnik (BSI)",
        "the Bundesamt für Verfassungsschutz",
        "the Generalbundesanwalt",
    ],
    "FR": [
        "the Ministère de l’Europe et des Affaires étrangères",
        "the Agence nationale de la sécurité des systèmes d’information (ANSSI)",
        "VIGINUM",
        "the Comcyber",
    ],
    "EE": ["the Välisministeerium", "the Riigi Infosüsteemi Amet (RIA)", "the Kaitsepolitseiamet (KAPO)", "CERT-EE"],
}

_ORG_TAGS = ("NATOpress", "EU_Commission", "NCSC", "CISAgov", "AuswaertigesAmt", "francediplo", "MFAestonia")
_TLDS = ("com", "net", "org", "info", "ru", "top")

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)

# ---------------------------------------------------------------------------
# Sentence templates
# ---------------------------------------------------------------------------

# Domain templates: {SUBJ} sets subject number; "*verb" agrees with it.
_DOMAIN_TEMPLATES: list[tuple[str, float]] = [
    ("{SUBJ} {CONDEMN} {ACTIVITY} against {TARGET} in {VICTIM}.", 4.0),
    ("{SUBJ} {CONDEMN} {ACTIVITY} by {ACTOR}, which {ADV} {VD} {TARGET}.", 2.0),
    ("{SUBJ} {SOLIDARITY} {VICTIM} following {ACTIVITY} {TIMEPHRASE}.", 3.0),
    ("{SUBJ} {DEMAND}.", 3.0),
    ("{SUBJ} {DEMAND}, in accordance with international law, including the UN Charter.", 1.5),
    ("{SUBJ} {RESPONSE}.", 2.5),
    ("{SUBJ} {DETERRENCE}.", 2.0),
    ("{SUBJ} *assess {ESTIMATIVE_THAT} {ACTOR} was responsible for {ACTIVITY}.", 2.0),
    ("{SUBJ} *attribute {ACTIVITY} to {ACTOR}, acting on behalf of {STATE}.", 2.0),
    ("These activities have been attributed to {ACTOR}, sponsored by {STATE}.", 1.5),
    ("{ACTOR} {ADV} {VD} {ACTIVITY} against {TARGET} {TIMEPHRASE}.", 2.0),
    ("{REPORTER} *note that {VICTIM} attributed {ACTIVITY} to {ACTOR} on {DATE}.", 1.0),
    ("Such {behaviour} is {DISAPPROVAL} and {DISAPPROVAL}, and it {HEDGE} undermine {TARGET}.", 1.5),
    ("{SUBJ} *reaffirm our commitment to a free, open, peaceful and secure cyberspace.", 1.5),
    ("{SUBJ} *remain committed to the UN framework of responsible state {behaviour} in "
     "cyberspace, as endorsed by the UN General Assembly.", 1.5),
    ("International law, including the UN Charter in its entirety, applies to state conduct in cyberspace.", 1.0),
    ("{STATE} did not condemn the attacks and stopped short of condemning {ACTOR}.", 0.4),
    ("{SUBJ} will not hesitate to respond, as {ORG} made clear on {DATE}.", 0.6),
    ("The {cyberattack} {HEDGE} have had serious consequences for {TARGET} in {PLACE}.", 1.0),
    ("“{QUOTE}”, said {TITLE} {PERSON}.", 2.0),
    ("{TITLE} {PERSON} said: “{QUOTE}.”", 1.5),
    ("According to {ORG}, more than {NUMBER} {NS} were affected in {PLACE} — {A} {N} for {TARGET}.", 1.5),
    ("In {YEARNUM}, {ORG} recorded {NUMBER} incidents, up from {NUMBER} in the previous year.", 1.0),
    ("The {behaviour} of {ACTOR} stands in stark contrast to the {coordinated} approach of {ORG} "
     "(see Art.\u00a0{SMALLNUM} and No.\u00a0{SMALLNUM} of the {YEARNUM} declaration).", 0.8),
    ("The U.S. and the U.K. worked with {ORG} on {DATE} to expose {ACTIVITY}, e.g. through joint advisories.", 0.8),
    ("{FOREIGN}", 0.5),
    ("The actor exploited {CVE} and {CVE} and used infrastructure such as {IOC}.", 0.4),
    ("The Ministry of State Security (国家安全部) and its contractors {ADV} {VD} {TARGET} in {PLACE}.", 0.3),
    ("Officials in {PLACE} described the incident as a {cyberattack} («кібератака»), and {ORG} "
     "published the {N} in {LANGUAGE}.", 0.3),
    ("This was {BOOSTER} a {DISAPPROVAL} act, and {ORG} {ADV} {VD} it.", 0.8),
]

_QUOTES = [
    "We will not tolerate {ACTIVITY} against {TARGET}",
    "This is {A} and {DISAPPROVAL} {behaviour}, and it must stop",
    "Our response will be {coordinated}, proportionate and in line with international law",
    "We stand with {VICTIM} today and every day",
    "Those responsible will be held accountable",
    "{ACTOR} has {ADV} {VN} the {NS} of {TARGET}",
    "Cyberspace is not a lawless space",
    "The {N} of {NS} is a matter of national security",
]

# Generic templates over the Zipf vocabulary.
_FILLER_TEMPLATES: list[tuple[str, float]] = [
    ("The {A} {N} of the {N} {VD} the {NS} {P} {PLACE}.", 3.0),
    ("{SUBJ} {ADV} *{V} the {N} of {A} {NS} and {NS}.", 3.0),
    ("This {N} {V3} the {A} {N}, which {VD} {NS} {P} the {N}.", 3.0),
    ("{ADVCAP}, the {N} {MODAL} {V} the {NS} {P} the {A} {N}.", 3.0),
    ("{NSCAP} and {NS} {P} {PLACE} have {VN} a {A} {N} {P} {NS}.", 2.0),
    ("It is {A} that the {N} {V3} {NS} {P} the {N} of {TARGET}.", 2.0),
    ("{SUBJ} *welcome the {A} {N} by {ORG} to {V} {NS} and {V} the {N}.", 2.0),
    ("{NUMCAP} {NS} were {VN} {P} the {A} {N}, and {SMALLNUM} more {MODAL} be {VN} by {DATE}.", 1.5),
    ("The {N} — {A}, {A} and {A} — {VD} {P} {PLACE} {TIMEPHRASE}.", 1.5),
    ("Following the {N} {P} {PLACE}, {ORG} {VD} a {A} {N} on {NS}.", 2.0),
    ("{SUBJ} will continue {VG} {A} {NS} with {ORG} and {ORG}.", 2.0),
    ("Without {A} {NS}, the {N} of {NS} {MODAL} {V} {A} {NS}.", 1.5),
    ("There is no {A} {N} for {VG} {NS} in {PLACE}.", 1.0),
    ("Between {YEARNUM} and {YEAR}, the {N} {VD} by {PERCENT} in {PLACE}.", 1.0),
    ("{TITLE} {PERSON} {VD} the {N} in {PLACE} on {DATE}.", 1.5),
    ("We {ADV} {V} {NS} {P} the {A} {N}; we {ADV} {V} the {N}.", 1.0),
    ("What {NS} {V} is a {A} {N}: {A} {NS}, {A} {NS} and {A} {N}.", 1.0),
    ("{STATE}’s {A} {NS} {VD} the Alliance’s {N} — and the {N}’s {NS} {P} {PLACE}.", 1.5),
    ("The so-called “{A} {N}” {VD} {NS} {P} {PLACE}; it’s {A}, and it won’t {V} the {N}.", 1.0),
    ("In the {N}’s {A} {N}, {ORG} {VD} “{A} {NS}” and “{A} {NS}”.", 1.0),
    ("{LOCALORG} {VD} the {N} on {DATE} — {NUMBER} {NS} in {PLACE} alone.", 1.0),
]

_MODALS = ("will", "must", "can", "may", "should", "could", "would", "might", "shall")
_DISAPPROVAL = (
    "unacceptable", "reckless", "irresponsible", "destabilising", "dangerous",
    "illegitimate", "blatant", "deplorable", "malicious",
)
_REPORTERS = ("Allies", "We", "Several Allies", "Partners", "Member States")
_TIMEPHRASES = (
    "earlier this year", "last month", "in recent weeks", "since {YEARNUM}",
    "on {DATE}", "over the past decade",
    "in the run-up to the elections", "this week", "last year",
    "between {YEARNUM} and {YEAR}",
)


def _compile(template: str) -> tuple[str, ...]:
    """Split a template into literal parts (even indices) and slot names (odd)."""
    return tuple(re.split(r"\{(\w+)\}", template))


_STAR = re.compile(r"\*(\w+)")
_AN = re.compile(r"\b([Aa]) (?=[aeiouAEIOU][a-z])")


class _Writer:
    """Builds documents for one (seed) stream; all randomness via ``self._r``."""

    def __init__(self, seed: int) -> None:
        self._r: Callable[[], float] = random.Random(seed).random
        # Vocabulary: Zipf weights over a seed-shuffled order of word types.
        nouns = list(dict.fromkeys(_NOUNS))
        verbs = list(dict.fromkeys(_VERBS))
        self._noun_s = self._zipf(nouns)
        self._noun_p = self._zipf([_plural(n) for n in nouns])
        forms = [(v, _third_person(v), *_past(v), _gerund(v)) for v in verbs]
        self._verb = [self._zipf([f[i] for f in forms]) for i in range(5)]
        self._adj = self._zipf(list(dict.fromkeys(_ADJECTIVES)))
        self._adv = self._zipf(list(dict.fromkeys(_ADVERBS)))
        self._filler = self._weighted([(_compile(t), w) for t, w in _FILLER_TEMPLATES])
        self._domain = self._weighted([(_compile(t), w) for t, w in _DOMAIN_TEMPLATES])
        self._quotes = [_compile(q) for q in _QUOTES]
        self._titles = {s: [_compile(t) for t in ts] for s, ts in _SOURCE_TITLES.items()}
        self._subjects = {
            s: [(_compile(t), sg) for t, sg in subs] for s, subs in _SUBJECTS.items()
        }
        self._by_year_cache: dict[tuple[str, int], tuple[list, list[float], float]] = {}
        self._simple: dict[str, Sequence[str]] = {
            "STATE": _STATES, "VICTIM": _VICTIMS, "TARGET": _TARGETS,
            "PLACE": _PLACES, "PERSON": _PERSONS, "TITLE": _TITLES_OF_PEOPLE,
            "ORG": _ORGS, "SOLIDARITY": _SOLIDARITY, "DEMAND": _DEMAND,
            "ESTIMATIVE": _ESTIMATIVE, "HEDGE": _HEDGES, "BOOSTER": _BOOSTERS, "MODAL": _MODALS,
            "DISAPPROVAL": _DISAPPROVAL, "REPORTER": _REPORTERS,
            "TIMEPHRASE": _TIMEPHRASES, "P": _PREPOSITIONS, "CJK": _CJK,
            "CYRILLIC": _CYRILLIC, "LANGUAGE": ("Ukrainian", "Russian", "Estonian", "Polish", "German", "French"),
        }
        self._compiled_simple: dict[str, list[tuple[str, ...]]] = {
            k: [_compile(x) for x in v] for k, v in self._simple.items()
        }
        # Per-document state, set by document().
        self.year = YEARS[0]
        self.source = SOURCES[0]
        self.style: dict[str, str] = {}
        self._singular = False

    # -- random helpers (only arithmetic on random(), for reproducibility) --

    def _pick(self, seq: Sequence):
        return seq[int(self._r() * len(seq))]

    def _randint(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]."""
        return lo + int(self._r() * (hi - lo + 1))

    def _zipf(self, words: list[str]) -> tuple[list[str], list[float], float]:
        order = list(words)
        # Fisher-Yates with our own random(): fixes which words are frequent.
        for i in range(len(order) - 1, 0, -1):
            j = int(self._r() * (i + 1))
            order[i], order[j] = order[j], order[i]
        cum = list(accumulate(1.0 / (rank + 8.0) for rank in range(len(order))))
        return order, cum, cum[-1]

    @staticmethod
    def _weighted(items: Sequence[tuple[Any, float]]) -> tuple[list, list[float], float]:
        cum = list(accumulate(w for _, w in items))
        return [x for x, _ in items], cum, cum[-1]

    def _draw(self, table: tuple[list, list[float], float]):
        values, cum, total = table
        return values[bisect(cum, self._r() * total)]

    def _year_table(self, name: str, items: Sequence[tuple]) -> tuple[list, list[float], float]:
        """Weighted table of the phrases in ``items`` in use in the current year.

        ``items`` holds (template, first year) or (template, first year, weight).
        """
        key = (name, self.year)
        table = self._by_year_cache.get(key)
        if table is None:
            # Phrases fade in over three years after they first appear.
            live = [
                (_compile(item[0]), (item[2] if len(item) > 2 else 1.0)
                 * min(1.0, (self.year - item[1] + 1) / 3.0))
                for item in items
                if item[1] <= self.year
            ]
            table = self._weighted(live)
            self._by_year_cache[key] = table
        return table

    # -- slot expansion --

    def _expand(self, parts: tuple[str, ...]) -> str:
        out = []
        for i, part in enumerate(parts):
            out.append(self._slot(part) if i & 1 else part)
        return "".join(out)

    def _slot(self, name: str) -> str:  # noqa: C901 - a flat dispatch table
        r = self._r
        if name == "N":
            return self._draw(self._noun_s)
        if name == "NS":
            return self._draw(self._noun_p)
        if name == "A":
            return self._draw(self._adj)
        if name == "ADV":
            return self._draw(self._adv)
        if name == "V":
            return self._draw(self._verb[0])
        if name == "V3":
            return self._draw(self._verb[1])
        if name == "VD":
            return self._draw(self._verb[2])
        if name == "VN":
            return self._draw(self._verb[3])
        if name == "VG":
            return self._draw(self._verb[4])
        if name in self._compiled_simple:
            return self._expand(self._pick(self._compiled_simple[name]))
        if name == "SUBJ":
            parts, singular = self._pick(self._subjects[self.source])
            self._singular = singular
            return self._expand(parts)
        if name == "CONDEMN":
            return self._expand(self._draw(self._year_table(name, _CONDEMN)))
        if name == "RESPONSE":
            return self._expand(self._draw(self._year_table(name, _RESPONSE)))
        if name == "DETERRENCE":
            return self._expand(self._draw(self._year_table(name, _DETERRENCE)))
        if name == "ACTOR":
            return self._expand(self._draw(self._year_table(name, _ACTORS)))
        if name == "ACTIVITY":
            return self._expand(self._draw(self._year_table(name, _ACTIVITIES)))
        if name == "ESTIMATIVE_THAT":
            e = self._pick(_ESTIMATIVE)
            return e if e.endswith("that") else f"that {e}"
        if name == "QUOTE":
            return self._expand(self._pick(self._quotes))
        if name in ("cyberattack", "coordinated", "behaviour", "defence", "defend"):
            return self.style[name]
        if name == "DATE":
            return self._date()
        if name == "YEARNUM":
            return str(self._randint(max(2007, self.year - 8), self.year))
        if name == "YEAR":
            return str(self.year)
        if name == "SMALLNUM":
            return str(self._randint(1, 40))
        if name in ("NUMBER", "NUMCAP"):
            return self._number()
        if name == "PERCENT":
            pct = f"{self._randint(2, 95)}{'.' + str(self._randint(1, 9)) if r() < 0.3 else ''}"
            return pct + ("\u00a0%" if self.source in ("FR", "DE") else " per cent" if r() < 0.4 else "%")
        if name == "ADVCAP":
            return self._draw(self._adv).capitalize()
        if name == "NSCAP":
            return self._draw(self._noun_p).capitalize()
        if name == "FOREIGN":
            return self._foreign()
        if name == "LOCALORG":
            return self._pick(_LOCAL_ORGS[self.source])
        if name == "CVE":
            return f"CVE-{self._randint(2014, self.year)}-{self._randint(1000, 49999)}"
        if name == "IOC":
            return self._ioc()
        if name == "ORGTAG":
            return self._pick(_ORG_TAGS)
        raise KeyError(f"unknown template slot {name!r}")

    def _date(self) -> str:
        day = self._randint(1, 28)
        month = self._pick(_MONTHS)
        if self.source == "US":
            return f"{month} {day}, {self.year}"
        sep = "\u00a0" if self._r() < 0.3 else " "
        return f"{day}{sep}{month} {self.year}"

    def _number(self) -> str:
        x = self._r()
        if x < 0.35:
            return str(self._randint(2, 99))
        if x < 0.7:
            return f"{self._randint(100, 250000):,}"
        if x < 0.85:
            return f"{self._randint(1, 9)}.{self._randint(1, 9)} million"
        if x < 0.93:
            cur = "€" if self.source in ("EU", "DE", "FR", "EE") else "£" if self.source == "UK" else "$"
            return f"{cur}{self._randint(1, 900)} million worth of"
        return f"{self._randint(10, 99)}\u00a0000"

    def _ioc(self) -> str:
        """A defanged indicator of compromise, as printed in advisories."""
        x = self._r()
        if x < 0.4:
            octets = (self._randint(5, 223), self._randint(0, 255), self._randint(0, 255), self._randint(1, 254))
            return "{}.{}.{}[.]{}".format(*octets)
        if x < 0.75:
            return f"{self._draw(self._adj)}-{self._draw(self._noun_s)}[.]{self._pick(_TLDS)}"
        digits = "0123456789abcdef"
        return "SHA-256 " + "".join(digits[int(self._r() * 16)] for _ in range(64))

    def _foreign(self) -> str:
        """A sentence carrying a quotation in Ukrainian/Russian or a CJK name."""
        if self._r() < 0.65:
            gloss = self._pick(("Cybersecurity is a shared responsibility",
                                "We are grateful to our partners for their support"))
            return (f"{self._pick(_TITLES_OF_PEOPLE)} {self._pick(_PERSONS)} wrote in Ukrainian: "
                    f"{self._pick(_CYRILLIC)} (“{gloss}”).")
        return (f"The statement was also published in {self._pick(('Chinese', 'Japanese', 'Korean'))} "
                f"({self._pick(_CJK)}, {self._pick(_CJK)}).")

    def _foreign_paragraph(self) -> str:
        """A translated paragraph in Ukrainian or Russian, or a short CJK one."""
        x = self._r()
        if x < 0.75:
            words = _UK_WORDS if x < 0.5 else _RU_WORDS
            label = "Неофіційний переклад" if x < 0.5 else "Реакция МИД России"
            out = []
            for _ in range(self._randint(2, 5)):
                sent = " ".join(self._pick(words) for _ in range(self._randint(6, 16)))
                out.append(sent[0].upper() + sent[1:] + ".")
            return f"{label}: «" + " ".join(out) + "»"
        phrases = _ZH_PHRASES if x < 0.9 else _JA_PHRASES
        stop = "。"
        out = []
        for _ in range(self._randint(2, 4)):
            out.append("".join(self._pick(phrases) for _ in range(self._randint(3, 7))) + stop)
        return "Original text / 原文: " + "".join(out)

    # -- sentences and documents --

    def sentence(self) -> str:
        """One sentence: a domain template (about 45 %) or a generic one."""
        self._singular = False
        table = self._domain if self._r() < 0.45 else self._filler
        s = self._expand(self._draw(table))
        if "*" in s:
            sg = self._singular
            s = _STAR.sub((lambda m: _third_person(m.group(1))) if sg else (lambda m: m.group(1)), s)
        if s[0].islower():
            s = s[0].upper() + s[1:]
        if "We" in s and not s.startswith("We"):
            s = s.replace(" We ", " we ")
        return s

    def document(self) -> tuple[str, int, str]:
        """Return (text, year, source) for one statement."""
        r = self._r
        self.year = self._draw(_YEAR_TABLE)
        self.source = self._draw(_SOURCE_TABLE)
        us = self.source == "US"
        self.style = {
            "cyberattack": self._pick(("cyber attack", "cyber-attack", "cyberattack", "cyber attack")),
            "coordinated": "co-ordinated" if r() < 0.1 else "coordinated",
            "behaviour": "behavior" if us else "behaviour",
            "defence": "defense" if us else "defence",
            "defend": self._pick(("defend against", "defend", "defend against")),
        }
        # Product of two uniforms: skewed towards short, mean ~900 words.
        target = MIN_WORDS + int((MAX_WORDS - MIN_WORDS) * r() * r())
        web = r() < 0.25
        # Share of paragraphs followed by a translated or foreign-language one.
        foreign_rate = 0.05 if self.source in ("EE", "EU", "NATO") else 0.02
        head: list[str] = []
        if web:
            head.append(self._expand(_compile(self._pick(_CRUFT_HEAD))))
            if r() < 0.3:
                head.append(self._pick(_EMOJI) + " " + self._expand(self._pick(self._titles[self.source])))
        title = self._expand(self._pick(self._titles[self.source]))
        head.append(title[0].upper() + title[1:])
        words = sum(len(line.split()) for line in head)
        body: list[tuple[str, int]] = []  # (paragraph, its word count)
        while words < target:
            para = " ".join(self.sentence() for _ in range(self._randint(2, 6)))
            if not body:
                para = f"{self._pick(_CITIES[self.source])}, {self._date()} — {para}"
            n = len(para.split())
            body.append((para, n))
            words += n
            if r() < foreign_rate:
                para = self._foreign_paragraph()
                n = len(para.split())
                body.append((para, n))
                words += n
        tail: list[str] = []
        if web:
            tail = [self._expand(_compile(self._pick(_CRUFT_TAIL))) for _ in range(self._randint(1, 4))]
            words += sum(len(line.split()) for line in tail)
        while words > MAX_WORDS and len(body) > 1:  # keep within 200-3000 words
            words -= body.pop()[1]
        text = "\n\n".join(["\n".join(head)] + [p for p, _ in body] + (["\n".join(tail)] if tail else [])) + "\n"
        text = _AN.sub(r"\1n ", text)
        text = self._typography(text)
        return text, self.year, self.source

    def _typography(self, text: str) -> str:
        """Apply per-document typographic conventions and rare hazards."""
        r = self._r
        if r() < 0.2:  # wire copy: straight quotes and apostrophes
            text = text.translate(_STRAIGHT)
        if r() < 0.05:  # text extracted from a PDF: hard line breaks
            words = text.split(" ")
            step = self._randint(10, 14)
            text = "".join(w + ("\n" if i % step == step - 1 else " ") for i, w in enumerate(words))[:-1]
        if r() < 0.1:  # soft hyphens and zero-width spaces from CMS editors
            text = text.replace("cybersecurity", "cyber\u00adsecurity")
            text = text.replace("infrastructure", "infra\u00adstructure", 1)
            text = text.replace("NATO’s", "NATO\u200b’s", 1)
        if r() < 0.02:  # full-width letters pasted from East Asian sources
            text = text.replace("NATO", "ＮＡＴＯ", 1)
        return text


_STRAIGHT = str.maketrans({"’": "'", "“": '"', "”": '"', "‘": "'"})
_YEAR_TABLE = (list(YEARS), list(accumulate(_YEAR_WEIGHTS)), sum(_YEAR_WEIGHTS))
_SOURCE_TABLE = (list(SOURCES), list(accumulate(_SOURCE_WEIGHTS)), sum(_SOURCE_WEIGHTS))


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def iter_documents(target_mb: float = 50, seed: int = 1) -> Iterator[tuple[str, int, str]]:
    """Yield (text, year, source) until the texts total ``target_mb`` * 10**6 UTF-8 bytes.

    The last document may overshoot the target by at most one document.
    """
    writer = _Writer(seed)
    limit = int(target_mb * 1_000_000)
    total = 0
    while total < limit:
        text, year, source = writer.document()
        total += len(text.encode("utf-8"))
        yield text, year, source


def generate(target_mb: float = 50, seed: int = 1) -> tuple[list[str], pd.DataFrame]:
    """Generate a corpus of about ``target_mb`` MB (10**6 bytes of UTF-8 text).

    Returns the texts and a DataFrame with one row per text and columns
    ``year`` (int) and ``source`` (str). The same seed always gives the same
    texts, byte for byte.
    """
    import pandas as pd

    texts: list[str] = []
    years: list[int] = []
    sources: list[str] = []
    for text, year, source in iter_documents(target_mb, seed):
        texts.append(text)
        years.append(year)
        sources.append(source)
    return texts, pd.DataFrame({"year": years, "source": sources})


def write_jsonl(path: str, target_mb: float = 50, seed: int = 1) -> tuple[int, int]:
    """Write the corpus as JSON lines ``{"year", "source", "text"}``.

    Writes to a temporary file and renames it, so a cache is never half
    written. Returns (number of documents, UTF-8 bytes of text).
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    n_docs = n_bytes = 0
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for text, year, source in iter_documents(target_mb, seed):
            fh.write(json.dumps({"year": year, "source": source, "text": text}, ensure_ascii=False))
            fh.write("\n")
            n_docs += 1
            n_bytes += len(text.encode("utf-8"))
    os.replace(tmp, path)
    return n_docs, n_bytes


def load_corpus(path: str) -> tuple[list[str], pd.DataFrame]:
    """Read a JSON-lines corpus written by :func:`write_jsonl`."""
    import pandas as pd

    texts: list[str] = []
    years: list[int] = []
    sources: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            texts.append(rec["text"])
            years.append(rec["year"])
            sources.append(rec["source"])
    return texts, pd.DataFrame({"year": years, "source": sources})


def cache_path(target_mb: float, seed: int = 1, cache_dir: str | None = None) -> str:
    """Path of the cached corpus for (target_mb, seed, GEN_VERSION)."""
    if cache_dir is None:
        cache_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache")
    return os.path.join(cache_dir, f"corpus_v{GEN_VERSION}_{target_mb:g}mb_seed{seed}.jsonl")


def ensure_cached(target_mb: float, seed: int = 1, cache_dir: str | None = None) -> str:
    """Generate the corpus into the cache unless it is already there; return its path."""
    path = cache_path(target_mb, seed, cache_dir)
    if not os.path.exists(path):
        write_jsonl(path, target_mb, seed)
    return path


def _non_ascii_share(texts: Sequence[str]) -> float:
    chars = sum(len(t) for t in texts)
    ascii_chars = sum(len(t.encode("ascii", "ignore")) for t in texts)
    return (chars - ascii_chars) / chars if chars else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    default_out = cache_path(50, 1)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50, help="target size in 10**6 bytes of UTF-8 text (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", default=None, help=f"output JSON-lines file (default {default_out} for --mb 50)")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="print the first N documents instead of writing a file")
    args = parser.parse_args(argv)
    if args.sample:
        try:
            for i, (text, year, source) in enumerate(iter_documents(args.mb, args.seed)):
                if i >= args.sample:
                    break
                print(f"=== {year} {source}\n{text}")
        except BrokenPipeError:  # e.g. piped into head
            sys.stderr.close()
        return 0
    out = args.out or cache_path(args.mb, args.seed)
    t0 = time.perf_counter()
    n_docs, n_bytes = write_jsonl(out, args.mb, args.seed)
    dt = time.perf_counter() - t0
    print(f"wrote {n_docs} documents, {n_bytes / 1e6:.1f} MB of text to {out} in {dt:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
