"""Word banks and a seeded writer for the demo's headlines, stories and bios.

All people and organisations here are invented; places are real cities. The
writer draws every choice from one ``random.Random``, so the same seed always
produces the same words. Pure Python: no Django, no database.

Templates avoid verbs that must agree with a filled-in noun, so singular and
plural phrases can fill the same slot.
"""

import random
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PUBLICATION_NAME = "Masthead Daily"
NEWSROOM_DOMAIN = "masthead.example"


@dataclass(frozen=True)
class Entity:
    """Something a story is about and a tag can name.

    ``kind`` is one of the tag types: person, organisation, place, topic.
    ``topics`` names the topics a person or organisation is usually quoted on.
    """

    name: str
    kind: str
    description: str
    role: str = ""
    country: str = ""
    topics: tuple[str, ...] = ()
    takes_the: bool = False  # "the Open Ledger Foundation" inside a sentence

    @property
    def in_text(self) -> str:
        return f"the {self.name}" if self.takes_the else self.name


@dataclass(frozen=True)
class Topic:
    """A subject with the vocabulary stories about it are written from.

    ``things`` are places that can open, close and be repaired; ``unit`` names
    the people affected.
    """

    name: str
    description: str
    subject: str
    things: tuple[str, ...]
    problems: tuple[str, ...]
    plans: tuple[str, ...]
    unit: str
    metric: str
    work_kinds: tuple[str, ...] = ("exhibition", "play")


@dataclass(frozen=True)
class SectionSpec:
    title: str
    slug: str
    intro: str
    kind: str  # news, business, opinion or culture: picks the writing style
    topics: tuple[str, ...]
    places: tuple[str, ...]
    job_titles: tuple[str, ...]


@dataclass
class ArticleText:
    """The words of one article; the builder turns them into blocks."""

    headline: str
    standfirst: str
    caption: str
    paragraphs: list[str]
    headings: list[str]
    quote: tuple[str, str]  # text, attribution


@dataclass
class AuthorText:
    name: str
    job_title: str
    bio: str
    social_links: list[tuple[str, str]] = field(default_factory=list)


def _person(name: str, role: str, topics: str) -> Entity:
    return Entity(
        name, "person", capfirst(role) + ".", role=role, topics=tuple(topics.split())
    )


def _organisation(name: str, description: str, topics: str, the: bool = True) -> Entity:
    return Entity(
        name,
        "organisation",
        description,
        topics=tuple(topics.split()),
        takes_the=the,
    )


def capfirst(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


PEOPLE = (
    _person(
        "Ostap Verbytsky",
        "head of the regional reconstruction office",
        "Reconstruction Housing Transport",
    ),
    _person(
        "Solomiia Hrytsenko",
        "an independent MP who chairs the energy committee",
        "Energy Elections Climate",
    ),
    _person(
        "Marit Lindqvist",
        "an economist at the Open Ledger Foundation",
        "Trade Reconstruction Housing Technology",
    ),
    _person(
        "Anton Berezhnyi",
        "chief executive of Northline Energy",
        "Energy Technology",
    ),
    _person(
        "Dafne Caruana",
        "a trade negotiator and former diplomat",
        "Trade Elections Agriculture",
    ),
    _person(
        "Yaroslava Tkachuk",
        "a human-rights lawyer who advises local councils",
        "Elections Housing Health Education",
    ),
    _person(
        "Henrik Vos",
        "a logistics entrepreneur who runs a fleet of river barges",
        "Transport Trade Agriculture",
    ),
    _person(
        "Adaeze Okafor-Lind",
        "director of the Riverbank Literature Festival",
        "Books Education",
    ),
    _person("Bohdan Kravets", "a historian and novelist", "Books Education Film"),
    _person(
        "Ilse Marquardt",
        "a climate scientist who studies river basins",
        "Climate Energy Agriculture",
    ),
    _person("Tamar Gvaramia", "a film director and composer", "Film Music"),
    _person(
        "Petro Zahorodnii",
        "the elected head of a village community",
        "Agriculture Reconstruction Health Education",
    ),
    _person(
        "Lucia Ferrandis",
        "a trade adviser based in Brussels",
        "Trade Elections Climate",
    ),
    _person(
        "Kwame Asante-Boyd",
        "a shipping analyst at Meridian Shipping",
        "Trade Transport Technology",
    ),
)

ORGANISATIONS = (
    _organisation(
        "Northline Energy",
        "A power distributor.",
        "Energy Technology",
        the=False,
    ),
    _organisation(
        "Open Ledger Foundation",
        "A research group that tracks public spending.",
        "Reconstruction Elections Housing Health",
    ),
    _organisation(
        "Council of Danube Cities",
        "An association of municipalities along the river.",
        "Transport Climate Trade Elections",
    ),
    _organisation(
        "Eastgate Bank",
        "A commercial lender.",
        "Housing Trade Agriculture Technology",
        the=False,
    ),
    _organisation(
        "Sunflower Growers' Union",
        "A farmers' association.",
        "Agriculture Trade",
    ),
    _organisation(
        "Carpathian Heritage Fund",
        "A charity that restores historic buildings.",
        "Reconstruction Film Music Books",
    ),
    _organisation(
        "Meridian Shipping",
        "A container shipping line.",
        "Trade Transport",
        the=False,
    ),
    _organisation(
        "Polissia Wind Cooperative",
        "A community-owned wind energy cooperative.",
        "Energy Climate",
    ),
    _organisation(
        "Riverbank Literature Festival",
        "An annual festival of books and translation.",
        "Books Education",
    ),
    _organisation(
        "Institute for Civic Recovery",
        "A think tank that studies reconstruction.",
        "Reconstruction Housing Health Education",
    ),
    _organisation(
        "Amber Coast Ports Authority",
        "The operator of several Baltic ports.",
        "Transport Trade",
    ),
    _organisation(
        "Eastern Rail Workers' Union",
        "A trade union for railway staff.",
        "Transport",
    ),
    _organisation(
        "Blue Lantern Theatre Company",
        "A touring theatre company.",
        "Film Music Books",
    ),
    _organisation(
        "Frontier Data Lab",
        "A technology start-up.",
        "Technology Education Elections",
        the=False,
    ),
)

PLACES = tuple(
    Entity(name, "place", description, country=country)
    for name, country, description in (
        ("Kyiv", "Ukraine", "The capital of Ukraine."),
        ("Lviv", "Ukraine", "A city in western Ukraine."),
        ("Kharkiv", "Ukraine", "A city in north-eastern Ukraine."),
        ("Odesa", "Ukraine", "A port city on the Black Sea."),
        ("Dnipro", "Ukraine", "A city on the Dnipro river."),
        ("Chernihiv", "Ukraine", "A city in northern Ukraine."),
        ("Mykolaiv", "Ukraine", "A shipbuilding city in the south of Ukraine."),
        ("Poltava", "Ukraine", "A city in central Ukraine."),
        ("Warsaw", "Poland", "The capital of Poland."),
        ("Berlin", "Germany", "The capital of Germany."),
        ("Brussels", "Belgium", "The capital of Belgium."),
        ("Vilnius", "Lithuania", "The capital of Lithuania."),
        ("Bucharest", "Romania", "The capital of Romania."),
        ("Chișinău", "Moldova", "The capital of Moldova."),
        ("Prague", "Czechia", "The capital of Czechia."),
        ("Tbilisi", "Georgia", "The capital of Georgia."),
        ("Istanbul", "Turkey", "Turkey's largest city."),
        ("Nairobi", "Kenya", "The capital of Kenya."),
    )
)

TOPICS = (
    Topic(
        "Energy",
        "Power, heat and the grid.",
        "the power grid",
        ("substation", "heating plant", "solar park", "power station"),
        (
            "rolling power cuts",
            "rising heating tariffs",
            "a shortage of transformers",
            "frozen pipes",
        ),
        (
            "rooftop solar panels for schools",
            "backup generators for hospitals",
            "a new district heating network",
            "battery storage for the grid",
        ),
        "households",
        "electricity output",
    ),
    Topic(
        "Reconstruction",
        "Rebuilding homes, bridges and public buildings.",
        "reconstruction",
        ("bridge", "apartment block", "water treatment plant", "clinic"),
        (
            "slow insurance payouts",
            "a shortage of builders",
            "delayed permits",
            "rising material costs",
        ),
        (
            "a fund for rebuilding homes",
            "modular housing for displaced families",
            "a programme to repair school roofs",
            "open rules for public tenders",
        ),
        "families",
        "repair spending",
    ),
    Topic(
        "Agriculture",
        "Farming, food and exports.",
        "farming",
        ("grain terminal", "seed bank", "irrigation canal", "cold store"),
        ("falling grain prices", "a dry spring", "costly fertiliser", "scarce storage"),
        (
            "cheaper loans for small farmers",
            "a new export corridor",
            "a cooperative for storing grain",
            "soil surveys of abandoned fields",
        ),
        "farmers",
        "the harvest",
    ),
    Topic(
        "Transport",
        "Trains, roads, ports and borders.",
        "rail and road transport",
        ("railway station", "tram depot", "ferry terminal", "border crossing"),
        (
            "long queues at the border",
            "ageing rolling stock",
            "cancelled night trains",
            "potholed highways",
        ),
        (
            "a direct rail link",
            "a fleet of electric buses",
            "a shared timetable",
            "faster customs checks",
        ),
        "passengers",
        "passenger numbers",
    ),
    Topic(
        "Climate",
        "Weather, emissions and adaptation.",
        "climate policy",
        ("flood barrier", "riverside park", "weather station", "nature reserve"),
        ("summer heatwaves", "flash floods", "a drying river", "wildfire smoke"),
        (
            "a city-wide tree-planting programme",
            "stricter insulation rules",
            "an early-warning system for floods",
            "a carbon budget for the city",
        ),
        "residents",
        "emissions",
    ),
    Topic(
        "Elections",
        "Campaigns, votes and the people who count them.",
        "the coming elections",
        ("polling station", "counting centre", "election office", "town hall"),
        ("low turnout", "disinformation online", "a disputed count", "voter fatigue"),
        (
            "postal voting for citizens abroad",
            "a public register of campaign donors",
            "independent observers at every count",
            "a debate between all the candidates",
        ),
        "voters",
        "turnout",
    ),
    Topic(
        "Technology",
        "Software, networks and the start-ups building them.",
        "digital services",
        ("data centre", "start-up hub", "telephone exchange", "computer lab"),
        (
            "a wave of phishing emails",
            "a shortage of engineers",
            "patchy mobile coverage",
            "outdated public databases",
        ),
        (
            "an app for claiming compensation",
            "free coding courses for adults",
            "a register of open public data",
            "satellite internet for villages",
        ),
        "users",
        "downloads",
    ),
    Topic(
        "Trade",
        "Exports, imports and the rules between them.",
        "trade",
        ("port", "customs terminal", "container depot", "freight terminal"),
        (
            "tariffs on steel",
            "delays at customs",
            "costly shipping insurance",
            "a strong currency",
        ),
        (
            "a new shipping route",
            "simpler rules for exporters",
            "a trade mission to Asia",
            "a joint customs zone",
        ),
        "exporters",
        "exports",
    ),
    Topic(
        "Housing",
        "Homes, rents and shelter.",
        "housing",
        ("apartment block", "student hostel", "housing office", "social housing"),
        (
            "rising rents",
            "overcrowded shelters",
            "a backlog of repairs",
            "empty flats left unheated",
        ),
        (
            "rent support for displaced families",
            "a register of empty homes",
            "cheaper mortgages for teachers",
            "energy-efficient social housing",
        ),
        "tenants",
        "rents",
    ),
    Topic(
        "Education",
        "Schools, universities and learning.",
        "schools",
        ("school", "university campus", "kindergarten", "sports hall"),
        (
            "teacher shortages",
            "lessons held online",
            "a gap in maths results",
            "overcrowded classrooms",
        ),
        (
            "online tutoring for rural pupils",
            "a new history curriculum",
            "free school meals",
            "underground classrooms",
        ),
        "pupils",
        "exam results",
    ),
    Topic(
        "Health",
        "Hospitals, medicine and care.",
        "public health",
        ("hospital", "rehabilitation centre", "ambulance station", "pharmacy"),
        (
            "a shortage of nurses",
            "long waiting lists",
            "expensive medicines",
            "an early flu season",
        ),
        (
            "mobile clinics for villages",
            "free rehabilitation for veterans",
            "electronic prescriptions",
            "a mental-health helpline",
        ),
        "patients",
        "waiting times",
    ),
    Topic(
        "Books",
        "Writers, publishers and readers.",
        "publishing",
        ("bookshop", "library", "printing house", "reading room"),
        (
            "the rising price of paper",
            "closures of small bookshops",
            "too few translations",
            "cuts to library budgets",
        ),
        (
            "a prize for young translators",
            "mobile libraries for villages",
            "a festival of debut novels",
            "a fund for independent publishers",
        ),
        "readers",
        "book sales",
        ("novel", "collection of essays", "memoir", "poetry collection"),
    ),
    Topic(
        "Film",
        "Cinema, documentaries and the people behind them.",
        "cinema",
        ("cinema", "film school", "film archive", "open-air screen"),
        (
            "cuts to film funding",
            "empty cinemas",
            "high location costs",
            "low fees from streaming platforms",
        ),
        (
            "a fund for first-time directors",
            "open-air screenings",
            "a co-production treaty",
            "an archive of home movies",
        ),
        "viewers",
        "box-office takings",
        ("documentary", "feature film", "short film"),
    ),
    Topic(
        "Music",
        "Concerts, records and musicians.",
        "live music",
        ("concert hall", "jazz club", "music school", "opera house"),
        (
            "rising ticket prices",
            "musicians moving abroad",
            "noise complaints",
            "expensive touring",
        ),
        (
            "free concerts in metro stations",
            "a residency for young composers",
            "a tour of small towns",
            "a new recording studio",
        ),
        "listeners",
        "ticket sales",
        ("album", "song cycle", "symphony"),
    ),
)

UKRAINE_CITIES = (
    "Kyiv",
    "Lviv",
    "Kharkiv",
    "Odesa",
    "Dnipro",
    "Chernihiv",
    "Mykolaiv",
    "Poltava",
)
EUROPE_CITIES = (
    "Warsaw",
    "Berlin",
    "Brussels",
    "Vilnius",
    "Bucharest",
    "Chișinău",
    "Prague",
)

SECTIONS = (
    SectionSpec(
        "Ukraine",
        "ukraine",
        "Recovery, energy, politics and daily life across the country.",
        "news",
        (
            "Energy",
            "Reconstruction",
            "Agriculture",
            "Transport",
            "Housing",
            "Education",
            "Health",
        ),
        UKRAINE_CITIES,
        ("Ukraine correspondent", "Kyiv bureau chief", "Regional reporter"),
    ),
    SectionSpec(
        "Europe",
        "europe",
        "The European Union, its neighbours and the politics of the continent.",
        "news",
        ("Elections", "Trade", "Climate", "Energy", "Transport", "Technology"),
        EUROPE_CITIES,
        ("Europe editor", "Brussels correspondent", "Central Europe reporter"),
    ),
    SectionSpec(
        "World",
        "world",
        "Stories from further afield that matter to our readers.",
        "news",
        ("Climate", "Trade", "Elections", "Health", "Technology"),
        ("Tbilisi", "Istanbul", "Nairobi", "Chișinău", "Berlin"),
        ("World affairs reporter", "Foreign editor"),
    ),
    SectionSpec(
        "Business",
        "business",
        "Companies, markets, jobs and the money behind recovery.",
        "business",
        ("Trade", "Technology", "Energy", "Agriculture", "Housing"),
        (*UKRAINE_CITIES[:4], "Warsaw", "Istanbul", "Vilnius"),
        ("Business reporter", "Economics editor", "Markets reporter"),
    ),
    SectionSpec(
        "Opinion",
        "opinion",
        "Arguments and analysis from our columnists and guest writers.",
        "opinion",
        ("Energy", "Reconstruction", "Elections", "Housing", "Climate", "Health"),
        (*UKRAINE_CITIES[:3], "Brussels", "Warsaw"),
        ("Columnist", "Opinion editor", "Contributing writer"),
    ),
    SectionSpec(
        "Culture",
        "culture",
        "Books, film, music and the people who make them.",
        "culture",
        ("Books", "Film", "Music"),
        ("Kyiv", "Lviv", "Odesa", "Kharkiv", "Tbilisi", "Prague"),
        ("Culture writer", "Film critic", "Books editor"),
    ),
)

FIRST_NAMES = (
    "Olena",
    "Taras",
    "Iryna",
    "Mykola",
    "Oksana",
    "Yurii",
    "Halyna",
    "Dmytro",
    "Marta",
    "Serhii",
    "Kateryna",
    "Andrii",
    "Sofia",
    "Lukas",
    "Ines",
    "Pieter",
    "Agnieszka",
    "Tomasz",
    "Clara",
    "Mateo",
    "Amara",
    "Kenji",
    "Priya",
    "Leila",
    "Samuel",
    "Nino",
    "Emre",
    "Ruta",
)
LAST_NAMES = (
    "Melnychuk",
    "Savchenko",
    "Horbach",
    "Levchuk",
    "Demianenko",
    "Rudenko",
    "Ostapenko",
    "Lysenko",
    "Koval",
    "Sydorenko",
    "Marchetti",
    "Van der Berg",
    "Nowicka",
    "Brandt",
    "Okoye",
    "Haddad",
    "Sato",
    "Iyer",
    "Novak",
    "Beridze",
    "Kaya",
    "Jankauskas",
    "Whitfield",
    "Moreau",
)
OCCUPATIONS = (
    "teacher",
    "bus driver",
    "pharmacist",
    "baker",
    "retired engineer",
    "student",
    "nurse",
    "shop owner",
    "volunteer",
    "electrician",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")
WORK_ADJECTIVES = (
    "Salt",
    "Winter",
    "Quiet",
    "Amber",
    "Borrowed",
    "Paper",
    "Last",
    "Northern",
    "Distant",
    "Glass",
    "Silver",
    "Sleepless",
)
WORK_NOUNS = (
    "Orchard",
    "Ferry",
    "Harbour",
    "Staircase",
    "Garden",
    "Bridge",
    "Lanterns",
    "Kitchen",
    "Steppe",
    "Balcony",
    "Tram",
    "Rooftops",
)
EVENTS = (
    "summer festival",
    "book fair",
    "series of open-air concerts",
    "film week",
    "street-art biennale",
)
SETTINGS = (
    "in a railway waiting room",
    "in a communal kitchen",
    "on a river ferry",
    "on a night bus",
    "in a village school",
    "on a fourth-floor balcony",
    "in a hospital corridor",
    "at a wedding that nobody wanted",
)
EXTERNAL_PUBLISHERS = (
    ("The Harbour Review", "harbourreview.example"),
    ("Danube Dispatch", "danubedispatch.example"),
    ("Northern Ledger", "northernledger.example"),
    ("Steppe & City", "steppeandcity.example"),
    ("The Meridian Post", "meridianpost.example"),
)

# Headline, standfirst and sentence templates by writing style. Placeholders
# are filled from the story's context (see Writer._context); "a_" forms carry
# the right article ("a" or "an").
HEADLINES = {
    "news": (
        "{place} reopens its {thing} after {n} months of work",
        "{org} promises {plan} for {place}",
        "{person_last} warns of {problem} as winter approaches",
        "In {place}, residents lose patience over {problem}",
        "{place} and {place2} agree to share the cost of {plan}",
        "{org} to fund {plan} in {place}",
        "Why {place} cannot shake off {problem}",
        "{place} council votes to expand {plan}",
        "The {thing} that kept {place} running",
        "Residents of {place} wait for answers on {problem}",
        "{person}: '{slogan}'",
        "Plans for {plan} move ahead in {place}",
        "{place} counts the cost of {problem}",
        "Inside the effort to rebuild {place}'s {thing}",
        "{n} questions about {plan} in {place}",
        "A new {thing} for {place}, and a long list of doubts",
    ),
    "business": (
        "{org} reports {pct}% rise in {metric}",
        "Investors eye {place} as {subject} recovers",
        "{org} cuts its forecast, citing {problem}",
        "{org} bets on {plan}",
        "Small firms in {place} struggle with {problem}",
        "{org} and {org2} agree on a deal worth {amount}",
        "How businesses in {place} are coping with {problem}",
        "{person_last} says {org} will hire {big} people in {place}",
        "Lenders warm to {plan} as demand grows",
        "{org} opens {a_thing} in {place}",
    ),
    "opinion": (
        "{place} shows how {subject} can be done differently",
        "The quiet success of {plan}",
        "Stop treating {problem} as a temporary emergency",
        "What {place} can teach Europe about {subject}",
        "{subject_cap} needs patience, not slogans",
        "The case for {plan}",
        "Who will pay for {plan}? Everyone, eventually",
        "Small fixes, big difference: a lesson from {place}",
        "There is nothing temporary about {problem}",
    ),
    "culture": (
        "{person}'s '{work_title}' is a patient portrait of {place}",
        "Review: '{work_title}' finds humour in hard times",
        "{org} brings {subject} back to {place}",
        "{a_event} in {place} draws record crowds",
        "'{work_title}': the {work_kind} everyone in {place} is talking about",
        "{person} on memory, {subject} and starting again",
        "Why the {thing} in {place} is full again",
        "Review: '{work_title}' by {person}",
    ),
}

STANDFIRSTS = {
    "news": (
        "Officials say the {thing} will reopen within weeks. Residents have "
        "heard that before.",
        "{org} has committed {amount}. The harder part is spending it well.",
        "{plan_cap} could reach {big} {unit} by {month}, if the city can "
        "overcome {problem}.",
        "The decision follows months of pressure from residents and local councillors.",
        "{person_last} says the plan is overdue. Critics say it is underfunded.",
    ),
    "business": (
        "The results beat analysts' expectations despite {problem}.",
        "{org} says demand for {plan} is growing faster than expected.",
        "A deal worth {amount} shows investors are returning, if cautiously.",
        "Smaller firms name {problem} as the biggest obstacle to growth.",
    ),
    "opinion": (
        "The evidence from {place} is clear: small, early decisions add up.",
        "Announcements are easy. Maintenance is where policy succeeds or fails.",
        "The critics have a point about cost. The cost of doing nothing is higher.",
        "Treating {problem} as a passing crisis has cost {place} dearly.",
    ),
    "culture": (
        "{person}'s new {work_kind} is quiet, funny and hard to forget.",
        "{a_event} in {place} proves that audiences are hungry for new work.",
        "{org} is betting that {plan} will bring audiences back.",
        "It took {n} years to make. It was worth the wait.",
    ),
}

_NEWS_SENTENCES = (
    "Officials in {place} said the {thing} would reopen within {n} weeks if "
    "the weather holds.",
    "The work is being paid for by {org}, which has committed {amount} to the "
    "project so far.",
    '{person}, {role}, said the decision had been "long overdue".',
    "According to figures published by {org} in {month}, about {big} {unit} "
    "are affected.",
    "Residents say they have learned to live with {problem}, and many now plan "
    "their week around the disruption.",
    "Similar schemes in {place2} have had mixed results, with delays blamed "
    "on {problem2}.",
    "Local councillors voted {votes_for} to {votes_against} in favour of the "
    "proposal on {weekday}.",
    "Engineers began inspecting the {thing} in {month} and found more damage "
    "than expected.",
    "The next phase, which includes {plan}, is due to start in {month}.",
    "Critics argue that the money would be better spent on {plan2}.",
    '{person_last} told {pub} that the project was "only the beginning".',
    "It is the {ordinal} agreement of its kind signed in {place} this year.",
    "Shop owners near the {thing} said trade had picked up by about {pct}% "
    "since the work began.",
    "Not everyone is convinced: a petition against the plan has gathered "
    "{big} signatures.",
    "The figures could not be independently verified.",
    "{org} says it will publish a full report on {subject} before the end of the year.",
    "For many {unit} in {place}, the most pressing concern remains {problem}.",
    "Volunteers have filled many of the gaps, running {n} collection points "
    "across the city.",
    "A spokesperson for {org} declined to comment on the timetable.",
    "The plan was first proposed {n} years ago but stalled over questions about cost.",
    "Officials in {place2} are watching closely and may copy the model if it works.",
    "By the end of {month}, about {pct}% of {unit} in the district are "
    "expected to benefit.",
    "Economists estimate the total cost at {amount}, roughly {pct}% more than "
    "first planned.",
    "Questions remain about who will maintain the {thing} once the funding runs out.",
    "{person} is expected to present the results at a public meeting on {weekday}.",
    '"{quote}," said {resident}, {a_occupation} who lives nearby.',
    "{country_possessive} government has promised to review the rules on "
    "{subject} by {month}.",
    "Contractors say the biggest delays come from {problem2}, not from a "
    "lack of money.",
    "A survey of {big} residents found that most support the plan, though "
    "many doubt the timetable.",
    "The {thing} was last renovated more than {decades} decades ago.",
    "Opposition councillors have asked for an independent audit of the spending.",
    "At a public meeting on {weekday}, residents queued for more than an hour "
    "to ask questions.",
)

SENTENCES = {
    "news": _NEWS_SENTENCES,
    "business": (
        "Shares in {org} rose {pct}% in early trading after the announcement.",
        "Analysts had expected a weaker quarter, citing {problem}.",
        "The company employs about {big} people, most of them in {place}.",
        "{org} said revenue linked to {subject} rose to {amount} in the first "
        "half of the year.",
        "Investors are betting that demand for {plan} will keep growing.",
        "The deal still needs approval from competition regulators.",
        "Smaller firms say access to credit remains the main obstacle to growth.",
        '"{quote}," said {person}, {role}.',
        "{org2} is expected to announce its own results on {weekday}.",
        "The currency has been stable for {n} months, which has helped "
        "importers plan ahead.",
        "Economists at {org2} warned that {problem} could still slow the recovery.",
        "Exporters in {place2} report similar trends.",
        "The company plans to open {a_thing} in {place2} by {month}.",
        "Its debt has fallen by about {pct}% since last year.",
        *_NEWS_SENTENCES[:20],
    ),
    "opinion": (
        "It is tempting to treat {problem} as a passing crisis, but the "
        "evidence from {place} suggests otherwise.",
        "The debate about {subject} too often ignores the people it is meant to serve.",
        "Consider {plan}: cheap, unglamorous and remarkably effective where it "
        "has been tried.",
        "Nobody should pretend that this will be easy or quick.",
        "What {place} has shown is that small decisions, taken early, add up.",
        "Politicians like announcements; residents need maintenance.",
        "The critics have a point about cost, but the cost of doing nothing is higher.",
        "If {org} is serious, it should publish its figures and invite scrutiny.",
        "There is a lesson here for {place2}, and for anyone who still thinks "
        "{subject} can wait.",
        "The next {n} months will show whether the promises were worth the "
        "paper they were written on.",
        "Good policy is rarely exciting; it is mostly patient and specific.",
        "Trust, once lost, is rebuilt one repaired {thing} at a time.",
        "None of this requires genius. It requires a budget, a timetable and "
        "someone willing to be held to both.",
        "The alternative is another winter of {problem2}, and nobody wants that.",
        "Ask anyone who has waited for {a_thing} to reopen: the timetable "
        "matters more than the ribbon-cutting.",
        "{person} has argued for years that {subject} deserves a long-term "
        "budget. The argument has only grown stronger.",
        "There are, of course, objections.",
        "The first is money. The second, and more serious, is trust.",
        "Both can be answered, but only by showing the work.",
        "A modest proposal: publish every contract, every delay and every "
        "change of plan, in plain language, online.",
        "The countries that handle {subject} well are not richer; they are more "
        "consistent.",
        "In {place2}, a similar plan was abandoned after {n} years, and the "
        "cost of restarting it was far higher.",
        "Readers will have their own examples. Mine is the {thing} near my "
        "flat, closed for {n} months without a word of explanation.",
        "If that sounds unambitious, good. Ambition is cheap.",
        "The people of {place} have been patient. They deserve a plan that "
        "respects it.",
    ),
    "culture": (
        "'{work_title}', the new {work_kind} by {person}, opens {setting} in {place}.",
        "It is a quiet, patient work that rewards attention.",
        "{person_last} spent {n} years on the project, much of it in archives "
        "in {place2}.",
        "The premiere in {place} sold out within {n} hours.",
        "{org} supported the production with a grant of {small_amount}.",
        "At its best, the {work_kind} finds humour in unlikely places.",
        "Not every moment lands, and the middle section drags.",
        "The final scene, set {setting2}, is the most memorable.",
        "Audiences in {place} responded with a long standing ovation.",
        "{person_last} says the idea came from conversations with neighbours "
        "during a long winter.",
        "A touring version is planned for {place2} in {month}.",
        "It is, above all, {a_work_kind} about memory and home.",
        '"{quote}," {person_last} said in an interview after the premiere.',
        "Organisers say {problem} nearly cancelled the event this year.",
        "Admission is free for students, and a share of the proceeds goes to {plan}.",
        "The cast is small: {n} performers, most of them working together for "
        "the first time.",
        "There are echoes of the city's experimental scene of the 1960s, "
        "though the tone is warmer.",
        "Some critics found the ending too neat.",
        "The translation, by {resident}, keeps the rhythm of the original.",
        "It has already been picked up by publishers and festivals in {n} countries.",
        "{person_last} grew up in {place2} and returns to it often in the work.",
        "The design is spare: a table, two chairs and a window that never opens.",
        "Much of the humour comes from small misunderstandings between neighbours.",
        "The {thing} where it was first shown had been closed for {n} years "
        "before a volunteer group reopened it.",
        "Tickets for the autumn run go on sale in {month}.",
        "For a debut, it is remarkably assured.",
    ),
}

QUOTES = {
    "news": (
        "We learned to plan around {problem}. Now we want to plan for something "
        "better.",
        "Every {thing} we repair is a promise kept to the people who stayed.",
        "Nobody here expected {plan} to arrive so quickly.",
        "We are not asking for miracles, only for a timetable we can trust.",
        "I have never seen {place} so determined to get something done.",
        "Small things, done every day, are what keep a city alive.",
    ),
    "business": (
        "Demand is there. What we need now is patient capital.",
        "Our customers want certainty more than they want discounts.",
        "The numbers are good, but we still worry about {problem}.",
    ),
    "opinion": (
        "If {subject} fails, everything else fails with it.",
        "The money is only half the story. The other half is people who know "
        "how to spend it.",
    ),
    "culture": (
        "I wanted to write about ordinary days, because they are the ones we forget.",
        "Art does not fix a roof, but it reminds you why the roof matters.",
        "The audience finished the story for me. That is how it should be.",
    ),
}

HEADINGS = (
    "What happens next",
    "The cost",
    "A longer view",
    "Voices from {place}",
    "How it works",
    "The numbers",
    "Lessons from {place2}",
    "Who pays",
    "Behind the scenes",
)

CAPTIONS = (
    "The hills outside {place}, where work on the {thing} began in {month}.",
    "A view towards {place}. {org} says {plan} will reach the district next year.",
    "{place} at the end of the day. Many {unit} in the city still face {problem}.",
    "The landscape near {place}, seen from the road to {place2}.",
    "Open country on the edge of {place}, where a new {thing} is planned.",
)

# News Feed posts: a headline and the sentences its body is drawn from.
FEED_POSTS = (
    (
        "Power restored to most of {place}",
        (
            "{org} said supply had returned to about {pct_high}% of {unit} by the "
            "morning.",
            "Engineers are still working on the last damaged lines in the suburbs.",
            "Residents are asked to report outages through the city's hotline.",
        ),
    ),
    (
        "{org} confirms repairs to the {thing} are complete",
        (
            "The {thing} reopens to the public on {weekday}.",
            "The work took {n} weeks and cost about {amount}.",
            "Officials said the work was finished ahead of schedule.",
        ),
    ),
    (
        "{person} to visit {place} on {weekday}",
        (
            "{person_last}, {role}, is expected to meet local officials and residents.",
            "The visit will focus on {subject}.",
            "A press conference is planned for the afternoon.",
        ),
    ),
    (
        "Trains between {place} and {place2} running on time again",
        (
            "The railway said delays caused by {problem} had been cleared.",
            "Extra carriages will be added at the weekend.",
            "Passengers with cancelled tickets can claim a refund online.",
        ),
    ),
    (
        "{org} publishes its annual report",
        (
            "The report covers spending on {subject} in {place} and {place2}.",
            "It says about {big} {unit} benefited from its work last year.",
            "The full document is available on the organisation's website.",
        ),
    ),
    (
        "Rain expected across {place} this evening",
        (
            "Forecasters expect heavy showers from about 6pm.",
            "Drivers are advised to take care on the ring road.",
            "Temperatures will fall to around {temperature}°C overnight.",
        ),
    ),
    (
        "Tickets on sale for the {event} in {place}",
        (
            "The programme includes {n} events over {days} days.",
            "Students and pensioners get half-price entry.",
            "Last year's edition drew about {big} visitors.",
        ),
    ),
    (
        "{place} council approves budget for {plan}",
        (
            "Councillors voted {votes_for} to {votes_against} in favour.",
            "The first contracts are expected to be signed in {month}.",
            "Opposition members called the plan rushed.",
        ),
    ),
    (
        "Talks on {subject} to resume on {weekday}",
        (
            "Negotiators from {place} and {place2} will meet in {place2}.",
            "The last round ended without agreement.",
            '{person_last} said the talks were "worth another try".',
        ),
    ),
    (
        "New figures: {metric} up {pct}% in {place}",
        (
            "The figures were published by {org} this morning.",
            "It is the {ordinal} monthly rise in a row.",
            "Analysts say {problem} could slow the trend.",
        ),
    ),
    (
        "{place} opens applications for {plan}",
        (
            "Applications close at the end of {month}.",
            "About {big} {unit} are expected to apply.",
            "Details are on the city council's website.",
        ),
    ),
    (
        "Road closures in central {place} this weekend",
        (
            "Several streets near the {thing} will be closed from Saturday morning.",
            "Buses will follow temporary routes.",
            "The council said the closures were needed for repair work.",
        ),
    ),
    (
        "{person_last} responds to criticism over {problem}",
        (
            "{person}, {role}, said the figures were being misread.",
            "Critics say the response has been too slow.",
            '"{quote}," {person_last} told reporters.',
        ),
    ),
    (
        "The {thing} in {place} closes early today",
        (
            "It will close at 3pm for maintenance work.",
            "Normal opening hours resume tomorrow.",
        ),
    ),
    (
        "{org} appoints a new chief executive",
        (
            "The appointment takes effect in {month}.",
            "The previous head stepped down after {n} years.",
            "The board said the choice was unanimous.",
        ),
    ),
    (
        "Volunteers in {place} collect {big} signatures for {plan}",
        (
            "The petition will be handed to the council on {weekday}.",
            "Organisers say support has grown quickly online.",
        ),
    ),
    (
        "Strike called off at {org}",
        (
            "Staff accepted a pay offer of {pct}%.",
            "Services return to normal tomorrow.",
        ),
    ),
)

FEED_CLOSERS = (
    "Further updates are expected later today.",
    "{pub} will follow the story as it develops.",
)

FEED_LINKED_BODIES = (
    "More in our full story.",
    "Read the full report.",
    "Our reporter has the details.",
)

BIO_SENTENCES = (
    "{first} has reported on {subject} for more than {n} years and previously "
    "worked for regional newspapers in {city2}.",
    "Before joining {pub} in {year}, {first} was a radio producer and edited a "
    "student newspaper.",
    "{first} writes mostly about {subject} and {subject2}.",
    "{first} grew up in {city2} and studied {study} at university.",
    "{first} is the author of a short book about {subject}.",
)
# Job titles starting with these keep their capital inside a sentence.
PROPER_WORDS = {"Ukraine", "Kyiv", "Europe", "Brussels", "Central"}
STUDIES = ("history", "economics", "journalism", "law", "engineering", "philosophy")


def with_article(noun: str) -> str:
    """``noun`` with "a" or "an" in front (by spelling, good enough here)."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


class _Context(dict[str, Any]):
    """Template values; a missing key names itself so a typo is visible."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# A sentence's first letter, after the start or a full stop, "!" or "?".
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def fill(template: str, context: dict[str, Any]) -> str:
    """Fill ``template`` from ``context``; every sentence starts with a capital.

    A value may open a sentence in the middle of a template ("… towards
    {place}. {org} says …", where ``org`` is "the Council of …").
    """
    text = string.Formatter().vformat(template, (), _Context(context))
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def slug_like(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (for handles and URLs)."""
    cleaned = "".join(c if c.isalnum() and c.isascii() else " " for c in text.lower())
    return "-".join(cleaned.split())


class Writer:
    """Writes the demo's words from one seeded random generator.

    Args:
        seed: the same seed always gives the same words.
    """

    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self._headlines: set[str] = set()
        self._names: set[str] = {person.name for person in PEOPLE}

    def pick[T](self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def person_name(self) -> str:
        """A new invented name, never one already used by this writer."""
        for _ in range(200):
            name = f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("The name banks are exhausted.")

    def passer_by(self) -> str:
        """A name for someone quoted once; repeats are harmless."""
        return f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"

    def work_title(self) -> str:
        adjective, noun = self.pick(WORK_ADJECTIVES), self.pick(WORK_NOUNS)
        pattern = self.pick(
            ("The {a} {n}", "{a} {n}", "Letters from the {n}", "A {n} in {a} Light")
        )
        return pattern.format(a=adjective, n=noun)

    def _context(
        self,
        *,
        topic: Topic,
        place: Entity,
        place2: Entity,
        person: Entity,
        org: Entity,
        org2: Entity,
    ) -> dict[str, Any]:
        rng = self.rng
        plans = rng.sample(topic.plans, 2)
        problems = rng.sample(topic.problems, 2)
        settings = rng.sample(SETTINGS, 2)
        thing = self.pick(topic.things)
        work_kind = self.pick(topic.work_kinds)
        event = self.pick(EVENTS)
        occupation = self.pick(OCCUPATIONS)
        votes_for = rng.randint(18, 40)
        return {
            "pub": PUBLICATION_NAME,
            "place": place.name,
            "place2": place2.name,
            "country_possessive": f"{place.country}'s" if place.country else "The",
            "person": person.name,
            "person_last": person.name.split()[-1],
            "role": person.role or "a local official",
            "org": org.in_text,
            "org2": org2.in_text,
            "subject": topic.subject,
            "subject_cap": capfirst(topic.subject),
            "thing": thing,
            "a_thing": with_article(thing),
            "things": topic.things,
            "problem": problems[0],
            "problem2": problems[1],
            "plan": plans[0],
            "plan_cap": capfirst(plans[0]),
            "plan2": plans[1],
            "unit": topic.unit,
            "metric": topic.metric,
            "n": rng.randint(2, 12),
            "decades": self.pick(("two", "three", "four", "five")),
            "days": rng.randint(2, 5),
            "temperature": rng.randint(-6, 18),
            "pct": rng.randint(3, 38),
            "pct_high": rng.randint(70, 98),
            "big": f"{rng.randint(2, 95) * 100:,}",
            "amount": f"€{rng.randint(3, 480)} million",
            "small_amount": f"€{rng.randint(20, 400) * 1000:,}",
            "month": self.pick(MONTHS),
            "weekday": self.pick(WEEKDAYS),
            "ordinal": self.pick(ORDINALS),
            "votes_for": votes_for,
            "votes_against": rng.randint(3, votes_for - 1),
            "resident": self.passer_by(),
            "a_occupation": with_article(occupation),
            "work_kind": work_kind,
            "a_work_kind": with_article(work_kind),
            "work_title": self.work_title(),
            "event": event,
            "a_event": with_article(event),
            "setting": settings[0],
            "setting2": settings[1],
            "slogan": "",
            "quote": "",
        }

    def _quote_text(self, kind: str, context: dict[str, Any]) -> str:
        return fill(self.pick(QUOTES[kind]), context).rstrip(".")

    def _paragraphs(self, kind: str, wanted: int, context: dict[str, Any]) -> list[str]:
        """Up to ``wanted`` paragraphs of two to four sentences, none repeated.

        A paragraph is dropped rather than repeat a sentence, so a small bank
        gives a shorter story.
        """
        bank = list(SENTENCES[kind])
        self.rng.shuffle(bank)
        paragraphs = []
        for _ in range(wanted):
            size = min(self.rng.randint(2, 4), len(bank))
            if size < 2:
                break
            chosen, bank = bank[:size], bank[size:]
            sentences = []
            for template in chosen:
                context["quote"] = self._quote_text(kind, context)
                sentences.append(fill(template, context))
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def article(
        self,
        kind: str,
        *,
        topic: Topic,
        place: Entity,
        place2: Entity,
        person: Entity,
        org: Entity,
        org2: Entity,
        paragraphs: int,
    ) -> ArticleText:
        """Write one article in the section's style about the given things."""
        context = self._context(
            topic=topic, place=place, place2=place2, person=person, org=org, org2=org2
        )
        context["slogan"] = self._quote_text(kind, context)
        headline = self._unique(HEADLINES[kind], context)
        standfirst = fill(self.pick(STANDFIRSTS[kind]), context)
        body = self._paragraphs(kind, paragraphs, context)
        headings = [fill(h, context) for h in self.rng.sample(HEADINGS, 2)]
        quote_text = fill(self.pick(QUOTES[kind]), context)
        if self.rng.random() < 0.6:
            attribution = f"{person.name}, {person.role}"
        else:
            occupation = with_article(self.pick(OCCUPATIONS))
            attribution = f"{self.passer_by()}, {occupation} in {place.name}"
        return ArticleText(
            headline=headline,
            standfirst=standfirst,
            caption=fill(self.pick(CAPTIONS), context),
            paragraphs=body,
            headings=headings,
            quote=(quote_text, attribution),
        )

    def _unique(self, templates: Sequence[str], context: dict[str, Any]) -> str:
        """A headline not used before by this writer."""
        for _ in range(40):
            context["template"] = self.pick(templates)
            headline = fill(context["template"], context)
            if headline not in self._headlines:
                break
            context["n"] = self.rng.randint(2, 12)
            context["pct"] = self.rng.randint(3, 38)
            context["thing"] = self.pick(context["things"])
            context["weekday"] = self.pick(WEEKDAYS)
        else:
            headline = f"{headline} ({context['month']} {self.rng.randint(1, 28)})"
        self._headlines.add(headline)
        return headline

    def feed_item(
        self,
        *,
        topic: Topic,
        place: Entity,
        place2: Entity,
        person: Entity,
        org: Entity,
        org2: Entity,
    ) -> tuple[str, list[str]]:
        """A short News Feed post: a unique headline and one or two paragraphs."""
        context = self._context(
            topic=topic, place=place, place2=place2, person=person, org=org, org2=org2
        )
        context["quote"] = self._quote_text("news", context)
        templates, bodies = zip(*FEED_POSTS, strict=True)
        headline = self._unique(templates, context)
        sentences = bodies[templates.index(context["template"])]
        chosen = [fill(t, context) for t in sentences[: self.rng.randint(1, 3)]]
        if self.rng.random() < 0.3:
            chosen.append(fill(self.pick(FEED_CLOSERS), context))
        if len(chosen) > 2 and self.rng.random() < 0.5:
            return headline, [" ".join(chosen[:2]), " ".join(chosen[2:])]
        return headline, [" ".join(chosen)]

    def linked_feed_body(self, standfirst: str) -> list[str]:
        """The post announcing a full story: its standfirst and a pointer."""
        return [f"{standfirst} {self.pick(FEED_LINKED_BODIES)}"]

    def author(self, job_title: str, city: str, topics: list[Topic]) -> AuthorText:
        """An invented journalist with a two- or three-sentence bio."""
        name = self.person_name()
        first = name.split()[0]
        subjects = self.rng.sample(topics, 2) if len(topics) > 1 else topics * 2
        context = {
            "pub": PUBLICATION_NAME,
            "first": first,
            "subject": subjects[0].subject,
            "subject2": subjects[1].subject,
            "n": self.rng.randint(4, 20),
            "year": self.rng.randint(2012, 2024),
            "city2": self.pick(UKRAINE_CITIES + EUROPE_CITIES),
            "study": self.pick(STUDIES),
        }
        job = job_title if job_title.split()[0] in PROPER_WORDS else job_title.lower()
        sentences = [f"{name} is {PUBLICATION_NAME}'s {job} in {city}."]
        sentences += [
            fill(template, context)
            for template in self.rng.sample(BIO_SENTENCES, self.rng.randint(1, 2))
        ]
        handle = slug_like(name)
        links = [("Bluesky", f"https://bsky.app/profile/{handle}.{NEWSROOM_DOMAIN}")]
        if self.rng.random() < 0.6:
            links.append(("Mastodon", f"https://mastodon.example/@{handle}"))
        return AuthorText(
            name=name, job_title=job_title, bio=" ".join(sentences), social_links=links
        )

    def external_card(self, topic: Topic, place: Entity) -> dict[str, str]:
        """A related story on another (invented, ``.example``) publication."""
        publisher, domain = self.pick(EXTERNAL_PUBLISHERS)
        context = self._context(
            topic=topic,
            place=place,
            place2=place,
            person=self.pick(PEOPLE),
            org=self.pick(ORGANISATIONS),
            org2=self.pick(ORGANISATIONS),
        )
        title = fill(self.pick(HEADLINES["news"]), context)
        return {
            "url": f"https://{domain}/{self.rng.randint(2024, 2026)}/"
            f"{self.rng.randint(1, 12):02d}/{slug_like(title)[:60].strip('-')}/",
            "title": title,
            "description": fill(self.pick(STANDFIRSTS["news"]), context),
            "publisher": publisher,
            "author": self.passer_by(),
        }
