"""Rule-based TIMEX3 annotator (guidelines §2).

Three steps, kept apart so that each can be tested on its own:

1. *Recognition* collects candidate spans: spaCy's DATE/TIME entities of the
   parsed ``Doc`` plus this module's own patterns (ages, vague references,
   times with zones, ...), trims prepositions and focus adverbs off their left
   edge (``since last fall`` → ``last fall``) and keeps, of overlapping
   candidates, the longest one the normaliser understands.
2. *Normalisation* (:func:`normalise_text`, :func:`normalise`) maps one
   expression to its ISO-TimeML ``type``, ``value`` and ``mod``, resolving
   relative expressions against the document creation time (DCT). Where a
   weekday or a month could lie on either side of the DCT, the tense of the
   governing verb (read from the dependency parse, see :func:`tense_of`)
   picks the side; an incident noun (``an incident on Sept. 1``) or a plain
   present tense leans to the past, since news mostly reports it.
3. *Story context*: a clock time takes the date written next to it, and
   ``the quarter`` / ``this quarter`` / ``the same quarter last year`` are
   resolved against the quarter the story reports (:func:`_resolve_story_quarters`).

Calendar arithmetic is python-dateutil's (``relativedelta``, ISO weeks from
``date.isocalendar``); only TIMEX3 semantics are written by hand here. Every
value is checked against the schema's TIMEX3 value grammar; an expression that
cannot be resolved keeps its span with a vague value (``XXXX``, ``PAST_REF``)
rather than a wrong precise one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import regex
from dateutil.easter import easter
from dateutil.parser import isoparse, parserinfo
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta
from spacy.tokens import Doc, Span, Token

from .. import timezones
from ..records import Article, Timex
from ..schema import load_schema
from . import TIMEX
from .base import Annotator

Tense = Literal["past", "present", "future"] | None
Normalised = tuple[str, str, str | None]  # (type, value, mod)


@lru_cache(maxsize=1)
def value_pattern() -> re.Pattern[str]:
    """The TIMEX3 value grammar of the record schema (``$defs.timexValue.pattern``)."""
    return re.compile(load_schema("document.schema.json")["$defs"]["timexValue"]["pattern"])


# --------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------

_MONTHS = parserinfo()  # month names and abbreviations ("Sept", "Aug") → 1..12
_WEEKDAY_NAMES = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_RD_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_ORDER = ("SP", "SU", "FA", "WI")

_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2,
    "couple of": 2, "half a": 0.5, "half an": 0.5,
}  # fmt: skip
# Amounts that say "some number of": TimeML writes them as X.
_VAGUE_NUMBERS = (
    "a few", "few", "several", "some", "many", "a number of", "dozens of", "hundreds of",
    "numerous", "multiple", "countless", "recent", "the past few", "the last few",
)  # fmt: skip
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "last": 4,
}  # fmt: skip
_CENTURY_WORDS = {
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}  # fmt: skip

# unit → (TIMEX3 designator, is a time unit written after "T", multiplier)
_UNITS: dict[str, tuple[str, bool, int]] = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "fortnight": ("W", False, 2), "month": ("M", False, 1), "year": ("Y", False, 1),
    "decade": ("DE", False, 1), "century": ("CE", False, 1), "millennium": ("ML", False, 1),
}  # fmt: skip

# Modifiers of a duration's amount (TimeML ``mod``); longest first in the regex.
_AMOUNT_MODS = {
    "more than": "MORE_THAN", "over": "MORE_THAN", "just over": "MORE_THAN",
    "well over": "MORE_THAN", "longer than": "MORE_THAN", "upwards of": "MORE_THAN",
    "less than": "LESS_THAN", "fewer than": "LESS_THAN", "under": "LESS_THAN",
    "just under": "LESS_THAN", "nearly": "LESS_THAN", "almost": "LESS_THAN",
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "an estimated": "APPROX", "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
}  # fmt: skip
# Modifiers of a date's position inside its period.
_POSITION_MODS = {
    "early": "START", "the early": "START", "late": "END", "the late": "END",
    "mid": "MID", "the mid": "MID", "the middle of": "MID", "the end of": "END",
    "the beginning of": "START", "the start of": "START", "the turn of": "START",
    "earlier": None, "later": None, "earlier in": None, "later in": None,
}  # fmt: skip

# Lemmas that make the clause around a weekday/month point to the future.
_FUTURE_CUES = {
    "schedule", "scheduled", "expect", "expected", "plan", "planned", "slate", "slated",
    "due", "poise", "poised", "intend", "upcoming", "forthcoming", "coming", "set",
    "next", "prepare", "propose", "proposed", "aim",
}  # fmt: skip
# Present-tense verbs of timetables ("the law takes effect Jan. 1"): they do not say
# past, but a headline uses them for what already happened, so no side is taken.
_SCHEDULE_VERBS = {
    "begin", "start", "open", "reopen", "take", "come", "kick", "expire", "resume", "launch",
    "run", "close", "end", "meet", "convene", "hold", "host", "play", "face", "vote", "debut",
}  # fmt: skip
# Nouns of one-off incidents: a date attached to them is in the past ("an incident
# on Sept. 1", "the March 3 shooting"), whatever the tense of the sentence.
_INCIDENT_NOUNS = {
    "incident", "attack", "accident", "crash", "shooting", "stabbing", "explosion", "blast",
    "bombing", "fire", "blaze", "killing", "murder", "homicide", "death", "assault", "raid",
    "collision", "derailment", "earthquake", "quake", "landslide", "flood", "flooding", "riot",
    "clash", "confrontation", "robbery", "theft", "burglary", "arrest", "ambush", "massacre",
    "punch", "fight", "altercation", "crime", "break-in", "hack", "cyberattack", "breach",
    "spill", "leak", "outage", "collapse", "disappearance", "kidnapping", "abduction",
}  # fmt: skip
_REPORTING = {
    "say", "tell", "report", "announce", "claim", "state", "confirm", "reveal", "add",
    "warn", "deny", "insist", "quote", "cite", "disclose", "note", "write",
}  # fmt: skip

# Words trimmed off the left edge of a candidate: the TIMEX3 extent leaves out
# prepositions (they are signals) and focus adverbs (``only last week``).
_LEFT_TRIM = {
    "on", "in", "at", "since", "until", "till", "by", "from", "during", "for", "within",
    "before", "after", "to", "through", "throughout", "of", "as", "only", "just", "even",
    "already", "again", "and", "or", "between", "into",
}  # fmt: skip


# --------------------------------------------------------------------------
# Regex fragments (lower-case text, see _clean)
# --------------------------------------------------------------------------


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY_RE = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_UNIT_RE = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?"
    r"|centuries|century|millenni(?:um|a))"
)
_NUMBER_RE = (
    r"(?:\d+(?:,\d{3})*(?:\.\d+)?(?:[- ]\d/\d|½)?|(?:" + _alt(list(_SMALL_NUMBERS)) + r")"
    r"(?: and a half)?"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine))"
)
_VAGUE_RE = _alt(_VAGUE_NUMBERS)
_AMOUNT_MOD_RE = _alt(list(_AMOUNT_MODS))
_POSITION_MOD_RE = (
    r"(?:earlier|later)(?: in)? |(?:the )?(?:early|late|mid)(?:-| )|(?:the )?(?:middle|end|beginning|start|turn) of "
)
_TZ_RE = _alt([name.lower() for name in timezones.table()[0]])
_PART_RE = r"(?:morning|afternoon|evening|night)"


def _clean(text: str) -> str:
    """Lower-case, straight apostrophes, ASCII hyphens, single spaces."""
    t = text.lower().replace("’", "'").replace("‘", "'")
    t = re.sub(r"[‐‑‒–—]", "-", t)
    return re.sub(r"\s+", " ", t).strip()


def _number(text: str) -> float | None:
    """The amount a number phrase denotes; None when it is vague (``several``)."""
    t = text.strip()
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t.endswith("½"):
        t, half = t[:-1], 0.5
    m = re.fullmatch(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:[- ](\d)/(\d))?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value += int(m.group(2)) / int(m.group(3))
        return value + half
    if t in _SMALL_NUMBERS:
        return _SMALL_NUMBERS[t] + half
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and all(p in _SMALL_NUMBERS for p in parts):
        return _SMALL_NUMBERS[parts[0]] + _SMALL_NUMBERS[parts[1]] + half
    return None


def _unit_key(unit: str) -> str:
    u = unit.lower()
    if u.startswith("centur"):
        return "century"
    if u.startswith("millenni"):
        return "millennium"
    return u[:-1] if u.endswith("s") else u


# --------------------------------------------------------------------------
# Value builders (TIMEX3 semantics)
# --------------------------------------------------------------------------


def _duration(amount: float | None, unit: str) -> str:
    """``P3Y6M``-style value of ``amount`` ``unit``s; X for a vague amount."""
    code, is_time, mult = _UNITS[_unit_key(unit)]
    prefix = "PT" if is_time else "P"
    if amount is None:
        return f"{prefix}X{code}"
    amount *= mult
    if amount == int(amount):
        return f"{prefix}{int(amount)}{code}"
    # A fraction is written in the next smaller unit: 3-1/2 years → P3Y6M,
    # half an hour → PT30M, a day and a half → P1DT12H.
    smaller = {("Y", False): (12, "M", False), ("W", False): (7, "D", False),
               ("D", False): (24, "H", True), ("H", True): (60, "M", True),
               ("M", True): (60, "S", True)}.get((code, is_time))  # fmt: skip
    if smaller and (amount * smaller[0]) == int(amount * smaller[0]):
        whole, part = divmod(int(amount * smaller[0]), smaller[0])
        head = f"{whole}{code}" if whole else ""
        tail = f"{part}{smaller[1]}"
        if smaller[2] and not is_time:
            return f"P{head}T{tail}"
        return f"{prefix}{head}{tail}"
    return f"{prefix}{amount:g}{code}"


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _weekend(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}-WE"


def _at_granularity(d: date, unit: str) -> str:
    """The date ``d`` written at the granularity of ``unit`` (year → ``2024``)."""
    key = _unit_key(unit)
    if key in ("day", "night", "hour", "minute", "second"):
        return d.isoformat()
    if key in ("week", "fortnight"):
        return _iso_week(d)
    if key == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if key == "year":
        return f"{d.year:04d}"
    if key == "decade":
        return f"{d.year // 10:03d}"
    if key == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year // 1000}"


def _vague_at(unit: str) -> str:
    key = _unit_key(unit)
    return {"day": "XXXX-XX-XX", "night": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX",
            "decade": "XXX", "century": "XX"}.get(key, "XXXX")  # fmt: skip


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _season_index(d: date) -> int:
    """A running index of seasons (4 per year); winter belongs to its December's year."""
    if d.month in (12, 1, 2):
        year = d.year if d.month == 12 else d.year - 1
        return year * 4 + 3
    return d.year * 4 + (d.month - 3) // 3


def _season_value(index: int) -> str:
    return f"{index // 4:04d}-{_SEASON_ORDER[index % 4]}"


def _pick_year(month: int, day: int, dct: date, tense: Tense) -> int:
    """The year of ``month``/``day`` (no year written) nearest the DCT, on the tense's side."""
    key, now = (month, day), (dct.month, dct.day)
    if tense == "past":
        return dct.year if key <= now else dct.year - 1
    if tense == "future":
        return dct.year if key >= now else dct.year + 1
    if tense == "present":
        # News mostly reports the past ("the charges stem from an incident on
        # Sept. 1"): a present tense takes the past occurrence unless the future
        # one is less than half as far away.
        past_year = dct.year if key <= now else dct.year - 1
        past_gap = (dct - date(past_year, month, min(day, 28))).days
        future_gap = (date(past_year + 1, month, min(day, 28)) - dct).days
        return past_year + 1 if 2 * future_gap < past_gap else past_year
    # No tense to go by: the occurrence less than half a year away.
    candidates = [date(dct.year + k, month, min(day, 28)) for k in (-1, 0, 1)]
    return min(candidates, key=lambda c: abs((c - dct).days)).year


def _weekday_date(weekday: int, dct: date, tense: Tense, which: str | None) -> date:
    """The date of a weekday name around the DCT.

    ``which`` is the determiner (``last``, ``next``, ``this``/``coming``). A bare
    weekday that is the DCT's own weekday is the DCT (a paper says "Wednesday"
    for its own day); otherwise past tense looks back and future tense ahead.
    """
    rd = _RD_WEEKDAYS[weekday]
    back = dct + relativedelta(weekday=rd(-1))
    ahead = dct + relativedelta(weekday=rd(+1))
    if which in ("last", "past"):
        return dct - timedelta(days=1) + relativedelta(weekday=rd(-1))
    if which == "next":
        return dct + timedelta(days=1) + relativedelta(weekday=rd(+1))
    if which in ("this", "coming"):
        return back if tense == "past" else ahead
    if tense == "past":
        return back
    if tense == "future":
        return ahead
    return back if (dct - back) <= (ahead - dct) else ahead


def _shift(dct: date, amount: float, unit: str, sign: int) -> date:
    key = _unit_key(unit)
    if key in ("decade", "century", "millennium"):
        years = amount * {"decade": 10, "century": 100, "millennium": 1000}[key]
        return dct + relativedelta(years=sign * int(years))
    if key == "fortnight":
        return dct + relativedelta(weeks=sign * int(2 * amount))
    if amount != int(amount):
        # Half a year → six months; half a month → 15 days (nearest whole unit below).
        if key == "year":
            return dct + relativedelta(months=sign * round(amount * 12))
        if key == "month":
            return dct + relativedelta(days=sign * round(amount * 30))
    arg = {"night": "days"}.get(key, key + "s")
    if arg in ("hours", "minutes", "seconds"):
        return dct  # sub-day offsets from a date-only DCT stay on the DCT
    return dct + relativedelta(**{arg: sign * int(amount)})


def _zone(tz: str, day: date) -> str:
    """The TIMEX3 zone suffix of an abbreviation on ``day`` (``Z`` for UTC/GMT)."""
    return timezones.iso_offset(timezones.utc_offset(tz, day), utc_as_z=True)


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_NOT_TEMPORAL = re.compile(
    r"(?:the |these |those |his |her |their |its |our )(?:years|months|weeks|days|decades|hours)|(?:the )?times?"
    r"|(?:the )?(?:first|second|third|last|final|next) (?:term|round|time|step)"
    r"|(?:the )?(?:short|long|medium|near)[- ]term|(?:the )?(?:day|year|month|week|season)"
    r"|(?:the )?latest|recent|soon|(?:the )?age"
)

_VAGUE_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "at present": "PRESENT_REF", "the present": "PRESENT_REF",
    "these days": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "previously": "PAST_REF", "the future": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the foreseeable future": "FUTURE_REF",
}  # fmt: skip


def normalise_text(text: str, dct: date, tense: Tense = None) -> Normalised | None:
    """TIMEX3 ``(type, value, mod)`` of one temporal expression, or None.

    Args:
        text: the expression as it stands in the article (its TIMEX3 extent).
        dct: the calendar date of the document creation time.
        tense: ``past``/``present``/``future`` of the clause the expression sits
            in, used to place weekdays, months and seasons written without year.

    Returns:
        ``(type, value, mod)`` with a value matching the schema's grammar, or
        None when the text is not a temporal expression (``first term``,
        ``the years``). A temporal expression that cannot be resolved gets a
        vague value (``XXXX-XX-XX``, ``PAST_REF``).
    """
    t = _clean(text)
    t = re.sub(r"(?:'s|')$", "", t).strip(" ,.;:")
    if not t or _NOT_TEMPORAL.fullmatch(t):
        return None
    result = _normalise(t, dct, tense)
    if result is None:
        return None
    ttype, value, mod = result
    if not value_pattern().fullmatch(value):
        value = {"DURATION": "PXY", "SET": "PXY"}.get(ttype, "XXXX-XX-XX")
    return ttype, value, mod


def _normalise(t: str, dct: date, tense: Tense) -> Normalised | None:
    for rule in _RULES:
        result = rule(t, dct, tense)
        if result is not None:
            return result
    return None


def _rule_vague(t: str, dct: date, tense: Tense) -> Normalised | None:
    if t in _VAGUE_REFS:
        return "DATE", _VAGUE_REFS[t], None
    if t == "today":
        return "DATE", dct.isoformat(), None
    if t in ("yesterday", "tomorrow"):
        return "DATE", (dct + timedelta(days=-1 if t == "yesterday" else 1)).isoformat(), None
    m = re.fullmatch(rf"(today|tonight|yesterday|tomorrow|this|last)(?: ({_PART_RE}))?", t)
    if m and (m.group(1) in ("tonight", "today", "yesterday", "tomorrow") or m.group(2)):
        day = dct + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(m.group(1), 0))
        part = "NI" if m.group(1) == "tonight" else _PART_OF_DAY[m.group(2)]
        if m.group(1) == "last" and m.group(2) in ("night", "evening"):
            day = dct - timedelta(days=1)
        elif m.group(1) == "last":
            return None
        return "TIME", f"{day.isoformat()}T{part}", None
    if re.fullmatch(
        r"(?:the (?:coming|next|past|last)|coming|past|recent) (?:few )?(days|weeks|months|years|decades)", t
    ):
        unit = t.rsplit(" ", 1)[1]
        return "DURATION", _duration(None, unit), None
    if re.fullmatch(r"recent (days|weeks|months|years|decades)", t):
        return "DURATION", _duration(None, t.split()[1]), None
    return None


def _rule_set(t: str, dct: date, tense: Tense) -> Normalised | None:
    # "a year" is a SET only after an amount ("$5 billion a year"), decided where the context is known.
    if t in ("annually", "yearly", "every year", "each year", "per year", "per annum"):
        return "SET", "P1Y", None
    adverbs = {"monthly": "P1M", "weekly": "P1W", "daily": "P1D", "hourly": "PT1H", "nightly": "P1D"}
    if t in adverbs:
        return "SET", adverbs[t], None
    if t in ("every quarter", "each quarter", "quarterly", "per quarter"):
        return "SET", "P3M", None
    m = re.fullmatch(rf"(?:every|each|per) (other )?(?:({_NUMBER_RE}) )?({_UNIT_RE}|{_WEEKDAY_RE})", t)
    if m:
        if re.fullmatch(_WEEKDAY_RE, m.group(3)):
            return "SET", f"XXXX-WXX-{_WEEKDAY_NAMES[m.group(3)] + 1}", None
        amount = _number(m.group(2)) if m.group(2) else (2.0 if m.group(1) else 1.0)
        return "SET", _duration(amount, m.group(3)), None
    return None


def _rule_time(t: str, dct: date, tense: Tense) -> Normalised | None:
    m = re.fullmatch(
        rf"(?:(?P<pre>{_WEEKDAY_RE}|today|yesterday|tomorrow),? (?:at )?)?"
        rf"(?:(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))? ?(?P<ap>[ap]\.?m\.?)"
        rf"|(?P<h2>\d{{1,2}}):(?P<m2>\d{{2}})(?: (?:hrs|hours))?"
        rf"|(?P<hm>[0-2]\d[0-5]\d)(?: (?:hrs|hours))?(?= )|(?P<word>noon|midday|midnight))"
        rf"(?: ?\(?(?P<tz>{_TZ_RE})\)?)?(?:,? (?:on )?(?P<post>{_WEEKDAY_RE}|today|tonight|yesterday|tomorrow))?",
        t,
    )
    if not m:
        return None
    if m.group("hm") and not m.group("tz"):
        return None  # a bare four-digit number is a year or a count, not a clock time
    if m.group("word"):
        hour, minute = (0, 0) if m.group("word") == "midnight" else (12, 0)
    else:
        hour = int(m.group("h") or m.group("h2") or m.group("hm")[:2])
        minute = int(m.group("m") or m.group("m2") or (m.group("hm") or "0000")[2:] or 0)
        ap = (m.group("ap") or "").replace(".", "")
        if ap == "pm" and hour < 12:
            hour += 12
        elif ap == "am" and hour == 12:
            hour = 0
    if hour > 24 or minute > 59:
        return None
    day = dct
    anchor = m.group("pre") or m.group("post")
    if m.group("word") == "midnight" and (anchor == "tonight" or (anchor is None and tense == "future")):
        # The midnight still to come is the one that starts the next day.
        day, anchor = dct + timedelta(days=1), None
    if anchor:
        anchored = _rule_day(anchor, dct, tense)
        if anchored is None:
            return None
        day = date.fromisoformat(anchored[1][:10])
    zone = _zone(m.group("tz"), day) if m.group("tz") else ""
    return "TIME", f"{day.isoformat()}T{hour:02d}:{minute:02d}{zone}", None


def _rule_day(t: str, dct: date, tense: Tense) -> Normalised | None:
    """Weekday names, optionally with last/next/this and a part of the day."""
    m = re.fullmatch(rf"(?:(last|next|this|coming|past) )?({_WEEKDAY_RE})(?: ({_PART_RE}))?", t)
    if not m:
        return None
    day = _weekday_date(_WEEKDAY_NAMES[m.group(2)], dct, tense, m.group(1))
    if m.group(3):
        return "TIME", f"{day.isoformat()}T{_PART_OF_DAY[m.group(3)]}", None
    return "DATE", day.isoformat(), None


def _rule_ago(t: str, dct: date, tense: Tense) -> Normalised | None:
    m = re.fullmatch(
        rf"(?:({_AMOUNT_MOD_RE}) )?(?:({_NUMBER_RE}|{_VAGUE_RE}) )?({_UNIT_RE})"
        r" (ago|from now|earlier|later|before|after|hence)",
        t,
    )
    if not m:
        return None
    amount = _number(m.group(2)) if m.group(2) else 1.0
    unit, direction = m.group(3), m.group(4)
    mod = _AMOUNT_MODS.get(m.group(1) or "")
    if direction in ("earlier", "later", "before", "after"):
        # Anchored to another event of the story, not to the DCT.
        return "DATE", _vague_at(unit), mod
    if amount is None:
        return "DATE", "PAST_REF" if direction == "ago" else "FUTURE_REF", mod
    if _unit_key(unit) in ("hour", "minute", "second"):
        return "DATE", dct.isoformat(), mod
    day = _shift(dct, amount, unit, -1 if direction == "ago" else 1)
    # "a decade ago" names a year, not the decade it falls in
    granularity = "year" if _unit_key(unit) in ("decade", "century", "millennium") else unit
    return "DATE", _at_granularity(day, granularity), mod


def _rule_relative(t: str, dct: date, tense: Tense) -> Normalised | None:
    """``last week``, ``next year``, ``this month``, ``last fall``, ``the weekend``."""
    # "up from $2 billion the previous year": a date anchored to the story, not a duration.
    t = re.sub(r"^the (current|previous|following|preceding|prior) ", r"\1 ", t)
    m = re.fullmatch(
        r"(last|next|this|past|coming|previous|following|preceding|prior|current|the)"
        r" (week|month|year|decade|century|weekend|quarter|spring|summer|fall|autumn|winter)",
        t,
    )
    if not m:
        return None
    which, unit = m.groups()
    if which in ("previous", "following", "preceding", "prior"):
        # "the following week" is anchored to the story, not to the DCT.
        return "DATE", _vague_at(unit) if unit in _UNITS else "XXXX", None
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit in _SEASONS:
        code = _SEASONS[unit]
        cur = _season_index(dct)
        target = _SEASON_ORDER.index(code)
        if which == "the":
            step = -1 if tense == "past" else (1 if tense == "future" else 0)
        if step == 0:
            if which in ("this", "current") or tense is None:
                return "DATE", f"{dct.year:04d}-{code}", None
        idx = cur + (0 if step >= 0 else -1)
        if step >= 0:
            idx = cur if step == 0 else cur + 1
            while idx % 4 != target:
                idx += 1
        else:
            while idx % 4 != target:
                idx -= 1
        return "DATE", _season_value(idx), None
    if unit == "weekend":
        if which == "the":
            step = -1 if tense == "past" else 0
        if dct.weekday() >= 5:
            sat = dct + relativedelta(weekday=SA(-1))
        else:
            sat = dct + relativedelta(weekday=SA(+1))
            if step < 0:
                sat -= timedelta(days=7)
                step = 0
        return "DATE", _weekend(sat + timedelta(days=7 * step)), None
    if which == "the":
        return None  # "the year", "the month": not placed by themselves
    if unit == "week":
        return "DATE", _iso_week(dct + timedelta(weeks=step)), None
    if unit == "month":
        d = dct + relativedelta(months=step)
        return "DATE", f"{d.year:04d}-{d.month:02d}", None
    if unit == "year":
        return "DATE", f"{dct.year + step:04d}", None
    if unit == "quarter":
        d = dct + relativedelta(months=3 * step)
        return "DATE", f"{d.year:04d}-Q{_quarter(d)}", None
    if unit == "decade":
        return "DATE", f"{dct.year // 10 + step:03d}", None
    return "DATE", f"{dct.year // 100 + step:02d}", None


def _rule_duration(t: str, dct: date, tense: Tense) -> Normalised | None:
    """``four years``, ``the next five years``, ``several weeks``, ``weeks``, ``a year and a half``."""
    m = re.fullmatch(
        rf"(?:({_AMOUNT_MOD_RE}) )?(?:the (?:(?:past|last|next|coming|first|final|previous|following|"
        rf"initial|remaining|same) )?|(?:past|coming) )?(?:({_NUMBER_RE}|{_VAGUE_RE}) )?({_UNIT_RE})"
        r"( and a half)?(?: long)?",
        t,
    )
    if not m:
        return None
    mod = _AMOUNT_MODS.get(m.group(1) or "")
    number, unit = m.group(2), m.group(3)
    plural = unit.endswith("s") or unit in ("centuries", "millennia")
    if number is None:
        # Singular unit without a number: "the past year" is one year, "year" alone is nothing.
        if plural:
            amount = None
        elif re.search(r"\b(?:past|last|next|coming|previous|following)\b", t):
            amount = 1.0
        else:
            return None
    else:
        amount = _number(number)
    if amount is not None and m.group(4):
        amount += 0.5
    return "DURATION", _duration(amount, unit), mod


def _rule_adjectival(t: str, dct: date, tense: Tense) -> Normalised | None:
    """Age-like and length adjectives: ``3-1/2-year-old``, ``six-week``, ``decade-long``."""
    m = re.fullmatch(rf"(?:({_AMOUNT_MOD_RE}) )?(?:({_NUMBER_RE}|{_VAGUE_RE})-)?({_UNIT_RE})(?:-| )?(old|long)?", t)
    if not m or (m.group(2) is None and m.group(4) is None):
        return None
    mod = _AMOUNT_MODS.get(m.group(1) or "")
    unit = m.group(3)
    if m.group(2) is None:
        amount = None if unit.endswith("s") else 1.0  # "decades-long" vs "year-long"
    else:
        amount = _number(m.group(2))
    return "DURATION", _duration(amount, unit), mod


def _rule_age(t: str, dct: date, tense: Tense) -> Normalised | None:
    """``over the age of 50`` → DURATION P50Y MORE_THAN; ``50 years old``."""
    m = re.fullmatch(
        rf"(?:({_AMOUNT_MOD_RE}|above|below) )?(?:the )?(?:age of|aged?) (\d+)|({_NUMBER_RE}) years? old", t
    )
    if not m:
        return None
    mod = {"above": "MORE_THAN", "below": "LESS_THAN"}.get(m.group(1) or "") or _AMOUNT_MODS.get(m.group(1) or "")
    amount = _number(m.group(2) or m.group(3))
    return "DURATION", _duration(amount, "year"), mod


def _rule_absolute(t: str, dct: date, tense: Tense) -> Normalised | None:
    """Calendar dates written out: ``7 october, 2023``, ``march 2020``, ``aug 13 2025``, ``2019``."""
    t = re.sub(rf"^(?:{_WEEKDAY_RE}),? (?=\S*\d|{_MONTH_RE})", "", t)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(rf"({_MONTH_RE}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?", t) or re.fullmatch(
        rf"(?:the )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH_RE}),?(?: (\d{{4}}))?", t
    )
    if m:
        groups = m.groups()
        month_word, day = (groups[0], groups[1]) if not groups[0][0].isdigit() else (groups[1], groups[0])
        month = _MONTHS.month(month_word.rstrip("."))
        if month is None:
            return None
        day_n = int(day)
        year = int(groups[2]) if groups[2] else _pick_year(month, day_n, dct, tense)
        return _ymd(year, month, day_n)
    m = re.fullmatch(rf"({_MONTH_RE}),? (?:of )?(?:(\d{{4}})|(this|last|next) year)", t)
    if m:
        month = _MONTHS.month(m.group(1).rstrip("."))
        if month is None:
            return None
        year = int(m.group(2)) if m.group(2) else dct.year + {"this": 0, "last": -1, "next": 1}[m.group(3)]
        return "DATE", f"{year:04d}-{month:02d}", None
    m = re.fullmatch(rf"(?:(last|next|this) )?({_MONTH_RE})", t)
    if m:
        month = _MONTHS.month(m.group(2).rstrip("."))
        if month is None:
            return None
        which = m.group(1)
        if which == "last":
            year = dct.year if month < dct.month else dct.year - 1
        elif which == "next":
            year = dct.year if month > dct.month else dct.year + 1
        elif which == "this":
            year = dct.year
        else:
            # Compare whole months: "in October" said in October is this October.
            year = _pick_year(month, dct.day if month == dct.month else 1, dct, tense)
        return "DATE", f"{year:04d}-{month:02d}", None
    m = re.fullmatch(r"(?:the )?(?:year )?(?:fiscal )?(1[5-9]\d\d|20\d\d)", t)
    if m:
        return "DATE", m.group(1), None
    m = re.fullmatch(rf"(?:the )?(?:({_SEASON_RE}) (?:of )?)(1[5-9]\d\d|20\d\d)", t)
    if m:
        return "DATE", f"{m.group(2)}-{_SEASONS[m.group(1)]}", None
    m = re.fullmatch(rf"(?:the )?({_SEASON_RE})", t)
    if m:
        return _rule_relative(f"the {m.group(1)}", dct, tense)
    return None


_SEASON_RE = r"spring|summer|fall|autumn|winter"


def _ymd(year: int, month: int, day: int) -> Normalised | None:
    try:
        return "DATE", date(year, month, day).isoformat(), None
    except ValueError:
        return "DATE", f"{year:04d}-{month:02d}-XX", None


def _rule_period(t: str, dct: date, tense: Tense) -> Normalised | None:
    """Decades, centuries, quarters and halves: ``the 1990s`` → ``199``, ``the 20th century`` → ``19``."""
    m = re.fullmatch(r"(?:the )?(\d{3})0'?s", t) or re.fullmatch(r"(?:the )?'(\d)0s", t)
    if m:
        digits = m.group(1)
        return "DATE", digits if len(digits) == 3 else f"19{digits}", None
    m = re.fullmatch(rf"(?:the )?({_alt(list(_DECADE_WORDS))})", t)
    if m:
        return "DATE", f"19{_DECADE_WORDS[m.group(1)]}", None
    m = re.fullmatch(
        rf"(?:the )?(\d{{1,2}})(?:st|nd|rd|th)[- ]century|(?:the )?({_alt(list(_CENTURY_WORDS))}) century", t
    )
    if m:
        n = int(m.group(1)) if m.group(1) else _CENTURY_WORDS[m.group(2)]
        return "DATE", f"{n - 1:02d}", None
    m = re.fullmatch(
        r"(?:the )?(?:(first|second|third|fourth|final|last|1st|2nd|3rd|4th)[- ]quarter|q([1-4]))"
        r"(?:,? (?:of )?(?:(1[5-9]\d\d|20\d\d)|(this|last|next) year|the year))?",
        t,
    )
    if m:
        q = _ORDINALS[m.group(1)] if m.group(1) else int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
        elif m.group(4):
            year = dct.year + {"this": 0, "last": -1, "next": 1}[m.group(4)]
        else:
            # The latest such quarter unless the clause looks ahead.
            year = dct.year - 1 if tense != "future" and q > _quarter(dct) else dct.year
        return "DATE", f"{year:04d}-Q{q}", None
    m = re.fullmatch(r"q([1-4]) fy ?'?(\d{4}|\d{2})", t)
    if m:
        # A fiscal quarter is written with its fiscal-year label (schema has no FY values).
        year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
        return "DATE", f"{year:04d}-Q{m.group(1)}", None
    m = re.fullmatch(rf"(?:the )?({_MONTH_RE}) quarter", t)
    if m and (month := _MONTHS.month(m.group(1).rstrip("."))) in (3, 6, 9, 12):
        # "the June quarter": the calendar quarter that ends in that month.
        return _rule_period(f"q{month // 3}", dct, tense)
    m = re.fullmatch(r"(?:the )?(first|second) half of (?:(1[5-9]\d\d|20\d\d)|(this|last|next) year|the year)", t)
    if m:
        year = int(m.group(2)) if m.group(2) else dct.year + {"this": 0, "last": -1, "next": 1, None: 0}[m.group(3)]
        return "DATE", f"{year:04d}-H{1 if m.group(1) == 'first' else 2}", None
    return None


def _quarter_index(value: str) -> int | None:
    """A running index of quarters (4 per year) for a ``YYYY-Qn`` value, else None."""
    m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    return int(m.group(1)) * 4 + int(m.group(2)) - 1 if m else None


def _quarter_value(index: int) -> str:
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def _reported_quarter(dct: date) -> int:
    """The quarter a results story most likely reports on, as a running index.

    Companies report a quarter in the weeks after it ends, so in the first two
    months of a quarter "the quarter" (with a past verb) is the one just ended.
    """
    current = dct.year * 4 + _quarter(dct) - 1
    return current - 1 if (dct.month - 1) % 3 < 2 else current


# Quarters and periods named relative to the story's own period: "the quarter",
# "the same quarter last year", "the year-ago quarter", "the previous quarter",
# "this quarter" (see _quarter_reference).
_QUARTER_REF = re.compile(
    r"(?:(?P<this>this)|the (?P<which>same|corresponding|comparable|previous|prior|preceding|"
    r"year-ago|year-earlier|prior-year|year-before)?) ?(?P<unit>quarter|period)"
    r"(?: (?:of |in )?(?:(?P<ago>last year|(?:the )?(?:previous|prior) year|a year (?:ago|earlier|before)"
    r"|the year before)|(?P<year>\d{4})))?"
)


def _quarter_reference(t: str, dct: date, tense: Tense, focus: str | None) -> str | None:
    """The value of a quarter named relative to the story's period, or None.

    Args:
        t: the cleaned expression (``the same quarter last year``).
        dct: the document creation date.
        tense: the tense of its clause.
        focus: the value of the period the story is about (the nearest
            explicitly dated quarter or half, ``2024-Q2``), if known.
    """
    m = _QUARTER_REF.fullmatch(t)
    if not m:
        return None
    which, unit = m.group("which"), m.group("unit")
    year_back = bool(m.group("ago")) or which in ("year-ago", "year-earlier", "prior-year", "year-before")
    if unit == "period" and not (year_back or m.group("year")):
        return None  # "the period", "the same period": no calendar anchor of their own
    current = dct.year * 4 + _quarter(dct) - 1
    focus_q = _quarter_index(focus) if focus else None
    if m.group("this"):
        if unit != "quarter" or year_back or m.group("year"):
            return None
        # "This quarter was a turning point", said while reporting the quarter just ended.
        if focus_q in (current - 1, current) and tense != "future":
            return _quarter_value(focus_q)
        return _quarter_value(current)
    if unit == "period" and focus and re.fullmatch(r"\d{4}-H[12]", focus):
        year = int(m.group("year")) if m.group("year") else int(focus[:4]) - 1
        return f"{year:04d}{focus[4:]}"
    if focus_q is not None:
        base = focus_q
    elif unit == "period":
        return f"{int(m.group('year') or dct.year - 1):04d}"
    elif which in ("previous", "prior", "preceding"):
        base = current  # "the previous quarter" with no story quarter: the one before this
    else:
        base = _reported_quarter(dct) if tense == "past" or year_back else current
    if which in ("previous", "prior", "preceding"):
        base -= 1
    if m.group("year"):
        base = int(m.group("year")) * 4 + base % 4
    elif year_back:
        base -= 4
    return _quarter_value(base)


def _rule_quarter_ref(t: str, dct: date, tense: Tense) -> Normalised | None:
    """``the quarter``, ``the same quarter last year``, ``this quarter`` (no story context)."""
    value = _quarter_reference(t, dct, tense, None)
    return None if value is None else ("DATE", value, None)


def _rule_quarter_count(t: str, dct: date, tense: Tense) -> Normalised | None:
    """``nine quarters``, ``the past two quarters``: DURATION in months (no quarter unit in TIMEX3)."""
    m = re.fullmatch(
        rf"(?:({_AMOUNT_MOD_RE}) )?(?:the (?:past|last|next|previous|coming|first) )?({_NUMBER_RE})"
        r"(?: (?:straight|consecutive|successive))? quarters",
        t,
    )
    if not m or (amount := _number(m.group(2))) is None:
        return None
    return "DURATION", _duration(amount * 3, "month"), _AMOUNT_MODS.get(m.group(1) or "")


def _rule_quarter_ended(t: str, dct: date, tense: Tense) -> Normalised | None:
    """``the quarter ended March 31`` → the calendar quarter that ends on that date (``2022-Q1``).

    A numbered quarter that ends in another month is a fiscal quarter: like
    ``Q1 FY26`` it is written with its number and the year it ends in (``the
    third quarter ended May 31, 2024`` → ``2024-Q3``). An unnumbered one is
    left to be annotated in parts.
    """
    m = re.fullmatch(r"(?:the )?(?:(first|second|third|fourth) )?quarter (ended|ending|to|through) (?:in )?(.+)", t)
    if not m:
        return None
    end = _rule_absolute(m.group(3), dct, "past" if m.group(2) == "ended" else tense)
    if end is None or not re.match(r"\d{4}-\d\d", end[1]):
        return None
    month = int(end[1][5:7])
    if month % 3 == 0:
        return "DATE", f"{end[1][:4]}-Q{month // 3}", None
    if m.group(1):
        return "DATE", f"{end[1][:4]}-Q{_ORDINALS[m.group(1)]}", None
    return None


def _rule_fiscal(t: str, dct: date, tense: Tense) -> Normalised | None:
    """Fiscal and reporting years and season labels: ``full-year 2024``, ``FY25``, ``the 2023-24 season``.

    A label over two consecutive years (a sports season, an Indian fiscal year)
    has no TIMEX3 range value; it is written as the year it starts in.
    """
    m = re.fullmatch(
        r"(?:the )?(?:(?:full[- ]year|fiscal(?: year)?|calendar(?: year)?|financial year|fy) ?)?"
        r"'?(\d{4}|\d{2})(?:[-/](\d{4}|\d{2}))?( season)?",
        t,
    )
    if not m or (len(m.group(1)) == 2 and "fy" not in t):
        return None
    if re.fullmatch(r"(?:the )?\d{4}", t):
        return None  # a bare year is left to the calendar rules
    start = int(m.group(1)) + (2000 if len(m.group(1)) == 2 else 0)
    if not 1500 <= start <= 2099:
        return None
    if m.group(2):
        end = int(m.group(2))
        if (end if len(m.group(2)) == 4 else end + (start + 1) // 100 * 100) != start + 1:
            return None  # "2019-23": a range of years, not one season
    return "DATE", f"{start:04d}", None


def _rule_holiday(t: str, dct: date, tense: Tense) -> Normalised | None:
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
             "valentine's day": (2, 14)}  # fmt: skip
    if t in fixed:
        month, day = fixed[t]
        return _ymd(_pick_year(month, day, dct, tense), month, day)
    movable: dict[str, Callable[[int], date]] = {
        "easter": easter,
        "easter sunday": easter,
        "thanksgiving": lambda y: date(y, 11, 1) + relativedelta(weekday=TH(+4)),
    }
    if t in movable:
        this_year = movable[t](dct.year)
        year = dct.year
        if tense == "past" and this_year > dct:
            year -= 1
        elif tense == "future" and this_year < dct:
            year += 1
        return "DATE", movable[t](year).isoformat(), None
    return None


def _rule_modified(t: str, dct: date, tense: Tense) -> Normalised | None:
    """A date with a position modifier (``early next year``, ``the end of 2024``) or an amount modifier."""
    m = re.fullmatch(rf"({_POSITION_MOD_RE})(.+)", t)
    if m:
        word = m.group(1).strip().rstrip("-").strip()
        rest = m.group(2).strip()
        # "the end of the year": the period around the DCT.
        rest = re.sub(r"^the (week|month|year|decade|century)$", r"this \1", rest)
        inner = _normalise(rest, dct, tense)
        if inner is None or inner[0] not in ("DATE", "TIME"):
            return None
        mod = _POSITION_MODS.get(word, _POSITION_MODS.get(word.removeprefix("the ")))
        return inner[0], inner[1], mod
    m = re.fullmatch(rf"({_AMOUNT_MOD_RE}) (.+)", t)
    if m:
        inner = _normalise(m.group(2), dct, tense)
        if inner is None or inner[0] not in ("DURATION", "DATE", "TIME"):
            return None
        if inner[0] == "TIME":
            # "about 6:50 p.m.": only an approximator belongs to a clock time's extent.
            return ("TIME", inner[1], "APPROX") if _AMOUNT_MODS[m.group(1)] == "APPROX" else None
        mod = _AMOUNT_MODS[m.group(1)] if inner[0] == "DURATION" else {
            "MORE_THAN": "AFTER", "LESS_THAN": None, "APPROX": "APPROX"
        }.get(_AMOUNT_MODS[m.group(1)])  # fmt: skip
        return inner[0], inner[1], mod
    m = re.fullmatch(r"(?:earlier|later) (this|last|next) (week|month|year|decade)", t)
    if m:
        return _rule_relative(f"{m.group(1)} {m.group(2)}", dct, tense)
    return None


_RULES: tuple[Callable[[str, date, Tense], Normalised | None], ...] = (
    _rule_vague,
    _rule_set,
    _rule_day,
    _rule_time,
    _rule_ago,
    _rule_quarter_ref,
    _rule_quarter_count,
    _rule_quarter_ended,
    _rule_fiscal,
    _rule_relative,
    _rule_absolute,
    _rule_period,
    _rule_age,
    _rule_duration,
    _rule_adjectival,
    _rule_holiday,
    _rule_modified,
)


# --------------------------------------------------------------------------
# Tense of the clause around an expression
# --------------------------------------------------------------------------


def tense_of(span: Span) -> Tense:
    """Past, present or future of the clause that governs ``span``.

    Climbs the dependency tree from the span's root to the first finite verb,
    watching on the way for cues of a planned event (``scheduled to``,
    ``upcoming talks``, ``will``, ``expects the storm to``). A present-tense
    reporting verb (``says`` in a headline) reports something past next to a
    weekday; next to a calendar date (``reports results on Feb. 5``) it is
    read as any present tense, since a results calendar uses it for the future.

    A present tense is then refined, because news mostly reports the past:
    an incident noun (``an incident on Sept. 1``, ``the Sept. 1 attack``) or a
    past ``when`` clause on the date make it past; a verb of schedules
    (``takes effect``, ``begins``) leaves the direction open (None), since a
    headline uses the same present tense for what already happened.
    """
    tense, verb = _verb_tense(span)
    if (
        tense == "past"
        and verb is not None
        and verb.tag_ in ("VBZ", "VBP")
        and verb.lemma_.lower() in _REPORTING
        and not re.search(_WEEKDAY_RE, span.text.lower())
    ):
        tense = "present"
    if tense == "future" or tense == "past":
        return tense
    if _past_event_cue(span):
        return "past"
    if tense == "present" and verb is not None and verb.lemma_.lower() in _SCHEDULE_VERBS:
        return None
    return tense


def _verb_tense(span: Span) -> tuple[Tense, Token | None]:
    """The tense read off the governing verb, and that verb (None when none was found)."""
    # "said on Monday it would ...": news style puts the day of the statement right
    # after the reporting verb, whatever the parser attaches it to.
    i = span.start - 1
    if i >= 0 and span.doc[i].lower_ in ("on", "late", "early", "earlier", "later"):
        i -= 1
    if i >= 0 and span.doc[i].lemma_.lower() in _REPORTING and span.doc[i].tag_ in ("VBD", "VBZ", "VBP", "VBN"):
        return "past", span.doc[i]
    tok = span.root
    for _ in range(12):
        head = tok.head
        if head is tok:
            break
        tok = head
        lemma = tok.lemma_.lower()
        children = list(tok.children)
        if any(c.dep_ == "amod" and c.lemma_.lower() in _FUTURE_CUES for c in children):
            return "future", tok
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        auxes = [c for c in children if c.dep_ in ("aux", "auxpass")]
        aux_lemmas = {a.lemma_.lower() for a in auxes}
        if aux_lemmas & {"will", "shall", "would", "'ll", "wo"}:
            return "future", tok
        if (
            lemma in _FUTURE_CUES
            and (tok.tag_ == "VBN" or any(c.dep_ == "xcomp" or _is_to_infinitive(c) for c in children))
            # "initially scheduled for May 3" tells of a plan that changed
            and not any(c.lemma_.lower() in ("initially", "originally", "previously") for c in children)
        ):
            return "future", tok
        if any(c.dep_ == "acomp" and c.lemma_.lower() in _FUTURE_CUES for c in children):
            return "future", tok
        if lemma == "go" and tok.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in children):
            return "future", tok
        finite = [a for a in auxes if a.tag_ in ("VBD", "VBZ", "VBP", "MD")]
        if finite:
            if any(a.lemma_.lower() == "have" for a in finite) or finite[0].tag_ == "VBD":
                return "past", tok
            return ("past" if lemma in _REPORTING else "present"), tok
        if tok.tag_ == "VBD":
            return "past", tok
        if tok.tag_ in ("VBZ", "VBP"):
            return ("past" if lemma in _REPORTING else "present"), tok
        # VB / VBN / VBG without auxiliary: an infinitive or participle; keep climbing.
    return None, None


def _is_to_infinitive(tok: Token) -> bool:
    """Whether ``tok`` heads a ``to``-infinitive clause (``expects the storm to move``)."""
    return (
        tok.dep_ in ("ccomp", "xcomp")
        and tok.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    )


def _past_event_cue(span: Span) -> bool:
    """Whether the date is that of an incident the story reports.

    ``an incident at about 6:50 p.m. on Sept. 1``, ``the Sept. 1 shooting``,
    ``Sept. 1, when police were dispatched``: an incident noun near the date
    (before it in its phrase, or the noun the date modifies) or a past ``when``
    clause hung on it. The parser often attaches such dates to the main verb,
    so the words around the date are read as well as the tree.
    """
    doc = span.doc
    sent_start = span.sent.start if doc.has_annotation("SENT_START") else 0
    # The nouns the date modifies ("the Sept. 1 attack", "the attack on Sept. 1").
    tok = span.root
    for _ in range(3):
        if tok.head is tok or tok.head.pos_ in ("VERB", "AUX"):
            break
        tok = tok.head
        if tok.lemma_.lower() in _INCIDENT_NOUNS:
            return True
    # An incident noun shortly before the date, inside the same clause.
    for i in range(span.start - 1, max(sent_start, span.start - 9) - 1, -1):
        word = doc[i]
        if word.tag_ in ("VBD", "VBZ", "VBP", "MD") or word.lower_ in (";", "that", "which", "who"):
            break
        if word.lemma_.lower() in _INCIDENT_NOUNS and word.pos_ == "NOUN":
            return True
    # "Sept. 1, when police were dispatched ..."
    j = span.end
    if j < len(doc) and doc[j].text == ",":
        j += 1
    if j < len(doc) and doc[j].lower_ == "when":
        verb = doc[j].head
        if verb.tag_ == "VBD" or any(c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in verb.children):
            return True
    return False


def normalise(span: Span, dct: date) -> Normalised | None:
    """TIMEX3 ``(type, value, mod)`` of a spaCy span, using its clause's tense."""
    return normalise_text(span.text, dct, tense_of(span))


# --------------------------------------------------------------------------
# Recognition
# --------------------------------------------------------------------------

_CAP_WEEKDAY = r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY)"
_CAP_MONTH = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_AMOUNT_PREFIX = rf"(?:(?:{_AMOUNT_MOD_RE})\s+)?"
_POSITION_PREFIX = (
    r"(?:(?:(?:the\s+)?(?:early|late|mid)(?:-|\s+)|(?:the\s+)?(?:middle|end|beginning|start)\s+of\s+"
    r"|(?:earlier|later)\s+)?)"
)
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# Approximators that belong to a clock time's extent (``about 6:50 p.m.``, mod APPROX).
_CLOCK_APPROX = r"(?:about|around|approximately|roughly)"
_SP = r"\s+"


def _compile(entry: str | tuple[str, str]) -> tuple[regex.Pattern[str], regex.Pattern[str] | None]:
    """A recognition pattern and its guard (None: none), both case-insensitive.

    Compiled by the ``regex`` module (``re``-compatible in its VERSION0 mode): these
    patterns open with long case-insensitive alternations, which ``re`` tries one by
    one at every word boundary; ``regex`` scans the same texts in about 40% less time
    and finds the same matches (tests/test_timex.py compares the two on real texts).
    """
    pattern, guard = (entry, None) if isinstance(entry, str) else entry
    flags = regex.IGNORECASE | regex.VERSION0
    return regex.compile(pattern, flags), regex.compile(guard, flags) if guard else None


# Each entry is a pattern or (pattern, guard). A guard is a part of its pattern that every
# match contains, without the optional words the pattern opens with: the regex engine
# tries those alternations at every word boundary of the text, while a guard starts with
# a fixed character and is found, or ruled out, by a fast scan. So the costliest patterns
# whose key part is rare skip the texts that do not have it (tests/test_timex.py checks
# that every match contains its guard).
_PATTERNS: tuple[tuple[regex.Pattern[str], regex.Pattern[str] | None], ...] = tuple(
    _compile(p)
    for p in (
        # weekdays, with determiner and part of day
        rf"\b(?:(?:last|next|this|coming)\s+)?{_CAP_WEEKDAY}(?:\s+{_PART_RE})?\b",
        # today, tonight, yesterday afternoon, this morning, last night
        rf"\b(?:(?:today|tonight|yesterday|tomorrow)(?:\s+{_PART_RE})?|this\s+(?:morning|afternoon|evening)|last\s+night)\b",
        # relative units: last week, next month, this year, earlier this year, the weekend
        rf"\b{_POSITION_PREFIX}(?:last|next|this|coming|(?:the\s+)?current)\s+(?:week|month|year|decade|century|weekend|quarter|spring|summer|fall|autumn|winter)\b",
        r"\b(?:the\s+)?weekend\b",
        r"\b(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the|this|next|last)\s+(?:week|month|year|decade|century)\b",
        # durations: (more than) (the past) three years (ago|from now), a year and a half
        rf"\b{_AMOUNT_PREFIX}(?:the\s+(?:(?:past|last|next|coming|first|final|previous|initial|remaining)\s+)?)?"
        rf"(?:{_NUMBER_RE}|{_VAGUE_RE})\s+{_UNIT_RE}(?:\s+and\s+a\s+half)?(?:\s+(?:ago|from\s+now|earlier|later))?\b",
        rf"\bthe\s+(?:past|last|next|coming|previous)\s+{_UNIT_RE}\b",
        r"\b(?:recent\s+)?(?:years|months|weeks|days|decades|hours)(?:\s+ago)?\b",
        # adjectival lengths and ages: 3-1/2-year-old, six-week, decade-long
        (rf"\b(?:{_NUMBER_RE}|{_VAGUE_RE})-{_UNIT_RE}(?:-(?:old|long))?\b", rf"-{_UNIT_RE}"),
        rf"\b{_UNIT_RE}-?long\b",
        (rf"\b(?:(?:{_AMOUNT_MOD_RE}|above|below)\s+)?the\s+age\s+of\s+\d+\b", r"age\s+of\s+\d"),
        r"\b\d+\s+years?\s+old\b",
        # calendar dates: 7 October, 2023; Aug 13 2025; March 2020; mid-2024; in 2019
        rf"(?<![\w.]){_POSITION_PREFIX}(?:{_CAP_WEEKDAY},?\s+)?{_CAP_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?",
        (
            rf"\b{_POSITION_PREFIX}(?:{_CAP_WEEKDAY},?\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_CAP_MONTH}(?:,?\s+{_YEAR}\b)?",
            rf"\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_CAP_MONTH}",
        ),
        rf"\b{_POSITION_PREFIX}{_CAP_MONTH},?\s+(?:of\s+)?{_YEAR}\b",
        rf"\b(?:in|by|on|of|since|until|till|from|to|through|before|after|during)\s+{_POSITION_PREFIX}{_CAP_MONTH}(?![\w-])",
        rf"\b(?:last|next|this)\s+{_CAP_MONTH}(?![\w-])",
        rf"\b(?:early|late|mid)-?\s*{_YEAR}\b",
        rf"\b(?:in|since|by|until|from|before|after|during|of|through|throughout|to|and|between)\s+{_YEAR}\b(?![-/%]\d|\s*%)",
        r"\b\d{4}-\d{2}-\d{2}\b",
        (rf"\b(?:the\s+)?{_POSITION_PREFIX}(?:\d{{3}}0'?s|'\d0s)(?!\w)", r"\d0'?s"),
        (rf"\b(?:the\s+)?{_POSITION_PREFIX}\d{{1,2}}(?:st|nd|rd|th)\s+century\b", r"\d(?:st|nd|rd|th)\s+century"),
        r"\b\d{1,2}(?:st|nd|rd|th)-century\b",
        r"\b(?:first|second|third|fourth)-quarter\b",
        # reporting periods: Q2, Q3 2024, full-year 2024, FY25, and season labels 2023-24
        rf"\b(?-i:Q[1-4])(?:\s+{_YEAR}|\s+(?-i:FY)\s?'?(?:\d{{4}}|\d{{2}}))?\b",
        rf"\b(?:the\s+)?{_CAP_MONTH}\s+quarter\b",
        rf"\b(?:full[-\s]year|fiscal(?:[-\s]year)?|calendar(?:[-\s]year)?|financial\s+year)\s+{_YEAR}(?:[-/]\d\d(?:\d\d)?)?\b",
        r"\b(?-i:FY)\s?'?(?:\d{4}|\d{2})(?:[-/]\d{2}(?:\d{2})?)?\b",
        rf"\b{_YEAR}[-–/](?:\d{{2}}|{_YEAR})\b(?![-–/]\d)",
        rf"\b(?:the\s+)?{_YEAR}(?:[-–/](?:\d{{2}}|{_YEAR}))?\s+season\b",
        # quarters named from the story's own quarter: the quarter, the same quarter last year
        r"\b(?:the\s+)?(?:same|corresponding|comparable|year-ago|year-earlier|prior-year|year-before)\s+"
        r"(?:quarter|period)(?:\s+(?:of\s+|in\s+)?(?:last\s+year|(?:the\s+)?(?:previous|prior)\s+year"
        rf"|a\s+year\s+(?:ago|earlier|before)|the\s+year\s+before|{_YEAR}))?\b",
        r"\bthe\s+(?:previous|prior|preceding)\s+quarter\b",
        rf"\b(?:the\s+)?(?:(?:first|second|third|fourth)\s+)?quarter\s+(?:ended|ending|to|through)\s+(?:in\s+)?"
        rf"(?:{_CAP_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?|\d{{1,2}}\s+{_CAP_MONTH})(?:,?\s+{_YEAR})?\b",
        r"\bthe\s+quarter\b(?![-\w]|\s+(?:of|point|percentage|mile|century)\b)",
        (
            rf"\b{_AMOUNT_PREFIX}(?:the\s+(?:past|last|next|previous|coming|first)\s+)?{_NUMBER_RE}"
            r"(?:\s+(?:straight|consecutive|successive))?\s+quarters\b(?![-\w]|\s+of\b)",
            r"quarters",
        ),
        rf"\b(?:the\s+)?(?:first|second|third|fourth|final)\s+quarter(?:\s+of\s+(?:{_YEAR}|(?:this|last|next)\s+year))?\b",
        rf"\b(?:the\s+)?(?:first|second)\s+half\s+of\s+(?:{_YEAR}|(?:this|last|next)\s+year)\b",
        rf"\b(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?{_YEAR}\b",
        # clock times: 8:04 AM IST, 0823 GMT, 3 p.m.
        (
            rf"\b(?:{_CLOCK_APPROX}\s+)?(?:\d{{1,2}}:\d{{2}}\s?(?:[ap]\.?m\.?)?|\d{{1,2}}\.\d{{2}}\s?[ap]\.?m\.?|\d{{1,2}}\s?[ap]\.m\.|\d{{1,2}}\s?[ap]m\b)(?:\s?\(?(?-i:[A-Z]{{1,4}})\)?\b)?",
            r"\d(?::\d\d|\.\d\d|\s?[ap]\.?m)",
        ),
        r"\b[0-2]\d[0-5]\d\s+(?:hrs\s+)?(?-i:GMT|UTC|Z)\b",
        r"\b(?:noon|midnight)\b",
        # vague references
        r"\b(?:now|currently|nowadays|recently|lately|these\s+days)\b(?![-\w])",
        r"\bthe\s+(?:near\s+|foreseeable\s+)?future\b",
        r"(?<=\bin\s)the\s+past\b(?!\s+(?:few|several|\d|two|three|four|five|year|month|week|day|decade))",
        # recurrences
        rf"\b(?:every|each)\s+(?:other\s+)?(?:{_NUMBER_RE}\s+)?(?:{_UNIT_RE}|{_CAP_WEEKDAY}|quarter)\b",
        r"\b(?:annually|yearly|per\s+annum)\b",
    )
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop prepositions and focus adverbs on the left and possessives/punctuation on the right."""
    while True:
        m = re.match(r"([\w']+)\s+", text[start:end])
        if not m or m.end() >= end - start:
            break
        word = m.group(1).lower()
        rest = text[start + m.end() : end].lower()
        if word in _LEFT_TRIM or (word in ("later", "earlier") and rest.split(" ", 1)[0] in _LEFT_TRIM):
            start += m.end()
        elif word == "over" and rest.startswith("the ") and not rest.startswith("the age"):
            start += m.end()
        else:
            break
    while end > start and text[end - 1] in " ,.;:)’'\"”":
        if text[end - 1] == "." and re.search(r"\b[ap]\.m\.$", text[start:end], re.I):
            break  # the full stop of "p.m." belongs to the time
        end -= 1
    for suffix in ("'s", "’s"):
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    return start, end


def _is_quantity_rate(text: str, start: int) -> bool:
    """Whether ``a year`` at ``start`` follows an amount (``$5 billion a year``): a SET."""
    before = text[max(0, start - 40) : start].rstrip().lower()
    return bool(
        re.search(
            r"(?:\d|million|billion|trillion|thousand|hundred|times|once|twice|percent|%|barrels|tons|tonnes)$", before
        )
    )


_Candidate = tuple[int, int, str, str, str | None]  # start, end, type, value, mod


def _candidate(doc: Doc, text: str, start: int, end: int, dct: date) -> _Candidate | None:
    """The trimmed, normalised TIMEX3 candidate at ``[start, end)`` of ``text`` (``doc.text``), or None.

    ``text`` is passed in because ``Doc.text`` rebuilds the string from every token on each access.
    """
    start, end = _trim(text, start, end)
    if end <= start:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span) > 1 and span[0].lower_ in ("over", "under") and span[0].dep_ == "prep":
        if not span[1:].text.lower().startswith("the age"):
            # "take place over two days": a preposition, not "more than"
            start, span = span[1].idx, span[1:]
    surface = text[start:end]
    if re.fullmatch(r"(?i)(?:years|months|weeks|days|decades|hours)", surface) and re.search(
        r"(?i)\b(?:the|these|those|his|her|their|its|our|my|your)\s+$", text[max(0, start - 8) : start]
    ):
        return None  # "the years of militant fraternity", "over the years": not measured
    if re.fullmatch(r"(?i)(?:an?|per) (?:year|month|week|day)", surface) and _is_quantity_rate(text, start):
        return start, end, "SET", _duration(1.0, surface.split()[-1].lower()), None
    tense = tense_of(span) if span is not None and len(span) else None
    result = normalise_text(surface, dct, tense)
    if result is not None and "quarter" in surface.lower() and not re.search(r"\d{4}", surface) and _in_game(span):
        return None  # "scored 15 points in the third quarter": a period of play, not of the calendar
    if result is not None and result[0] == "SET" and span is not None and len(span) == 1 and span[0].dep_ == "amod":
        return None  # "average daily volume", "a weekly magazine": a kind of thing, not a recurrence
    return None if result is None else (start, end, *result)


# Words found only in reports of ball games: there a quarter is a period of play.
# (Words shared with business copy, such as "rebound" or "basket", are left out.)
_GAME_WORDS = {
    "touchdown", "quarterback", "halftime", "buzzer", "interception", "fumble", "dunk", "inning",
    "layup", "3-pointer", "three-pointer", "pointer", "touchback", "timeout", "scoreboard",
}  # fmt: skip


def _in_game(span: Span | None) -> bool:
    """Whether the document of ``span`` reports a match (``scored 20 points``, ``touchdown``)."""
    if span is None or not len(span):
        return False
    return any(
        t.lower_ in _GAME_WORDS or t.lemma_.lower() in _GAME_WORDS or (t.lemma_.lower() == "score" and t.pos_ == "VERB")
        for t in span.doc
    )


# Common nouns for people that take an age in apposition ("a woman, 34, was ...").
_PERSON_NOUNS = {
    "man", "woman", "boy", "girl", "teenager", "teen", "child", "suspect", "victim", "driver",
    "officer", "mother", "father", "son", "daughter", "wife", "husband", "resident", "student",
    "worker", "passenger", "pilot", "soldier", "player", "patient", "pedestrian", "defendant",
}  # fmt: skip


def _age_appositions(doc: Doc) -> list[_Candidate]:
    """Ages set off by commas after a person: ``Brown, 29, was fired`` → DURATION ``P29Y``.

    News writes a person's age as a bare number in apposition; it is the same
    measure as ``29-year-old`` (guidelines §2, age rule). Only a number of
    at most three digits between commas right after a person's name (or a noun
    such as ``woman``) counts, so scores and list items are not taken.
    """
    out: list[_Candidate] = []
    for tok in doc[2:]:
        if not (tok.text.isdigit() and len(tok.text) <= 3 and 0 < int(tok.text) < 120):
            continue
        comma, before = doc[tok.i - 1], doc[tok.i - 2]
        after = doc[tok.i + 1].text if tok.i + 1 < len(doc) else ""
        if comma.text != "," or after not in (",", ".", ";", ")", "and", "of", "from", "who", ""):
            continue
        # The small model often tags a surname as ORG or nothing; places and dates are excluded.
        named = before.pos_ == "PROPN" and before.ent_type_ in ("PERSON", "ORG", "") and before.text[:1].isupper()
        # "A firefighter, 41, died": a number in apposition to a common noun with an article.
        described = (
            before.pos_ == "NOUN"
            and tok.dep_ == "appos"
            and any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in before.children)
        )
        if named or described or before.lemma_.lower() in _PERSON_NOUNS:
            out.append((tok.idx, tok.idx + len(tok.text), "DURATION", f"P{int(tok.text)}Y", None))
    return out


_MONEY_WORDS = {
    "revenue", "profit", "earnings", "sale", "loss", "income", "result", "growth", "dividend",
    "margin", "gdp", "economy", "output", "share", "stock", "price", "analyst", "forecast",
    "deficit", "inflation", "percent", "billion", "million", "spending", "demand", "shipment",
}  # fmt: skip


def _about_money(doc: Doc, char: int) -> bool:
    """Whether the sentence at ``char`` speaks of money or business figures."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    sent = span[0].sent
    return any(t.ent_type_ in ("MONEY", "PERCENT") or t.lemma_.lower() in _MONEY_WORDS for t in sent)


def _period_in_between(chosen: list[_Candidate], explicit: list[tuple[int, str, bool]], start: int) -> bool:
    """Whether a duration (``the nine months``) is named between the last dated quarter and ``start``."""
    last = max((s for s, _, _ in explicit if s < start), default=-1)
    return any(c[2] == "DURATION" and last < c[0] < start for c in chosen)


def _resolve_story_quarters(chosen: list[_Candidate], doc: Doc, dct: date) -> list[_Candidate]:
    """Resolve ``the quarter``, ``this quarter``, ``the same quarter last year`` against the story's quarter.

    A results story names its quarter once (``Q2``, ``the second quarter of
    2024``) and then refers back to it; the nearest explicitly dated quarter or
    half before the expression (else the first after it) is that focus. One
    dated by a year or an end date (``the quarter ended March 31``) is preferred
    to a bare ``third quarter``, whose year is only inferred (and may be fiscal).
    """
    text = doc.text
    refs = {i for i, c in enumerate(chosen) if _QUARTER_REF.fullmatch(_clean(text[c[0] : c[1]]))}
    explicit = [
        (c[0], c[3], bool(re.search(r"\d{4}|\b(?:ended|ending)\b", text[c[0] : c[1]])))
        for i, c in enumerate(chosen)
        if i not in refs and re.fullmatch(r"\d{4}-[QH][1-4]", c[3])
    ]
    if not refs:
        return chosen
    out = list(chosen)
    if not explicit:
        # With no dated quarter in the story, a bare "the quarter" is a period of
        # account only in a sentence about money ("residents of the quarter" is a place).
        keep = [
            c
            for i, c in enumerate(out)
            if i not in refs or _clean(text[c[0] : c[1]]) != "the quarter" or _about_money(doc, c[0])
        ]
        return keep
    for i in sorted(refs):
        start, end, ttype, value, mod = out[i]
        before = [(v, dated) for s, v, dated in explicit if s < start][::-1]
        after = [(v, dated) for s, v, dated in explicit if s > start]
        ranked = [v for v, dated in before if dated] + [v for v, _ in before] + [v for v, dated in after if dated]
        focus: str | None = (ranked + [v for v, _ in after])[0]
        if "period" in text[start:end] and _period_in_between(out, explicit, start):
            focus = None  # "the nine months ended March 31 ... the same period last year": not the quarter
        span = doc.char_span(start, end, alignment_mode="expand")
        tense = tense_of(span) if span is not None and len(span) else None
        resolved = _quarter_reference(_clean(text[start:end]), dct, tense, focus)
        if resolved is not None:
            out[i] = (start, end, ttype, resolved, mod)
    return out


def _vague_candidate(text: str, start: int, end: int) -> _Candidate | None:
    """A model-found expression the rules cannot resolve: keep it with a vague value.

    Only when it names a calendar unit, month, weekday or year, so that the
    statistical tagger's non-temporal guesses (``Ramadan``, ``annual``) are dropped.
    """
    start, end = _trim(text, start, end)
    t = _clean(text[start:end])
    if not t or _NOT_TEMPORAL.fullmatch(t):
        return None
    if re.search(r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b", t):
        return None  # "its fourth year", "the first day": counted from an event, not the calendar
    if re.match(r"(?:last|next|past) \w+s\b", t):
        return None  # "could last decades": the verb "last"
    if m := re.search(r"\b(years|months|weeks|days|decades|hours|minutes)\b", t):
        return start, end, "DURATION", _duration(None, m.group(1)), None
    if re.search(rf"\b(?:{_WEEKDAY_RE}|day|today|yesterday|tomorrow)\b", t):
        return start, end, "DATE", "XXXX-XX-XX", None
    if re.search(r"\bweek(?:end)?\b", t):
        return start, end, "DATE", "XXXX-WXX", None
    if re.search(rf"\b(?:month|{_MONTH_RE.removesuffix(chr(92) + '.?')})\b", t):
        return start, end, "DATE", "XXXX-XX", None
    if re.search(r"\b(?:year|quarter|season|1[5-9]\d\d|20\d\d)\b", t):
        return start, end, "DATE", "XXXX", None
    return None


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between commas and the words and/or/to."""
    pieces, cursor = [], start
    for sep in re.finditer(r"\s*(?:,|\band\b|\bor\b|\bto\b)\s*", text[start:end]):
        pieces.append((cursor, start + sep.start()))
        cursor = start + sep.end()
    pieces.append((cursor, end))
    return [(s, e) for s, e in pieces if e > s]


def _anchor_times(chosen: list[_Candidate], text: str, dct: date) -> list[_Candidate]:
    """Move a clock time that names no day onto the calendar date written next to it.

    ``on 24 October 2025 at 10:00``: the time is on that date, not on the DCT.
    """
    out = list(chosen)
    for i, (s, e, ty, value, mod) in enumerate(out):
        if (
            ty != "TIME"
            or not value.startswith(f"{dct.isoformat()}T")
            or not re.match(rf"(?:{_CLOCK_APPROX} )?(?:\d|noon|midday|midnight)", text[s:e].lower())
        ):
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(out):
                continue
            s2, e2, ty2, value2, _ = out[j]
            gap = text[e2:s] if j < i else text[e:s2]
            if (
                ty2 == "DATE"
                and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value2)
                and re.fullmatch(r"[\s,]*(?:(?:at|on|local time|,)\s*)*", gap)
            ):
                out[i] = (s, e, ty, value2 + value[len(dct.isoformat()) :], mod)
                break
    return out


class TimexAnnotator(Annotator):
    """TIMEX3 temporal expressions, resolved against the article's publication date."""

    layer = "timexes"
    name = TIMEX
    requires = ()

    def annotate(self, doc: Doc, article: Article, layers: Mapping[str, Sequence]) -> list[Timex]:
        """Return the article's TIMEX3 expressions, sorted by start offset."""
        dct = isoparse(article.published).date()
        text = doc.text
        candidates: list[_Candidate] = []
        fallbacks: list[_Candidate] = []  # used only where no rule found anything
        model_spans = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")}
        for start, end in self._candidate_spans(doc, text):
            found = _candidate(doc, text, start, end, dct)
            if found is not None:
                candidates.append(found)
                continue
            # "November and December", "Saturday and Sunday": annotate each part.
            parts = [_candidate(doc, text, s, e, dct) for s, e in _parts(text, start, end)]
            parts = [p for p in parts if p is not None]
            if not parts and (start, end) in model_spans:
                vague = _vague_candidate(text, start, end)
                if vague is not None:
                    fallbacks.append(vague)
            candidates.extend(parts)
        candidates.extend(_age_appositions(doc))
        chosen: list[_Candidate] = []
        # Longest first: "six months from now" beats "now", "0823 GMT" beats "0823".
        for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
                chosen.append(cand)
        for cand in fallbacks:
            if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
                chosen.append(cand)
        chosen = _anchor_times(sorted(chosen), text, dct)
        chosen = _resolve_story_quarters(chosen, doc, dct)
        return [
            Timex(start=s, end=e, text=text[s:e], type=ty, value=v, origin=self.origin, mod=mod)
            for s, e, ty, v, mod in chosen
        ]

    @staticmethod
    def _candidate_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
        spans = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
        for pattern, guard in _PATTERNS:
            if guard is None or guard.search(text):
                spans.extend(m.span() for m in pattern.finditer(text))
        return spans
