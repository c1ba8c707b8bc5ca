"""Write data/demo-book.json: a realistic, deterministic book of business for `rmtui demo`.

Run `python data/make_demo_book.py` (optionally `--anchor YYYY-MM-DD`). The same anchor always
gives the same file. Every date is relative to the anchor, the day the book is "today" for;
`rmtui.core.demo` shifts the book to the real today when it opens it.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ANCHOR = date(2026, 11, 29)
SEED = 20261129
YEARS_OF_HISTORY = 2
OUTPUT = Path(__file__).with_name("demo-book.json")
ENTITIES = (
    "clients",
    "interactions",
    "follow_ups",
    "opportunities",
    "revenue",
    "holdings",
    "financial_goals",
    "surveys",
    "cases",
    "targets",
    "contact_persons",
    "households",
)
CADENCE = {"A": 30, "B": 90, "C": 180}
# Mean days between two contacts, per tier (prospects and leads are courted more often).
CONTACT_GAP = {"A": 14, "B": 26, "C": 50, "prospect": 18, "lead": 21}
CENT = Decimal("0.01")

# --- The clients -------------------------------------------------------------------------
# (name, kind, country, city, status, tier, tags, extras)
CLIENTS: list[tuple[str, str, str, str, str, str, list[str], dict[str, Any]]] = [
    ("Sanne de Vries", "person", "NL", "Amsterdam", "client", "A", ["vip", "pension"],
     {"company": "Amstel Museum", "notes": "Married to Bas; two children (Emma 17, Daan 14). "
      "Prefers calls before 10:00."}),
    ("Pieter van den Berg", "person", "NL", "Utrecht", "client", "A", ["vip", "golf"],
     {"notes": "Sold his IT company in 2019. Plays golf on Friday mornings."}),
    ("Marloes Bakker", "person", "NL", "Haarlem", "client", "B", ["pension"],
     {"company": "Kennemer Ziekenhuis",
      "notes": "Surgeon; wants to work four days a week from 55."}),
    ("Joost Visser", "person", "NL", "Rotterdam", "client", "B", ["entrepreneur"],
     {"notes": "Owns two bike shops; keeps private and business money strictly apart."}),
    ("Femke Jansen", "person", "NL", "Amersfoort", "client", "C", [], {}),
    ("Ruben Smit", "person", "NL", "Eindhoven", "client", "B", ["mortgage"],
     {"company": "Brainport Photonics",
      "notes": "Fixed-rate period of the mortgage ends in 2027."}),
    ("Lotte Mulder", "person", "NL", "Den Haag", "client", "C", [],
     {"company": "Gemeente Den Haag"}),
    ("Willem Hendriks", "person", "NL", "Breda", "client", "A", ["family-office", "succession"],
     {"notes": "Patriarch of the Hendriks family; the children join the annual review."}),
    ("Anouk Dekker", "person", "NL", "Amsterdam", "prospect", "B", [],
     {"notes": "Inheritance expected next year; comparing three banks."}),
    ("Thijs Meijer", "person", "NL", "Groningen", "lead", "C", [], {}),
    ("Eva Bos", "person", "NL", "Leiden", "client", "C", ["expat"],
     {"notes": "Moved back from Singapore in 2023."}),
    ("Hendrik-Jan Vos", "person", "NL", "Zwolle", "former", "B", [],
     {"notes": "Moved his portfolio to a robo-advisor."}),
    ("Pieter Janssens", "person", "BE", "Antwerpen", "client", "A", ["golf", "vip"],
     {"notes": "Diamond trader; travels to Dubai every quarter."}),
    ("Elise Peeters", "person", "BE", "Gent", "client", "B", ["pension"],
     {"company": "UGent"}),
    ("Lucas Maes", "person", "BE", "Leuven", "client", "C", [], {}),
    ("Charlotte Claes", "person", "BE", "Brussel", "client", "A", ["philanthropy", "vip"],
     {"notes": "Chairs a foundation for children's hospitals; interested in donor-advised funds."}),
    ("Thomas Wouters", "person", "BE", "Brugge", "prospect", "B", [], {}),
    ("An De Smet", "person", "BE", "Mechelen", "client", "B", [], {"company": "Mechelen Telecom"}),
    ("Koen Goossens", "person", "BE", "Hasselt", "former", "C", [], {}),
    ("Charlotte Whitfield", "person", "GB", "London", "client", "A", ["vip", "family-office"],
     {"notes": "Family office of the Whitfield estate; speaks with the CIO, Mr Patel, monthly."}),
    ("James Harrington", "person", "GB", "London", "client", "A", ["golf"],
     {"company": "Harrington & Co Solicitors"}),
    ("Olivia Bennett", "person", "GB", "Bristol", "client", "B", ["pension"], {}),
    ("Oliver Hughes", "person", "GB", "Manchester", "client", "C", [], {}),
    ("Amelia Clarke", "person", "GB", "Edinburgh", "client", "B", ["esg"],
     {"notes": "Only sustainable investments; excludes fossil fuels and tobacco."}),
    ("Harry Foster", "person", "GB", "Leeds", "lead", "C", [], {}),
    ("Emily Chapman", "person", "GB", "Cambridge", "prospect", "B", [],
     {"company": "Cambridge Life Sciences"}),
    ("George Ashworth", "person", "GB", "Oxford", "former", "A", ["golf"],
     {"notes": "Relationship ended after the complaint about the 2025 fee change."}),
    ("Matthias Becker", "person", "DE", "Düsseldorf", "client", "A", ["vip", "golf"],
     {"notes": "Former CFO; sits on two supervisory boards."}),
    ("Katharina Schneider", "person", "DE", "München", "client", "B", ["pension"], {}),
    ("Felix Wagner", "person", "DE", "Hamburg", "client", "C", [], {}),
    ("Laura Hoffmann", "person", "DE", "Köln", "client", "B", ["esg"], {}),
    ("Jonas Richter", "person", "DE", "Frankfurt am Main", "prospect", "A", [],
     {"notes": "Partner at a private equity firm; carried interest pay-out expected."}),
    ("Sophie Keller", "person", "DE", "Aachen", "client", "C", ["expat"], {}),
    ("Maximilian Braun", "person", "DE", "Berlin", "lead", "B", [], {}),
    ("Anna Zimmermann", "person", "DE", "Stuttgart", "former", "B", [], {}),
    ("Lena Krüger", "person", "DE", "Hamburg", "client", "C", [], {}),
    ("Van Dijk Installatietechniek", "business", "NL", "Amersfoort", "client", "B",
     ["entrepreneur"], {"contact": "Ronald van Dijk", "legal": "B.V."}),
    ("Bakkerij Peeters", "business", "BE", "Gent", "client", "C", [],
     {"contact": "Jan Peeters", "legal": "BV"}),
    ("Harrow & Finch Architects", "business", "GB", "London", "client", "B", [],
     {"contact": "Sarah Finch", "legal": "Ltd"}),
    ("Keller Maschinenbau", "business", "DE", "Aachen", "client", "A", ["succession"],
     {"contact": "Dieter Keller", "legal": "GmbH",
      "notes": "Dieter Keller (64) wants to hand over to his daughter Sophie by 2029."}),
    ("De Groene Kas", "business", "NL", "Naaldwijk", "client", "B", ["esg"],
     {"contact": "Marieke Westerveld", "legal": "B.V."}),
    ("Brasserie Het Anker", "business", "BE", "Antwerpen", "client", "C", [],
     {"contact": "Tom Verbruggen", "legal": "BV"}),
    ("Northbridge Dental Practice", "business", "GB", "Manchester", "client", "B", [],
     {"contact": "Dr Priya Shah", "legal": "Ltd"}),
    ("Weber & Söhne Weinhandel", "business", "DE", "Köln", "client", "C", [],
     {"contact": "Klaus Weber", "legal": "KG"}),
    ("Studio Noord Design", "business", "NL", "Amsterdam", "prospect", "C", [],
     {"contact": "Iris Noordhoek", "legal": "V.O.F."}),
    ("Lemaire Transport", "business", "BE", "Liège", "lead", "B", [],
     {"contact": "Marc Lemaire", "legal": "SRL"}),
    ("Caledonian Craft Gin", "business", "GB", "Edinburgh", "client", "B", [],
     {"contact": "Ewan MacLeod", "legal": "Ltd"}),
    ("Schmidt Physiotherapie", "business", "DE", "München", "former", "C", [],
     {"contact": "Petra Schmidt", "legal": "GbR"}),
    ("Hollander Yachts", "business", "NL", "Lemmer", "client", "A", ["vip", "sailing"],
     {"contact": "Bram Hollander", "legal": "B.V."}),
    ("Vermeulen Accountants", "business", "BE", "Leuven", "client", "B", ["introducer"],
     {"contact": "Griet Vermeulen", "legal": "BV",
      "notes": "Accountancy firm; introduces SME clients to us."}),
    ("Nordhaven Logistics", "corporate", "NL", "Rotterdam", "client", "A", [],
     {"contact": "Erik Brouwer (CFO)", "legal": "N.V."}),
    ("Rheinland Chemie", "corporate", "DE", "Leverkusen", "client", "A", ["esg"],
     {"contact": "Dr. Julia Neumann (Treasurer)", "legal": "AG"}),
    ("Brightwater Foods", "corporate", "GB", "Leeds", "client", "A", [],
     {"contact": "Mark Ellison (Group Treasurer)", "legal": "plc"}),
    ("Scheldt Port Services", "corporate", "BE", "Antwerpen", "client", "B", [],
     {"contact": "Sofie Van Acker (CFO)", "legal": "NV"}),
    ("Van Leeuwen Retail Groep", "corporate", "NL", "Utrecht", "client", "B", [],
     {"contact": "Paul van Leeuwen (CEO)", "legal": "B.V."}),
    ("Hanseatic Shipping", "corporate", "DE", "Hamburg", "prospect", "A", [],
     {"contact": "Henrik Lorenzen (CFO)", "legal": "GmbH"}),
    ("Albion Medical Devices", "corporate", "GB", "Cambridge", "lead", "A", [],
     {"contact": "Rachel Osei (Finance Director)", "legal": "Ltd"}),
    ("Flanders Agri Holding", "corporate", "BE", "Kortrijk", "client", "B", [],
     {"contact": "Bart Desmet (CFO)", "legal": "NV"}),
    ("Delta Energy Partners", "corporate", "NL", "Den Haag", "former", "B", [],
     {"contact": "Yvonne Kramer (Treasurer)", "legal": "B.V."}),
    ("Meridian Hotels Group", "corporate", "GB", "London", "client", "B", [],
     {"contact": "Daniel Price (CFO)", "legal": "plc"}),
]  # fmt: skip
COUNTRIES = {"NL": "Netherlands", "BE": "Belgium", "GB": "United Kingdom", "DE": "Germany"}
# (client number, referred by client number): three referral chains and an introducer.
REFERRALS = [
    (8, 2), (49, 8), (9, 49),
    (16, 13), (18, 16),
    (21, 20), (26, 21),
    (40, 28), (32, 40),
    (38, 50), (42, 50), (15, 50),
]  # fmt: skip
ARCHIVED = {12, 27, 48, 10}  # two former clients, a former business, a lead gone cold
# Clients that have gone too long without contact: (client number, days beyond cadence).
OVERDUE_CHECKINS = {1: 6, 3: 0, 14: 21, 22: 0, 29: 40, 43: 12, 30: 9, 54: 3}
# Clients that became clients during the two years shown: (number, days before the anchor).
NEW_CLIENTS = {5: 610, 11: 480, 23: 400, 33: 300, 36: 200, 41: 150, 47: 75, 58: 40, 60: 12}
# Clients lost during the two years shown: (number, days before the anchor).
LOST_CLIENTS = {12: 530, 19: 420, 27: 300, 35: 190, 48: 120, 59: 50}
# Interactions logged as the client's periodic review.
REVIEW_SUBJECTS = {"Annual review", "Annual credit review", "Family review: your part of the plan"}
# Probabilities (%) set by hand on some open deals, instead of their stage's.
PROBABILITY_HINTS = (15, 35, 60, 85, 90)
# The Dutch public holidays around the anchor that a business-day clock skips.
DUTCH_HOLIDAYS = {date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}

# Open cases: (days since opened, is a complaint); requests are due in 7 days, complaints in 14.
OPEN_CASES = [(6, False), (5, False), (10, False), (20, True), (4, True), (1, False)]
DAYS_TO_RESOLVE = {False: 7, True: 14}
# Days before the anchor on which recent deals were won or lost.
RECENT_CLOSINGS = [6, 13, 24, 38, 51]
RISK_PROFILES = [
    "defensive",
    "moderately defensive",
    "neutral",
    "moderately offensive",
    "offensive",
]
SOURCES = ["existing relationship", "website", "seminar", "branch", "LinkedIn", "event"]

# --- What the conversations are about -----------------------------------------------------
# (audience, kinds, subject, notes); audience "person", "business" or "any".
TOPICS: list[tuple[str, str, str, str]] = [
    ("any", "call", "Check-in call", "Quick check-in. {mood}"),
    ("any", "call video", "Call about market volatility",
     "Worried after the recent drop in the markets; went through the long-term plan and the "
     "cash buffer. Agreed to stay the course. {mood}"),
    ("person", "call email", "Question about the fee statement",
     "Walked through the quarterly fee statement line by line; no errors found."),
    ("person", "call meeting video", "Pension top-up before year end",
     "Discussed an extra pension contribution this year; tax advantage roughly {amount}. "
     "Will send a projection."),
    ("person", "call meeting", "Mortgage rate reset",
     "Fixed-rate period ends next year. Compared 10 and 20 year fixed rates; leaning to 10."),
    ("any", "call email", "Transfer has not arrived",
     "Transfer was held for a compliance check; released the same day. Client informed."),
    ("any", "call email video", "Follow-up on proposal",
     "Read the proposal; questions about costs and liquidity. Agreed to discuss them in a "
     "meeting."),
    ("person", "meeting video", "Annual review",
     "Annual review of goals, risk profile and portfolio. Return year to date {pct}%. "
     "Risk profile unchanged. {mood}"),
    ("any", "meeting video", "Quarterly portfolio review",
     "Quarterly review: portfolio {pct}% year to date, slightly ahead of the benchmark. "
     "Rebalanced equities back to target."),
    ("person", "meeting", "Financial planning session",
     "Cash-flow plan until retirement; gap of about {amount} a year from 62. Options: extra "
     "savings, later retirement, or selling the holiday home."),
    ("person", "meeting video", "Estate planning with the notary",
     "Joint session with the notary about the will and gifts to the children."),
    ("any", "email", "Sent quarterly report", "Quarterly report sent with a short market letter."),
    ("any", "email", "Sent proposal", "Proposal sent with the fee schedule and the mandate terms."),
    ("any", "email", "KYC documents", "Asked for a copy of ID and proof of address for the "
     "periodic KYC review."),
    ("any", "email", "Invitation to client event",
     "Invited to the client evening on the economic outlook."),
    ("person", "email", "Annual tax statement", "Annual tax statement sent."),
    ("any", "message", "Appointment confirmed", "Confirmed the appointment for next week."),
    ("any", "message", "Moved the meeting", "Meeting moved to Thursday at 14:00 at the client's "
     "request."),
    ("person", "message", "Birthday wishes", "Sent birthday wishes."),
    ("business", "call", "Cash-flow planning", "Cash-flow forecast for the next quarter; "
     "seasonal dip expected. Credit line usage should stay below 60%."),
    ("business", "call meeting", "Credit line usage", "Usage of the credit line above 80% for two "
     "months. Discussed a temporary increase against the receivables."),
    ("business", "call video", "FX exposure in USD", "USD receivables of about {amount}; "
     "discussed hedging half with forwards."),
    ("business", "meeting visit", "Visit at the company", "Tour of the new production hall. "
     "Investment plan of {amount} for next year; financing needed."),
    ("business", "meeting video", "Annual credit review", "Annual review of the facilities. "
     "Last year's figures solid; covenants met with room to spare."),
    ("business", "video meeting", "Succession planning", "Owner wants to hand over within five "
     "years. Introduced our corporate finance colleagues."),
    ("business", "call email", "Payment terms with a large customer",
     "Large customer moved to 90-day payment terms; looked at invoice financing."),
    ("business", "email", "Sent term sheet", "Term sheet for the facility sent; valid 30 days."),
    ("business", "visit", "Site visit", "Visited the new warehouse with the CFO."),
    ("person", "visit", "Home visit", "Visit at home with both partners; went through the "
     "documents for the new mandate."),
]  # fmt: skip
NOTE_TOPICS = [
    ("Note: life event", "Daughter is getting married in the spring; may want to make a gift."),
    ("Note: internal", "Credit committee approved the limit increase."),
    ("Note: KYC", "Periodic KYC review completed; risk classification unchanged."),
    ("Note: complaint risk", "Client sounded annoyed about the waiting time at the call centre."),
    ("Note: cross-sell", "Mentioned a pension gap; good moment for a planning session."),
    ("Note: from colleague", "Colleague from corporate finance met the CFO at an event."),
    ("Note: preference", "Prefers e-mail over calls during working hours."),
]
MOODS = [
    "Client in good spirits.",
    "Satisfied with the service.",
    "Somewhat worried about inflation.",
    "Asked about the new mobile app.",
    "Very positive about last quarter.",
    "Mentioned a friend who might need advice.",
    "",
]
FOLLOW_UP_TITLES = {
    "person": [
        "Send pension projection",
        "Schedule annual review",
        "Send proposal for a discretionary mandate",
        "Call back about the mortgage offer",
        "Chase signed KYC documents",
        "Send the estate planning summary",
        "Check the transfer has arrived",
        "Prepare the quarterly report",
    ],
    "business": [
        "Send term sheet for the credit line",
        "Ask for the annual accounts",
        "Prepare the annual credit review",
        "Check the covenant figures",
        "Introduce corporate finance colleague",
        "Send FX hedging proposal",
        "Follow up on the invoice financing question",
    ],
}
# What usually comes out of a conversation, by its subject.
NEXT_STEPS = {
    "Pension top-up before year end": "Send pension projection",
    "Mortgage rate reset": "Send the mortgage rate offer",
    "Follow-up on proposal": "Schedule a meeting about the proposal",
    "Annual review": "Send the annual review report",
    "Quarterly portfolio review": "Send the rebalancing confirmation",
    "Financial planning session": "Send the cash-flow plan",
    "Estate planning with the notary": "Send the estate planning summary",
    "KYC documents": "Chase signed KYC documents",
    "Sent proposal": "Call about the proposal",
    "Transfer has not arrived": "Check the transfer has arrived",
    "Call about market volatility": "Send the market update",
    "Question about the fee statement": "Send a copy of the fee schedule",
    "Cash-flow planning": "Check the credit line usage",
    "Credit line usage": "Send proposal for a temporary limit increase",
    "FX exposure in USD": "Send FX hedging proposal",
    "Visit at the company": "Prepare financing for the investment plan",
    "Annual credit review": "Write the annual credit review memo",
    "Succession planning": "Introduce corporate finance colleague",
    "Payment terms with a large customer": "Send invoice financing proposal",
    "Sent term sheet": "Chase the signed term sheet",
}
OWN_TASKS = [
    "Prepare the pipeline review with the team lead",
    "Complete the annual compliance training",
    "Update the client event guest list",
    "Review the list of clients without a risk profile",
]
PRODUCTS = {
    "person": [
        ("Discretionary mandate", 250_000, 2_500_000),
        ("Advisory portfolio", 100_000, 800_000),
        ("Pension plan", 20_000, 150_000),
        ("Mortgage", 250_000, 900_000),
        ("Life insurance", 50_000, 400_000),
        ("Estate planning", 5_000, 25_000),
    ],
    "business": [
        ("Business loan", 100_000, 1_500_000),
        ("Credit line", 50_000, 750_000),
        ("Lease financing", 40_000, 400_000),
        ("Business savings", 100_000, 1_000_000),
        ("Pension scheme for staff", 30_000, 300_000),
    ],
    "corporate": [
        ("Revolving credit facility", 5_000_000, 40_000_000),
        ("Cash management", 500_000, 5_000_000),
        ("FX hedging programme", 1_000_000, 10_000_000),
        ("Trade finance", 2_000_000, 15_000_000),
        ("Money market fund", 2_000_000, 20_000_000),
    ],
}
LOST_REASONS = [
    "Competitor offered lower fees",
    "Client keeps the money with the current bank",
    "Postponed until the sale of the company",
    "Risk appetite did not match the product",
    "Credit committee declined",
    "Pricing of the facility too high",
    "Chose a robo-advisor",
]
GOALS = [
    ("Retirement at {age}", 600_000, 2_500_000, 12),
    ("University fund for the children", 60_000, 140_000, 6),
    ("Holiday home", 250_000, 600_000, 5),
    ("Pay off the mortgage", 150_000, 450_000, 9),
    ("Emergency reserve", 20_000, 60_000, 1),
    ("Sabbatical year", 60_000, 120_000, 3),
    ("Gift to the grandchildren", 50_000, 200_000, 4),
]
ACCOUNTS = {
    "person": {
        "A": [
            ("Discretionary portfolio", 900_000, 4_000_000),
            ("Savings account", 50_000, 250_000),
        ],
        "B": [("Advisory portfolio", 150_000, 700_000), ("Pension account", 40_000, 300_000)],
        "C": [("Savings account", 10_000, 90_000)],
    },
    "business": {
        "A": [
            ("Business current account", 300_000, 1_500_000),
            ("Treasury deposit", 1_000_000, 3_000_000),
        ],
        "B": [
            ("Business current account", 80_000, 400_000),
            ("Business savings", 100_000, 600_000),
        ],
        "C": [("Business current account", 20_000, 120_000)],
    },
    "corporate": {
        "A": [
            ("Treasury deposits", 8_000_000, 30_000_000),
            ("Money market fund", 5_000_000, 20_000_000),
        ],
        "B": [
            ("Treasury deposits", 2_000_000, 8_000_000),
            ("Current accounts", 500_000, 2_500_000),
        ],
        "C": [("Current accounts", 200_000, 900_000)],
    },
}
REQUESTS = [
    "Change of address",
    "Increase of the card limit",
    "Copy of the annual statement",
    "Register a power of attorney",
    "Open a savings account for a child",
    "Change the risk profile",
    "Add a second signatory",
    "Confirmation of balances for the auditor",
    "Block a lost card",
    "Release of a pledge",
]
COMPLAINTS = [
    "Fee charged twice",
    "Transfer delayed by three days",
    "Could not log in to the app for a week",
    "Advisor unreachable during the holidays",
    "Wrong withholding tax on dividends",
    "Statement sent to the old address",
]
SURVEY_COMMENTS = {
    "high": [
        "Always quick to respond.",
        "Very clear advice, thank you.",
        "Excellent annual review.",
        "Feels like a personal bank.",
        "",
    ],
    "mid": [
        "Good, but the app could be better.",
        "Fine overall.",
        "Fees are on the high side.",
        "",
    ],
    "low": [
        "Took too long to solve my problem.",
        "Hard to reach by phone.",
        "Not happy with the returns this year.",
    ],
}


def cents(value: float | Decimal) -> Decimal:
    """A value rounded to whole cents."""
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def money(value: float | Decimal) -> str:
    """A value as the interchange writes money."""
    return str(cents(value))


def rounded(value: float, step: int) -> int:
    """`value` rounded to a multiple of `step`."""
    return round(value / step) * step


def weekday_on_or_before(day: date) -> date:
    """The working day `day`, or the Friday before it for a weekend day."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, monthrange(year, month)[1])


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """(year, month) from the month of `first` to the month of `last`."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def ascii_name(text: str) -> str:
    """A name as it may appear in an e-mail address."""
    text = text.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in ".-")


@dataclass
class Person:
    """What the generator knows about one client while it builds the book."""

    number: int
    record: dict[str, Any]
    kind: str
    tier: str
    status: str
    since: date | None
    until: date | None
    last_contact: date | None = None
    accounts: list[tuple[str, float, float]] = field(default_factory=list)

    def active_on(self, day: date) -> bool:
        """Whether this is a client on `day` (PRODUCT.md's definition)."""
        return (
            self.since is not None
            and self.since <= day
            and (self.until is None or self.until > day)
        )

    @property
    def audience(self) -> str:
        """Which topics suit this client."""
        return "person" if self.kind == "person" else "business"


class DemoBook:
    """Builds every list of the demo book relative to the anchor."""

    def __init__(self, anchor: date, seed: int = SEED) -> None:
        self.anchor = anchor
        self.start = anchor.replace(year=anchor.year - YEARS_OF_HISTORY)
        self.random = random.Random(seed)
        self.lists: dict[str, list[dict[str, Any]]] = {entity: [] for entity in ENTITIES}
        self.people: list[Person] = []
        self.market = self._market_returns()

    def add(self, entity: str, record: dict[str, Any]) -> dict[str, Any]:
        """Append `record` to `entity` with the next id."""
        record = {"id": len(self.lists[entity]) + 1, **record}
        self.lists[entity].append(record)
        return record

    def build(self) -> dict[str, Any]:
        """The whole book in the interchange format, with its anchor."""
        self.make_clients()
        self.make_interactions()
        self.make_follow_ups()
        self.make_opportunities()
        self.make_holdings()
        self.make_revenue()
        self.make_goals()
        self.make_surveys()
        self.make_cases()
        self.make_targets()
        self.make_family()
        self.make_contact_persons()
        self.plan_the_year()
        book: dict[str, Any] = {"format": "rmtui-book", "version": 4}
        book["anchor"] = self.anchor.isoformat()
        book.update(self.lists)
        return book

    # Planning the year: drawn from the records above without a random draw, so that the rest
    # of the book stays as it was.

    def plan_the_year(self) -> None:
        """Reviews logged as such, repeating follow-ups, a payment complaint on a business-day
        clock, and expected close dates and probabilities on the open deals."""
        for interaction in self.lists["interactions"]:
            if interaction["subject"] in REVIEW_SUBJECTS:
                interaction["review"] = True
        self._repeating_follow_ups()
        self._payment_complaint()
        for record in self.lists["opportunities"]:
            if record["closed_on"] is None:
                number = record["id"]
                offset = (number * 37) % 150 - 25  # some already past their close date
                record["expected_close_on"] = (self.anchor + timedelta(days=offset)).isoformat()
                if number % 4 == 0:
                    record["probability"] = PROBABILITY_HINTS[number % len(PROBABILITY_HINTS)]

    def _repeating_follow_ups(self) -> None:
        """The manager's weekly pipeline review and a client's monthly statement call."""
        for record in self.lists["follow_ups"]:
            if record["status"] == "open" and record["client"] is None:
                record.update(repeat="every week", due_at="08:30")
                break
        first = next(p for p in self.people if p.tier == "A" and p.status == "client")
        self.add(
            "follow_ups",
            {
                "client": first.number,
                "title": "Monthly statement call",
                "due_on": self.anchor.isoformat(),
                "status": "open",
                "done_on": None,
                "priority": "normal",
                "interaction": None,
                "due_at": "10:00",
                "notes": "Walk through the month's statement; 15 minutes.",
                "repeat": "every month",
            },
        )

    def _payment_complaint(self) -> None:
        """A payment complaint opened three weeks ago: 15 business days (PSD2), NL holidays."""
        person = next(
            p
            for p in self.people
            if p.status == "client" and p.kind == "business" and p.tier != "C"
        )
        opened = weekday_on_or_before(self.days_ago(19))
        due, counted = opened, 0
        while counted < 15:
            due += timedelta(days=1)
            counted += due.weekday() < 5 and due not in DUTCH_HOLIDAYS
        self.add(
            "cases",
            {
                "client": person.number,
                "kind": "complaint",
                "subject": "Card payment to a supplier taken twice",
                "opened_on": opened.isoformat(),
                "due_on": due.isoformat(),
                "resolved_on": None,
                "resolution": None,
                "clock": "payment",
                "business_days": True,
            },
        )

    def days_ago(self, days: int) -> date:
        """The date `days` before the anchor."""
        return self.anchor - timedelta(days=days)

    # Clients

    def make_clients(self) -> None:
        """Sixty clients across kinds, tiers and statuses, with their life cycle dates."""
        birthdays = self._birthdays()
        for number, (name, kind, country, city, status, tier, tags, extra) in enumerate(CLIENTS, 1):
            since, until, created = self._life_cycle(number, status)
            record = {
                "name": name,
                "kind": kind,
                "status": status,
                "tier": tier,
                "email": self._email(name, kind, country, extra),
                "phone": self._phone(country, kind),
                "company": self._company(name, kind, extra),
                "city": city,
                "country": COUNTRIES[country],
                "birthday": birthdays.get(number),
                "preferred_channel": self._channel(kind, tier),
                "checkin_every_days": self._cadence(number, kind, tier),
                "source": self.random.choice(SOURCES),
                "referred_by": None,
                "tags": list(tags),
                "risk_profile": self._risk_profile(kind),
                "notes": self._client_notes(kind, extra),
                "created_on": created.isoformat(),
                "client_since": since and since.isoformat(),
                "client_until": until and until.isoformat(),
                "archived": number in ARCHIVED,
            }
            record = self.add("clients", record)
            self.people.append(Person(number, record, kind, tier, status, since, until))
        self._link_referrals()

    def _life_cycle(self, number: int, status: str) -> tuple[date | None, date | None, date]:
        rnd = self.random
        if status in ("lead", "prospect"):
            created = self.days_ago(
                rnd.randint(20, 150) if status == "lead" else rnd.randint(60, 260)
            )
            if number in ARCHIVED:
                created = self.days_ago(rnd.randint(400, 600))
            return None, None, created
        if number in NEW_CLIENTS:
            since = weekday_on_or_before(self.days_ago(NEW_CLIENTS[number]))
        else:
            since = date(rnd.randint(2009, 2022), rnd.randint(1, 12), rnd.randint(1, 28))
        created = since - timedelta(days=rnd.randint(14, 120))
        until = None
        if number in LOST_CLIENTS:
            until = weekday_on_or_before(self.days_ago(LOST_CLIENTS[number]))
        return since, until, created

    def _birthdays(self) -> dict[int, str]:
        """Birthdays for people and business owners, spread so most weeks have one."""
        numbers = [n for n, row in enumerate(CLIENTS, 1) if row[1] != "corporate"]
        self.random.shuffle(numbers)
        offsets = [0, 2, 5] + [
            9 + round(i * 351 / (len(numbers) - 3)) for i in range(len(numbers) - 3)
        ]
        birthdays = {}
        for number, offset in zip(numbers, offsets, strict=True):
            day = self.anchor + timedelta(days=offset)
            if (day.month, day.day) == (2, 29):
                day += timedelta(days=1)
            age = self.random.randint(31, 76)
            birthdays[number] = day.replace(year=day.year - age).isoformat()
        return birthdays

    def _email(self, name: str, kind: str, country: str, extra: dict[str, Any]) -> str:
        if kind == "person":
            first, *rest = name.split(" ")
            domain = self.random.choice(["example.com", "example.net", "example.org"])
            return f"{ascii_name(first)}.{ascii_name(''.join(rest))}@{domain}"
        slug = ascii_name(name.split(" ")[0] + name.split(" ")[-1]).replace(".", "")
        mailbox = "treasury" if kind == "corporate" else ascii_name(extra["contact"].split()[0])
        return f"{mailbox}@{slug}.example"

    def _phone(self, country: str, kind: str) -> str:
        digits = [self.random.randint(0, 9) for _ in range(8)]
        d = "".join(map(str, digits))
        if country == "GB":
            return f"+44 7700 900{d[:3]}" if kind == "person" else f"+44 20 7946 0{d[:3]}"
        if country == "NL":
            return f"+31 6 {d[:4]} {d[4:]}" if kind == "person" else f"+31 10 {d[:3]} {d[3:7]}"
        if country == "BE":
            return f"+32 47{d[0]} {d[1:3]} {d[3:5]} {d[5:7]}"
        return f"+49 151 {d[:4]} {d[4:]}" if kind == "person" else f"+49 221 {d[:3]} {d[3:7]}"

    def _company(self, name: str, kind: str, extra: dict[str, Any]) -> str | None:
        if kind == "person":
            return extra.get("company")
        return f"{name} {extra['legal']}"

    def _channel(self, kind: str, tier: str) -> str:
        if kind == "corporate":
            return self.random.choice(["meeting", "video", "email"])
        weights = [5, 3, 2, 2, 1] if tier != "C" else [3, 5, 1, 1, 2]
        return self.random.choices(["phone", "email", "meeting", "video", "message"], weights)[0]

    def _cadence(self, number: int, kind: str, tier: str) -> int | None:
        """A check-in cadence of the client's own, or None to follow the tier's."""
        if number in (1, 20):
            return 21
        if kind == "corporate" and tier == "A":
            return 45
        return None

    def _risk_profile(self, kind: str) -> str | None:
        if kind == "corporate":
            return None
        return self.random.choice(RISK_PROFILES)

    def _client_notes(self, kind: str, extra: dict[str, Any]) -> str | None:
        parts = []
        if kind != "person":
            parts.append(f"Contact: {extra['contact']}.")
        if extra.get("notes"):
            parts.append(extra["notes"])
        return " ".join(parts) or None

    def _link_referrals(self) -> None:
        """Referred clients came in some months after the client who referred them."""
        for number, referrer in REFERRALS:
            person, by = self.people[number - 1], self.people[referrer - 1]
            person.record["referred_by"] = referrer
            person.record["source"] = "referral"
            created = date.fromisoformat(person.record["created_on"])
            earliest = date.fromisoformat(by.record["created_on"]) + timedelta(days=60)
            if person.since is None or created >= earliest:
                continue
            created = earliest + timedelta(days=self.random.randint(0, 300))
            person.record["created_on"] = created.isoformat()
            if person.since < created:
                person.since = created + timedelta(days=self.random.randint(14, 90))
                person.record["client_since"] = person.since.isoformat()

    # Interactions

    def make_interactions(self) -> None:
        """Two years of contacts and notes, each client's last contact set by design."""
        moments: list[tuple[datetime, int, dict[str, Any]]] = []
        for person in self.people:
            for day in self._contact_days(person):
                moments.append(self._contact(person, day))
            moments += self._notes(person)
        moments.sort(key=lambda item: (item[0], item[1]))
        for at, number, details in moments:
            self.add("interactions", {"client": number, "at": at.isoformat(), **details})

    def _contact_days(self, person: Person) -> list[date]:
        last = self._last_contact(person)
        if last is None:
            return []
        person.last_contact = last
        first = max(self.start, date.fromisoformat(person.record["created_on"]))
        gap = CONTACT_GAP.get(person.status, CONTACT_GAP[person.tier])
        days, day = [last], last
        while True:
            day -= timedelta(days=max(2, round(self.random.expovariate(1 / gap))))
            if day < first:
                return days
            days.append(weekday_on_or_before(day))

    def _last_contact(self, person: Person) -> date | None:
        cadence = person.record["checkin_every_days"] or CADENCE[person.record["tier"]]
        if person.until is not None:
            return weekday_on_or_before(person.until - timedelta(days=self.random.randint(3, 40)))
        if person.number in OVERDUE_CHECKINS:
            return self.days_ago(cadence + OVERDUE_CHECKINS[person.number])
        if person.status == "client":
            return weekday_on_or_before(self.days_ago(self.random.randint(1, int(cadence * 0.7))))
        if person.number in ARCHIVED:
            return self.days_ago(self.random.randint(300, 380))
        return weekday_on_or_before(self.days_ago(self.random.randint(1, 25)))

    def _contact(self, person: Person, day: date) -> tuple[datetime, int, dict[str, Any]]:
        topic = self._topic(person, day)
        kind = self._kind_for(person, topic[1].split())
        at = datetime.combine(day, self._time_of_day(kind))
        direction = "out" if kind in ("meeting", "visit") else self._direction()
        details = {
            "kind": kind,
            "direction": direction,
            "subject": self._fill(topic[2], person),
            "notes": self._fill(topic[3], person).strip() or None,
            "duration_min": self._duration(kind),
        }
        return at, person.number, details

    def _topic(self, person: Person, day: date) -> tuple[str, str, str, str]:
        fitting = [t for t in TOPICS if t[0] in ("any", person.audience)]
        if person.status in ("lead", "prospect"):
            fitting = [t for t in fitting if "review" not in t[2].lower()]
        return self.random.choice(fitting)

    def _kind_for(self, person: Person, kinds: list[str]) -> str:
        preferred = {"phone": "call"}.get(person.record["preferred_channel"])
        preferred = preferred or person.record["preferred_channel"]
        if preferred in kinds and self.random.random() < 0.5:
            return preferred
        return self.random.choice(kinds)

    def _time_of_day(self, kind: str) -> time:
        if kind in ("meeting", "visit", "video"):
            return time(
                self.random.choice([9, 10, 11, 13, 14, 15, 16]), self.random.choice([0, 30])
            )
        return time(self.random.randint(8, 17), self.random.randrange(0, 60, 5))

    def _direction(self) -> str:
        return "in" if self.random.random() < 0.35 else "out"

    def _duration(self, kind: str) -> int | None:
        ranges = {"call": (5, 40), "meeting": (45, 120), "video": (20, 60), "visit": (60, 150)}
        if kind not in ranges:
            return None
        low, high = ranges[kind]
        return rounded(self.random.randint(low, high), 5)

    def _notes(self, person: Person) -> list[tuple[datetime, int, dict[str, Any]]]:
        if person.last_contact is None:
            return []
        first = max(self.start, date.fromisoformat(person.record["created_on"]))
        span = (min(person.last_contact + timedelta(days=10), self.anchor) - first).days
        notes = []
        for _ in range(self.random.choice([0, 1, 1, 2, 3]) if span > 0 else 0):
            day = weekday_on_or_before(first + timedelta(days=self.random.randint(0, span)))
            subject, text = self.random.choice(NOTE_TOPICS)
            at = datetime.combine(
                day, time(self.random.randint(12, 18), self.random.randrange(0, 60, 5))
            )
            details = {
                "kind": "note",
                "direction": "out",
                "subject": subject,
                "notes": text,
                "duration_min": None,
            }
            notes.append((at, person.number, details))
        return notes

    def _fill(self, text: str, person: Person) -> str:
        amount = rounded(self.random.uniform(2_000, 60_000), 500)
        if person.kind == "corporate":
            amount *= 20
        currency = "£" if person.record["country"] == COUNTRIES["GB"] else "€"
        return text.format(
            mood=self.random.choice(MOODS),
            amount=f"{currency}{amount:,}",
            pct=f"{self.random.uniform(-4, 11):.1f}",
        )

    # Follow-ups

    def make_follow_ups(self) -> None:
        """Done and cancelled follow-ups from past contacts; open ones around today."""
        by_client: dict[int, list[dict[str, Any]]] = {}
        for interaction in self.lists["interactions"]:
            by_client.setdefault(interaction["client"], []).append(interaction)
        rnd = self.random
        for interaction in self.lists["interactions"]:
            at = datetime.fromisoformat(interaction["at"]).date()
            if interaction["kind"] == "note" or rnd.random() > 0.14 or at > self.days_ago(20):
                continue
            due = weekday_on_or_before(at + timedelta(days=rnd.randint(2, 14)))
            cancelled = rnd.random() < 0.08
            done_on = None if cancelled else due + timedelta(days=rnd.randint(-2, 3))
            done_on = done_on and min(weekday_on_or_before(done_on), self.anchor)
            self._follow_up(interaction, due, "cancelled" if cancelled else "done", done_on)
        self._open_follow_ups(by_client)
        self.lists["follow_ups"].sort(key=lambda record: (record["due_on"], record["title"]))
        for number, record in enumerate(self.lists["follow_ups"], 1):
            record["id"] = number

    def _follow_up(
        self, interaction: dict[str, Any], due: date, status: str, done_on: date | None
    ) -> None:
        person = self.people[interaction["client"] - 1]
        title = NEXT_STEPS.get(interaction["subject"])
        title = title or self.random.choice(FOLLOW_UP_TITLES[person.audience])
        self.add(
            "follow_ups",
            {
                "client": person.number,
                "title": title,
                "due_on": due.isoformat(),
                "status": status,
                "done_on": done_on and done_on.isoformat(),
                "priority": "high" if self.random.random() < 0.15 else "normal",
                "interaction": interaction["id"],
            },
        )

    def _open_follow_ups(self, by_client: dict[int, list[dict[str, Any]]]) -> None:
        current = [
            p
            for p in self.people
            if p.status in ("client", "prospect", "lead")
            and p.number not in ARCHIVED
            and by_client.get(p.number)
        ]
        self.random.shuffle(current)
        due_days = [
            -12,
            -8,
            -5,
            -3,
            -2,
            -1,
            0,
            0,
            0,
            0,
            1,
            1,
            2,
            3,
            4,
            5,
            6,
            6,
            9,
            12,
            14,
            18,
            21,
            25,
            30,
            35,
            45,
            60,
            75,
        ]
        for person, offset in zip(current, due_days, strict=False):
            interaction = by_client[person.number][-1]
            due = self.anchor + timedelta(days=offset)
            record = self.lists["follow_ups"]
            self._follow_up(interaction, due, "open", None)
            if offset < 0 and offset >= -3:
                record[-1]["priority"] = "high"
        for offset, title in zip([-4, 0, 3, 20], OWN_TASKS, strict=True):
            due = self.anchor + timedelta(days=offset)
            self.add(
                "follow_ups",
                {
                    "client": None,
                    "title": title,
                    "due_on": due.isoformat(),
                    "status": "open",
                    "done_on": None,
                    "priority": "normal",
                    "interaction": None,
                },
            )

    # Opportunities

    def make_opportunities(self) -> None:
        """Won deals when clients joined, closed deals over two years, an open pipeline."""
        for person in self.people:
            if person.number in NEW_CLIENTS and person.since:
                self._opportunity(person, "won", closed=person.since)
        recent = list(zip(RECENT_CLOSINGS, ["won", "lost", "won", "lost", "won"], strict=True))
        earlier = [(self.random.randint(60, 700), None) for _ in range(22)]
        for days, outcome in recent + earlier:
            person = self.random.choice([p for p in self.people if p.status == "client"])
            closed = weekday_on_or_before(self.days_ago(days))
            stage = outcome or ("won" if self.random.random() < 0.55 else "lost")
            if person.active_on(closed):
                self._opportunity(person, stage, closed=closed)
        open_stages = ["lead"] * 5 + ["qualified"] * 5 + ["proposal"] * 5 + ["negotiation"] * 4
        candidates = [
            p for p in self.people if p.status in ("lead", "prospect") and p.number not in ARCHIVED
        ]
        candidates += self.random.sample([p for p in self.people if p.status == "client"], 12)
        for person, stage in zip(candidates, open_stages, strict=False):
            self._opportunity(person, stage, closed=None)
        self.lists["opportunities"].sort(key=lambda record: (record["opened_on"], record["title"]))
        for number, record in enumerate(self.lists["opportunities"], 1):
            record["id"] = number

    def _opportunity(self, person: Person, stage: str, *, closed: date | None) -> None:
        product, low, high = self.random.choice(PRODUCTS[person.kind])
        value = rounded(self.random.uniform(low, high), 5_000 if high > 100_000 else 500)
        if closed is None:
            opened = weekday_on_or_before(self.days_ago(self.random.randint(3, 120)))
        else:
            opened = weekday_on_or_before(closed - timedelta(days=self.random.randint(20, 110)))
        short = (
            person.record["name"].split(" ")[-1]
            if person.kind == "person"
            else person.record["name"]
        )
        self.add(
            "opportunities",
            {
                "client": person.number,
                "title": f"{product} for {short}",
                "product": product,
                "stage": stage,
                "value": money(value),
                "opened_on": opened.isoformat(),
                "closed_on": closed and closed.isoformat(),
                "lost_reason": self.random.choice(LOST_REASONS) if stage == "lost" else None,
            },
        )

    # Holdings and revenue

    def _market_returns(self) -> dict[tuple[int, int], float]:
        """One market return a month, with a sharp dip in the spring of the second year."""
        returns = {}
        for index, month in enumerate(months_between(self.start, self.anchor)):
            returns[month] = self.random.gauss(0.006, 0.022)
            if index == 5:
                returns[month] = -0.071
            if index == 6:
                returns[month] = 0.038
        return returns

    def make_holdings(self) -> None:
        """Month-end values of every account of every client, for two years."""
        for person in self.people:
            if person.since is None:
                continue
            for account, low, high in ACCOUNTS[person.kind][person.tier]:
                self._account_history(person, account, self.random.uniform(low, high))

    def _account_history(self, person: Person, account: str, value: float) -> None:
        assert person.since is not None
        first = max(self.start, person.since)
        last = self.anchor.replace(day=1) - timedelta(days=1)
        beta = 0.9 if "portfolio" in account.lower() or "fund" in account.lower() else 0.05
        inflow = self.random.uniform(-0.002, 0.012)
        person.accounts.append((account, value, beta))
        if person.number in NEW_CLIENTS:
            value *= 0.6
        for year, month in months_between(first, last):
            as_of = month_end(year, month)
            closed = person.until is not None and as_of >= person.until
            noise = self.random.gauss(0, 0.01 if beta > 0.5 else 0.025)
            value = max(0.0, value * (1 + beta * self.market[(year, month)] + inflow + noise))
            record = {
                "client": person.number,
                "account": account,
                "as_of": as_of.isoformat(),
                "value": money(0 if closed else rounded(value, 1) if value > 1e5 else value),
            }
            self.add("holdings", record)
            if closed:
                break

    def make_revenue(self) -> None:
        """Monthly or quarterly fees, interest on business credit, commissions on won deals."""
        for person in self.people:
            if person.since is None:
                continue
            for year, month in months_between(max(self.start, person.since), self.anchor):
                self._monthly_revenue(person, year, month)
        for opportunity in self.lists["opportunities"]:
            if opportunity["stage"] == "won":
                self._commission(opportunity)
        self.lists["revenue"].sort(key=lambda record: (record["on"], record["client"]))
        for number, record in enumerate(self.lists["revenue"], 1):
            record["id"] = number

    def _monthly_revenue(self, person: Person, year: int, month: int) -> None:
        fee_day = weekday_on_or_before(date(year, month, 3))
        if not person.active_on(fee_day) or fee_day > self.anchor:
            return
        size = sum(value for _account, value, _beta in person.accounts)
        quarterly = person.tier == "C" or person.kind == "business"
        if person.kind == "person" and (not quarterly or month in (1, 4, 7, 10)):
            rate = 0.009 / (4 if quarterly else 12)
            self._revenue(person, fee_day, size * rate, "fee", "Management fee")
        if person.kind != "person":
            interest_day = weekday_on_or_before(date(year, month, 27))
            if interest_day <= self.anchor and person.active_on(interest_day):
                margin = size * (0.0004 if person.kind == "corporate" else 0.0012)
                self._revenue(
                    person,
                    interest_day,
                    margin * self.random.uniform(0.8, 1.2),
                    "interest",
                    "Interest margin on credit facilities",
                )
            if quarterly and month in (1, 4, 7, 10):
                self._revenue(
                    person, fee_day, self.random.uniform(250, 1200), "fee", "Account package fee"
                )
        if month == 1 and person.kind == "person" and person.tier == "A":
            self._revenue(person, fee_day + timedelta(days=14), 450, "other", "Custody fee")

    def _commission(self, opportunity: dict[str, Any]) -> None:
        person = self.people[opportunity["client"] - 1]
        day = date.fromisoformat(opportunity["closed_on"]) + timedelta(days=7)
        if day <= self.anchor:
            rate = Decimal("0.002" if person.kind == "corporate" else "0.008")
            amount = Decimal(opportunity["value"]) * rate
            self._revenue(
                person,
                weekday_on_or_before(day),
                amount,
                "commission",
                f"Commission: {opportunity['product']}",
            )

    def _revenue(
        self, person: Person, on: date, amount: float | Decimal, kind: str, text: str
    ) -> None:
        self.add(
            "revenue",
            {
                "client": person.number,
                "on": on.isoformat(),
                "amount": money(amount),
                "kind": kind,
                "description": text,
            },
        )

    # Goals, surveys, cases

    def make_goals(self) -> None:
        """One or two financial goals for most private clients, with their progress."""
        for person in self.people:
            if person.kind != "person" or person.status not in ("client", "prospect"):
                continue
            for title, low, high, years in self.random.sample(GOALS, self.random.choice([1, 1, 2])):
                target = rounded(self.random.uniform(low, high), 5_000)
                progress = self.random.uniform(0.1, 0.95)
                birthday = person.record["birthday"]
                age = self.random.choice([60, 62, 65, 67])
                when = self.anchor.replace(
                    year=self.anchor.year + self.random.randint(1, years + 6)
                )
                if "{age}" in title and birthday:
                    when = date.fromisoformat(birthday).replace(day=1)
                    when = when.replace(year=max(when.year + age, self.anchor.year + 2))
                self.add(
                    "financial_goals",
                    {
                        "client": person.number,
                        "title": title.format(age=age),
                        "target_amount": money(target),
                        "target_date": when.replace(day=1).isoformat(),
                        "current_amount": money(rounded(target * progress, 100)),
                    },
                )

    def make_surveys(self) -> None:
        """Satisfaction surveys spread over two years, mostly positive."""
        rnd = self.random
        surveys = []
        recent = [rnd.randint(0, 55) for _ in range(10)]
        for days in recent + [rnd.randint(0, 728) for _ in range(120)]:
            day = weekday_on_or_before(self.days_ago(days))
            active = [p for p in self.people if p.active_on(day)]
            person = rnd.choice(active)
            csat = rnd.choices([5, 4, 3, 2, 1], [44, 36, 12, 6, 2])[0]
            nps = {
                5: rnd.choice([9, 9, 10, 10, 8]),
                4: rnd.choice([7, 8, 8, 9]),
                3: rnd.choice([5, 6, 7]),
                2: rnd.choice([2, 3, 4]),
                1: rnd.choice([0, 1, 2]),
            }[csat]
            mood = "high" if csat >= 5 else "mid" if csat >= 3 else "low"
            record = {
                "client": person.number,
                "on": day.isoformat(),
                "csat": csat if rnd.random() > 0.1 else None,
                "nps": nps if rnd.random() > 0.08 else None,
                "comment": rnd.choice(SURVEY_COMMENTS[mood]) or None,
            }
            surveys.append(record)
        surveys.sort(key=lambda record: (record["on"], record["client"]))
        for record in surveys:
            self.add("surveys", record)

    def make_cases(self) -> None:
        """Requests and complaints: most resolved on time, some late, a few open and due."""
        cases = [self._open_case(days, complaint) for days, complaint in OPEN_CASES]
        for _ in range(40):
            cases.append(self._resolved_case())
        cases.sort(key=lambda record: (record["opened_on"], record["subject"]))
        for record in cases:
            self.add("cases", record)

    def _open_case(self, days_ago: int, complaint: bool) -> dict[str, Any]:
        return self._case(self.days_ago(days_ago), complaint, resolved=None)

    def _resolved_case(self) -> dict[str, Any]:
        rnd = self.random
        complaint = rnd.random() < 0.3
        opened = weekday_on_or_before(self.days_ago(rnd.randint(8, 720)))
        allowed = DAYS_TO_RESOLVE[complaint]
        late = rnd.random() < 0.18
        days = allowed + rnd.randint(1, 9) if late else rnd.randint(0, allowed)
        resolved = min(opened + timedelta(days=days), self.anchor)
        return self._case(opened, complaint, resolved=resolved)

    def _case(self, opened: date, complaint: bool, *, resolved: date | None) -> dict[str, Any]:
        active = [p for p in self.people if p.active_on(opened) and p.number not in ARCHIVED]
        person = self.random.choice(active)
        return {
            "client": person.number,
            "kind": "complaint" if complaint else "request",
            "subject": self.random.choice(COMPLAINTS if complaint else REQUESTS),
            "opened_on": opened.isoformat(),
            "due_on": (opened + timedelta(days=DAYS_TO_RESOLVE[complaint])).isoformat(),
            "resolved_on": resolved and resolved.isoformat(),
            "resolution": self._resolution(complaint) if resolved else None,
        }

    def _resolution(self, complaint: bool) -> str:
        if complaint:
            return self.random.choice(
                [
                    "Apologised and refunded the fee.",
                    "Explained the cause; process changed to prevent a repeat.",
                    "Escalated to operations; solved and client compensated with €50.",
                    "Not justified; explained the terms to the client, who accepted.",
                ]
            )
        return self.random.choice(
            ["Done.", "Processed; confirmation sent.", "Completed by operations."]
        )

    # Targets

    def make_family(self) -> None:
        """Sanne de Vries's husband and daughter, and the household of the three of them."""
        book = self
        head = book.people[0]
        members = [{"client": head.number, "role": "head"}]
        for name, role, tier, birthday, days, value in FAMILY:
            first = name.split()[0].lower()
            record = book.add(
                "clients",
                {
                    **{key: value for key, value in head.record.items() if key != "id"},
                    "name": name,
                    "tier": tier,
                    "email": f"{first}.devries@example.nl",
                    "birthday": birthday,
                    "checkin_every_days": None,
                    "source": "referral",
                    "referred_by": head.number,
                    "tags": [],
                    "notes": None,
                    "company": None,
                },
            )
            member = record["id"]
            members.append({"client": member, "role": role})
            at = datetime.combine(book.days_ago(days), time(10, 30))
            book.add("interactions", {
                "client": member, "at": at.isoformat(), "kind": "call", "direction": "out",
                "subject": "Family review: your part of the plan", "notes": None,
                "duration_min": 20,
            })  # fmt: skip
            for months_ago, share in ((12, 0.9), (0, 1.0)):
                as_of = book.days_ago(30 * months_ago + 29)
                book.add("holdings", {
                    "client": member, "account": "Savings", "as_of": as_of.isoformat(),
                    "value": money(value * share),
                })  # fmt: skip
        book.add(
            "households", {"name": "De Vries family", "shared_checkin": True, "members": members}
        )

    def make_contact_persons(self) -> None:
        """The people named at each business and corporate client (and a second one at the
        corporates); their calls and meetings were with the decision maker."""
        book = self
        seconds = iter(CORPORATE_SECOND)
        for person, (_name, kind, *_rest, extra) in zip(book.people, CLIENTS, strict=False):
            if "contact" not in extra:
                continue
            name, role = contact_of(extra, kind)
            first = next(word for word in name.split() if not word.startswith("Dr"))
            email = f"{ascii_name(first).lower()}@{person.record['email'].split('@')[1]}"
            decider = book.add("contact_persons", {
                "client": person.number, "name": name, "role": role, "email": email,
                "phone": person.record["phone"], "decision_maker": True, "notes": None,
            })  # fmt: skip
            if kind == "corporate":
                second = next(seconds, None)
                if second is not None:
                    book.add("contact_persons", {
                        "client": person.number, "name": second[0], "role": second[1],
                        "email": None, "phone": None, "decision_maker": False,
                        "notes": "Prepares the figures before each review.",
                    })  # fmt: skip
            for interaction in book.lists["interactions"]:
                if interaction["client"] == person.number and interaction["kind"] != "note":
                    interaction["contact_person"] = decider["id"]

    def make_targets(self) -> None:
        """Targets for the current and recent months, quarters and years for the main KPIs."""
        periods = self._periods()
        monthly_revenue = self._average_monthly_revenue()
        aum = self._current_aum()
        for unit, start, end in periods:
            months = {"month": 1, "quarter": 3, "year": 12}[unit]
            targets = {
                "retention_rate": {"month": 99.5, "quarter": 98, "year": 92}[unit],
                "new_clients": {"month": 1, "quarter": 2, "year": 6}[unit],
                "revenue": rounded(monthly_revenue * months * 1.06, 500),
                "nps": 40,
                "csat": 4.3,
                "pipeline_conversion": 55,
                "interactions": {"month": 60, "quarter": 175, "year": 700}[unit],
                "checkin_coverage": 85,
                "aum": rounded(aum * {"month": 1.0, "quarter": 1.02, "year": 1.06}[unit], 100_000),
            }
            for metric, target in targets.items():
                self.add(
                    "targets",
                    {
                        "metric": metric,
                        "period_start": start.isoformat(),
                        "period_end": end.isoformat(),
                        "target": money(target),
                    },
                )

    def _periods(self) -> list[tuple[str, date, date]]:
        periods = []
        year, month = self.anchor.year, self.anchor.month
        for back in range(3):
            y, m = (year, month - back) if month - back > 0 else (year - 1, month - back + 12)
            periods.append(("month", date(y, m, 1), month_end(y, m)))
        quarter_start = (month - 1) // 3 * 3 + 1
        for back in range(4):
            m, y = quarter_start - 3 * back, year
            while m < 1:
                m, y = m + 12, y - 1
            periods.append(("quarter", date(y, m, 1), month_end(y, m + 2)))
        for back in range(2):
            periods.append(("year", date(year - back, 1, 1), date(year - back, 12, 31)))
        return periods

    def _average_monthly_revenue(self) -> float:
        since = self.days_ago(365).isoformat()
        total = sum(Decimal(r["amount"]) for r in self.lists["revenue"] if r["on"] > since)
        return float(total) / 12

    def _current_aum(self) -> float:
        latest: dict[tuple[int, str], float] = {}
        for record in self.lists["holdings"]:
            latest[(record["client"], record["account"])] = float(record["value"])
        return sum(latest.values())


# --- Households and contact persons: written after the rest, drawing no random numbers ---

# Sanne de Vries (client 1) is married to Bas; Emma is their daughter. (name, role, tier,
# birthday, days since the last contact, account value)
FAMILY = [
    ("Bas de Vries", "partner", "A", "1978-03-14", 51, 185_000),
    ("Emma de Vries", "child", "C", "2009-06-02", 200, 12_500),
]
# The second person the manager deals with at each corporate client.
CORPORATE_SECOND = [
    ("Noor Verhoef", "Treasury analyst"),
    ("Stefan Krause", "Head of finance operations"),
    ("Hannah Lowe", "Financial controller"),
    ("Wout Janssens", "Financial controller"),
    ("Iris de Wit", "Finance manager"),
]


def contact_of(extra: dict[str, Any], kind: str) -> tuple[str, str]:
    """The contact a business or corporate client names: `Name (Role)`, the role by kind
    when none is given."""
    text = extra["contact"]
    if text.endswith(")") and " (" in text:
        name, role = text[:-1].split(" (", 1)
        return name, role
    return text, "Owner" if kind == "business" else "CEO"


def write_book(book: dict[str, Any], path: Path) -> None:
    """Write `book` as the export does: one record a line, UTF-8."""
    lines = ["{", f' "format": "{book["format"]}",', f' "version": {book["version"]},']
    lines.append(f' "anchor": "{book["anchor"]}",')
    for index, entity in enumerate(ENTITIES):
        records = [f"  {json.dumps(record, ensure_ascii=False)}" for record in book[entity]]
        body = "[\n" + ",\n".join(records) + "\n ]" if records else "[]"
        lines.append(f' "{entity}": {body}' + ("," if index < len(ENTITIES) - 1 else ""))
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write the demo book for the anchor date given (default ANCHOR)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor", type=date.fromisoformat, default=ANCHOR)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    book = DemoBook(args.anchor).build()
    write_book(book, args.output)
    counts = ", ".join(f"{len(book[entity])} {entity}" for entity in ENTITIES)
    print(f"wrote {args.output}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
