"""From a raw news dump to the canonical ``text`` and its metadata (guidelines §0).

A raw dump is the page's text with the site's furniture around and inside the
article: date lines, breadcrumbs, bylines and agency lines, reading-time and
"Last Updated" lines, photo titles and captions, social buttons, related links,
syndication disclaimers, paywall offers, "More From This Section" lists, topic
lists, desk credits and publisher signatures. Cleaning classifies each line by
*general* shapes of such furniture (never by one site's strings), takes the
metadata out of it, and keeps headline, standfirst and body paragraphs.

The layout model, which holds for every dump seen so far:

    [furniture] headline [standfirst] [furniture] [bullets] body… [end furniture]

- The headline is a title-shaped content line (no sentence punctuation at its
  end, 2-30 words) before the first prose paragraph. Sites print it more than
  once (page title, breadcrumb, share text, slug line): the first candidate that
  is repeated in the dump wins; otherwise the first candidate. Lines that cannot
  be a headline never compete: promos (emoji, "50% off"), a logo's site name
  printed twice ("BBC NewsBBC News"), navigation. Content above the headline is
  furniture, and later lines that repeat the headline are dropped. A first line
  that is a sentence (seed 000 has no headline) starts the body.
- The standfirst is the content line right after the headline when furniture
  separates it from what follows. Summary bullets before the body are standfirst
  paragraphs, one each, their markers removed.
- Before the body, short lines that are not sentences (≤ 6 words) are furniture:
  photo titles, section labels, author names, navigation.
- The body runs from the first content paragraph to the first end marker
  (paywall, "More From …", topics, "Next Story", a syndication disclaimer …).
  Inside the body, only lines of a furniture shape are dropped (labels such as
  ``Description``, ad slots, image credits, lone punctuation); title-shaped lines
  after the last sentence are related links or a signature (the publisher's name
  when it is one line of one word).
- Numeric dates (``11/09/2024``) are read day first unless the page shows that it
  writes month first (:func:`dates.guess_month_first`: an unambiguous numeric
  date, the archive date, a month-name date it repeats, a US time zone).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .dates import DATE_START, ImpossibleDate, Stamp, find_date, guess_month_first

# A line ends a sentence when it ends with terminal punctuation, possibly followed
# by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$|[\"”’)\]]$")
_BULLET = re.compile(r"^\s*(?:[•▪◦●‣∙·]|[-*–](?=\s))\s*")
# The web-archive store prefixes some pages with " date YYYY-MM-DD ".
_STORE_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
_READ_TIME = re.compile(r"^\d+\s*(?:-\s*\d+\s*)?(?:min|mins|minutes?)\s+read\b", re.I)
_LABELLED_STAMP = re.compile(
    r"^(?P<label>first\s+published|published(?:\s+(?:on|at|date))?|posted(?:\s+on)?|last\s+updated|"
    r"updated(?:\s+on)?|modified|(?:publish(?:ed)?\s+|release\s+)?date[d]?)\s*[:\-|]?\s*",
    re.I,
)
# A breadcrumb: "Home / World", "Current:Home > Invest…" (a label may come first), "A › B › C",
# or "Home" followed only by section names ("Home News World", "Home Part of States Newsroom").
_NAV_WORDS = (
    r"news|latest|breaking|top|stories|live|updates?|world|local|national|nation|international|politics|business|"
    r"economy|markets?|money|finance|tech|technology|science|health|sports?|football|cricket|opinion|"
    r"entertainment|lifestyle|culture|travel|weather|crime|courts?|elections?|videos?|photos?|part|of|the|and|"
    r"us|uk|india|asia|europe|africa|americas|australia|middle|east|newsroom|section"
)
_NAV_ONLY = re.compile(rf"^(?:(?:{_NAV_WORDS})\b[\s&,:|-]*)+$", re.I)  # "Latest News", "World | Politics"
_BREADCRUMB = re.compile(
    rf"^(?:[\w ]{{1,25}}:\s*)?(?:home|news)\s*[/>»›|]|^[^/]{{1,40}}(?:\s[/>»›]\s[^/]{{1,60}}){{2,}}$"
    rf"|^home(?:\s+(?:{_NAV_WORDS})\b)+(?:\s+(?-i:[A-Z])[\w’']*){{0,2}}$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|reported by|posted by|authors?\s*:)\s*"
    r"(?P<name>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|bin|al))*)\s*$"
)
# Agency line: a wire service's acronym, optionally with the city filed from ("AP Seoul").
# A lone acronym that is not a wire service (a ticker label such as "UPS") is dropped the
# same way but is not the byline.
_AGENCY_LINE = re.compile(r"^(?P<agency>[A-Z]{2,5})(?:\s+(?P<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?))?$")
_WIRES = frozenset(
    "AP AFP UPI DPA EFE ANSA PTI IANS ANI UNI TASS RIA KCNA YNA CNA AAP CP PA ANP APA BNS NTB TT SPA WAM "
    "MENA IRNA KUNA QNA BSS APP ANTARA BERNAMA XINHUA YONHAP KYODO JIJI".split()
)
# UI labels and ad slots that sites print as lines of their own, anywhere in the page.
_LABEL = re.compile(
    r"^(?:authors?|description|caption|image|photo|video|gallery|share|share this(?: article| story)?|"
    r"view|view comments|comments?|print|email|copy link|listen|listen to (?:this )?(?:article|story)|"
    r"save|bookmark|follow|menu|search|close|skip to (?:main )?content|sponsored(?: content)?|"
    r"paid content|promoted|loading|read more|show more|see more|toggle|expand|advertisement|advertising)"
    r"\s*:?$",
    re.I,
)
_AD_SLOT = re.compile(r"(?:(?:desktop|mobile|tablet|top|bottom|side|inline)?ad(?:s|vert|verts|vertisement)?)+", re.I)
# Promos: an emoji, a discount or a call to action. Only on lines that are not
# sentences, since a body sentence may well report "discounts of up to 50% off".
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F]")
_PROMO = re.compile(
    r"\b\d+\s?%\s+off\b|\bfree trial\b|\blimited[- ]time (?:offer|deal)\b|\bpromo code\b|"
    r"\b(?:subscribe|sign up|join|download|try it|start) (?:now|today|for free)\b|"
    r"\b(?:claim|get|shop|buy|grab) (?:the |this |your )?(?:sale|offer|deal|discount)\b|"
    r"\b(?:summer|winter|spring|holiday|flash|exclusive) sale\b",
    re.I,
)
# Image credits on a line of their own: "© Reuters.", "(c) AFP", "Reuters/Denis Balibouse",
# "AP Photo/Evan Vucci". A "©" with a year is the site's copyright notice (end of the article).
_CREDIT_LINE = re.compile(
    r"^(?i:©|\(c\)|copyright\b)\s*(?!.*(?:\d{4}|(?i:rights)))[A-Z][\w.&'’ /-]{1,40}$"
    r"|^\(?(?:[A-Z]{2,}|Reuters|Getty Images|[A-Z][\w.&'’-]* Photo)/[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\)?$"
)
# The lookaheads in front of _CAPTION and _DISCLAIMER hold the first characters of their
# alternatives: a cheap test that turns most positions of a line away (a search costs
# two thirds; the same matches).
_CAPTION = re.compile(
    r"(?=[pifcvg(]|\s©)(?:"
    r"(?:\b(?:photo|photograph|picture|image|file photo|credit)s?\s*(?:credit)?\s*:\s*[\w .,&/'-]{2,60}$)"
    r"|(?:\((?:photo|image|file|credit)[^()]*\)$)"
    r"|(?:\([A-Z][\w.&' -]{1,30}/[A-Z][^()/]{1,60}\)$)"  # (Reuters/Kim Kyung-Hoon)
    r"|(?:\bvia getty images$|\bgetty images$)"
    r"|(?:\s©\s*(?!\d{4})[a-z][\w .&/'’-]{1,40}$)"  # "… speaks to reporters in Hanover. © dpa"
    r")",
    re.I,
)
_RELATED = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|follow live|watch|listen|recommended|trending)\s*:\s*\S",
    re.I,
)
_SOCIAL = re.compile(
    r"\b(?:connect with us|follow us|share (?:this|on)|facebook|twitter|whatsapp|linkedin|telegram|instagram|youtube)\b"
    r"|\bicon\b",
    re.I,
)
_TOPICS = re.compile(r"^(?:topics|tags|related topics|keywords)\s*:\s*(?P<topics>.+)$", re.I)
_END_MARKER = re.compile(
    r"^(?:more from (?:this|the) section|more (?:stories|news) from|related (?:stories|articles|news|posts)|"
    r"more (?:from|on|in) (?-i:[A-Z])[\w&'’ -]{1,30}$|"  # "More from Cricket", not "More in store for …"
    r"read next|next story|explore (?:news|more)|already (?:a )?subscribed|subscribe\b|sign up\b|log ?in to read|"
    r"you (?:may|might) also like|recommended for you|first published\b)",
    re.I,
)
_DISCLAIMER = re.compile(
    r"(?=[acdhrs(©])"
    r"(?:syndicated feed|auto-?generated|has not been edited by|reworked by|copyright\s*©|©\s*\d{4}|all rights reserved|"
    r"^\(?disclaimer\b)",
    re.I,
)
_PUBLISHER_IN_DISCLAIMER = re.compile(
    r"\bby (?:the )?(?P<a>[A-Z][\w&.'’]*(?:\s+[A-Z][\w&.'’]*){0,4}) staff\b"
    r"|\bsubscribe to (?P<b>[A-Z][\w&.'’]*(?:\s+[A-Z][\w&.'’]*){0,4}) (?:digital|online|premium|today)\b"
    r"|©\s*(?:\d{4}\s+)?(?P<c>[A-Z][\w&.'’]*(?:\s+[A-Z][\w&.'’]*){0,4})"
)
# Desk and wire credits closing the last paragraph: "(Int'l Monitoring Desk)",
# "(Reporting by …; Editing by …)", "(With inputs from agencies)".
_TRAILING_CREDIT = re.compile(
    r"\s*\((?:[^()]*\b(?:desk|reporting by|editing by|writing by|additional reporting|with inputs from|inputs from|"
    r"compiled by|agencies|bureau)\b[^()]*)\)\s*$",
    re.I,
)
# Dateline at the start of the first body paragraph: "PYONGYANG:", "JAKARTA —",
# "SEOUL, Oct 5 (Reuters) -".
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+(?:\s[A-Za-z.]+){0,2})?)"
    r"(?:\s*\([A-Za-z .]+\))?\s*(?::|\s[—–-])\s+"
)


class NoDate(ValueError):
    """No publication date was found."""


@dataclass(slots=True)
class Cleaned:
    text: str
    published: str
    updated: str | None = None
    headline: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    dateline: str | None = None
    publisher: str | None = None
    topics: tuple[str, ...] = ()
    paragraphs: list[str] = field(default_factory=list)


def normalise_line(line: str) -> str:
    """NFC, and every run of white space inside the line as one space."""
    return " ".join(unicodedata.normalize("NFC", line).split())


def _words(line: str) -> int:
    return len(line.split())


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


# What ends a sentence, as opposed to a closing quote or bracket alone: a headline may
# end "…: ‘The time to evacuate has now passed’" or "… title (WATCH)", and it may be a
# question or an exclamation, but it does not end with a full stop.
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_TITLE_END = re.compile(r"[.…:;][\"'”’)\]]*$")


def _is_title(line: str) -> bool:
    return not _TITLE_END.search(line) and 2 <= _words(line) <= 30


def _is_prose(line: str) -> bool:
    """Running text: a sentence longer than a photo title or a label."""
    return bool(_TERMINAL.search(line)) and _words(line) >= 8


_NOT_ALNUM = re.compile(r"[\W_]+")


def _squash(line: str) -> str:
    """Letters and digits only, case-folded: how a repeated headline is recognised when a
    slug line, a breadcrumb or a page title prints it with other punctuation or glued to
    other words ("InvestDetroit police officer …")."""
    return _NOT_ALNUM.sub("", line.casefold())


def _repeats(short: str, long: str) -> bool:
    """``short`` (squashed) is printed again inside ``long`` and makes most of it: a copy of
    a headline, not a paragraph that happens to mention it."""
    return len(short) >= 12 and short in long and len(short) >= 0.6 * len(long)


# A time printed before or after the date of a date line: "2:15 PM EDT, …", "… | 8:04 AM IST".
_TIME_HEAD = re.compile(
    r"^\s*\d{1,2}(?:[:.]\d{2}(?::\d{2})?)?\s*(?:[ap]\.?\s?m\.?)?(?:\s*\(?[A-Z]{1,4}\)?)?\s*(?:[|,@–—/-]|on)?\s*$", re.I
)
_TIME_TAIL = re.compile(
    r"^\s*(?:[|,@–—/-]|at|T(?=\d))?\s*\d{1,2}(?:[:.]\d{2}(?::\d{2})?)?\s*(?:[ap]\.?\s?m\.?)?(?:\s*,?\s*\(?[A-Z]{1,4}\)?)?",
    re.I,
)


# A date line starts, after separators, with its date or with the time printed before it.
_DATE_LINE_START = re.compile(r"[\s|\-–—:]*" + DATE_START, re.I)


def _is_date_line(line: str, month_first: bool = False) -> Stamp | None:
    """A line that is only a date (with time, zone and a short glued label)."""
    # A line that does not start like one is not searched, unless it is short enough for
    # an impossible date in it to be an error (below).
    if not _DATE_LINE_START.match(line) and _words(line) > 8:
        return None
    try:
        found = find_date(line, month_first=month_first)
    except ImpossibleDate:
        if _words(line) <= 8:  # a date line with an impossible date; in a sentence it is just text
            raise
        return None
    if found is None:
        return None
    stamp, m = found
    before = line[: m.start()].strip(" |-–—:")
    if before and not (stamp.time is not None and _TIME_HEAD.match(before)):
        return None
    # What may follow: a time and zone, and a section label run together ("2024Business News").
    rest = _TIME_TAIL.sub("", line[m.end():], count=1)
    return stamp if _words(rest) <= 3 and not _is_sentence(rest.strip()) else None


def _split_topics(raw: str) -> tuple[str, ...]:
    # Topic links are often glued together ("North KoreaRussiaRussia Ukraine Conflict"):
    # a lower-case letter directly followed by a capital starts a new topic.
    parts = re.split(r"\s*[,;|•]\s*|(?<=[a-z])(?=[A-Z])", raw)
    seen: dict[str, None] = {}
    for part in parts:
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


def clean(raw: str, *, published: str | None = None, headline: str | None = None) -> Cleaned:
    """Split a raw dump into the canonical ``text`` and metadata.

    Args:
        raw: the dump, one line per line of the page.
        published: the publication date (ISO 8601) when the source gives it as
            metadata (HTML meta tags, a JSONL field); it wins over date lines.
        headline: the headline when the source gives it as metadata; it is put
            first in ``text`` unless the dump already starts with it.

    Raises:
        NoDate: no publication date in the furniture.
        ImpossibleDate: a date line that is not a calendar date.
        ValueError: nothing of the article is left after cleaning.
    """
    # splitlines: every Unicode line break (CR, CRLF, U+2028, U+2029, NEL …) ends a line.
    lines = [normalise_line(line) for line in raw.splitlines()]
    known_headline = normalise_line(headline) if headline else None
    date_line: Stamp | None = None
    store_date: Stamp | None = None
    updated: Stamp | None = None
    first_published: Stamp | None = None
    meta: dict[str, object] = {"byline": None, "publisher": None, "topics": ()}

    if lines:
        m = _STORE_DATE.match(lines[0])
        if m:
            store_date = find_date(m.group(1))[0]
            lines[0] = lines[0][m.end():]
    if known_headline and known_headline not in lines:
        lines.insert(0, known_headline)
    month_first = guess_month_first(raw, store_date.day if store_date else None)

    # 1. Metadata lines anywhere in the dump, and the end of the article.
    kinds: list[str] = []
    for line in lines:
        kinds.append("content" if known_headline and line == known_headline else _classify(line, meta, month_first))
        if kinds[-1] == "stamp":
            line = _READ_TIME.sub("", line).strip()
            label = _LABELLED_STAMP.match(line)
            found = find_date(line[label.end():] if label else line, month_first=month_first)
            stamp = found[0] if found else None
            if label and re.search("updated|modified", label.group("label"), re.I):
                updated = updated or stamp
            elif label and not label.group("label").lower().startswith("date"):
                first_published = first_published or stamp
            else:
                date_line = date_line or stamp

    # 2. Layout: headline and standfirst in the header, then the body up to the first end marker.
    squashed = [_squash(line) for line in lines]  # once: both steps compare every line
    head = _pick_headline(lines, kinds, squashed, known_headline)
    if head is not None:
        _mark_repeats(squashed, kinds, head)
    headline = lines[head] if head is not None else None
    standfirst_parts: list[str] = []
    first_body: int | None = None
    # Content above the headline is furniture (promos, site names, navigation).
    for i in range(head + 1 if head is not None else 0, len(lines)):
        line, kind = lines[i], kinds[i]
        if kind == "bullet":
            standfirst_parts.append(_BULLET.sub("", line))
        elif kind != "content":
            continue
        elif _is_header_short(line):
            # Photo title, section label, author name, navigation. An author name
            # (2-4 capitalised words, not a photo title before its caption) is the byline.
            if headline is not None and meta["byline"] is None and _looks_like_name(line) \
                    and _next_kind(kinds, i) != "caption":
                meta["byline"] = line
        elif headline is not None and not standfirst_parts and _furniture_follows(lines, kinds, i):
            standfirst_parts.append(line)
        else:
            first_body = i
            break
    paragraphs: list[str] = []
    if first_body is not None:
        end = next((i for i, k in enumerate(kinds) if k == "end" and i > first_body), len(lines))
        paragraphs = [
            _BULLET.sub("", line) if kinds[i] == "bullet" else line
            for i, line in enumerate(lines[:end])
            if i >= first_body and kinds[i] in ("content", "bullet")
        ]

    # Title-shaped lines after the last sentence: related-story links and the publisher's
    # signature (a crosshead there has lost its paragraphs to the page's truncation).
    # The first body paragraph stays: it is the article, whatever its shape.
    while len(paragraphs) > 1 and not _is_sentence(paragraphs[-1]) and _words(paragraphs[-1]) <= 15:
        tail = paragraphs.pop()
        if meta["publisher"] is None and _words(tail) == 1:
            meta["publisher"] = tail
    if paragraphs:
        paragraphs[-1] = _TRAILING_CREDIT.sub("", paragraphs[-1])

    pieces = [p for p in ([headline] if headline else []) + standfirst_parts + paragraphs if p]
    if not paragraphs:
        raise ValueError("no article body left after removing site furniture")
    # A page that prints only when it was updated: that date is the best DCT left.
    stamp = first_published or date_line or store_date or updated
    if stamp is None and published is None:
        raise NoDate(
            "no recognisable publication date (looked for a date line, a 'Published' or 'Updated' line "
            "and a 'date YYYY-MM-DD' prefix)"
        )
    dateline = _DATELINE.match(paragraphs[0])
    return Cleaned(
        text="\n\n".join(pieces),
        published=published or stamp.iso(),
        updated=updated.iso() if updated else None,
        headline=headline,
        standfirst="\n\n".join(standfirst_parts) or None,
        byline=meta["byline"],
        dateline=dateline.group("place") if dateline else None,
        publisher=meta["publisher"],
        topics=meta["topics"],
        paragraphs=pieces,
    )


def _pick_headline(lines: list[str], kinds: list[str], squashed: list[str], known: str | None) -> int | None:
    """The index of the headline line, or None when the article starts with its body.

    Candidates are the title-shaped content lines before the first bullet or prose
    paragraph. Sites print the headline more than once (page title, breadcrumb, share
    text, slug line) and their furniture once, so the first candidate of at least four
    words that is repeated elsewhere in the dump wins; without one, the first candidate.
    ``squashed`` holds the lines as :func:`_squash` gives them.
    """
    if known is not None:
        return next((i for i, line in enumerate(lines) if line == known), None)
    candidates: list[int] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "content" and _is_title(line) and not line.isupper() and not _NAV_ONLY.match(line):
            candidates.append(i)
        elif kind == "bullet" or (kind == "content" and _is_prose(line)):
            break
    if not candidates:
        return None
    for i in candidates:
        if _words(lines[i]) >= 4 and any(
            j != i and kinds[j] != "blank" and _repeats(squashed[i], squashed[j]) for j in range(len(lines))
        ):
            return i
    return candidates[0]


def _mark_repeats(squashed: list[str], kinds: list[str], head: int) -> None:
    """Mark content lines after the headline that print it again (or a shortened copy of
    it, or a slug line built from it) as furniture (``squashed``: the lines, squashed)."""
    title = squashed[head]
    for j in range(head + 1, len(squashed)):
        if kinds[j] == "content":
            other = squashed[j]
            if other == title or _repeats(title, other) or _repeats(other, title):
                kinds[j] = "repeat"


def _is_header_short(line: str) -> bool:
    """Before the body, a short line that is not a sentence is furniture; so is an
    all-capitals navigation line ("BACK TO ALL NEWS")."""
    return (_words(line) <= 6 and not _is_sentence(line)) or (line.isupper() and _words(line) <= 8)


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() for w in words)


def _next_kind(kinds: list[str], i: int) -> str:
    return next((k for k in kinds[i + 1 :] if k != "blank"), "blank")


def _furniture_follows(lines: list[str], kinds: list[str], i: int) -> bool:
    """True when furniture stands between line ``i`` and the next full content line.

    The end of the article (an end marker, or the end of the dump) is not such
    furniture: then line ``i`` is the body of a one-paragraph article, not a standfirst.
    """
    for line, kind in zip(lines[i + 1 :], kinds[i + 1 :], strict=True):
        if kind in ("blank", "punct") or (kind == "content" and _is_crosshead(line)):
            # A crosshead between two paragraphs says nothing: look at what follows it.
            continue
        if kind == "end":
            return False
        if kind == "content" and not _is_header_short(line):
            return False
        if kind not in ("content", "bullet") or _is_header_short(line):
            return True
    return False


def _is_crosshead(line: str) -> bool:
    """A short in-body heading in sentence case ("An argument and a deadly punch",
    "What happens next"), as opposed to an author's name, a section label or a photo
    title in title case ("Putin, Kim Jong Un")."""
    words = line.split()
    if not 3 <= len(words) <= 12 or _is_sentence(line) or not words[0][:1].isupper():
        return False
    capitalised = sum(w[:1].isupper() for w in words[1:])
    return capitalised <= (len(words) - 1) / 3


def _site_name(line: str) -> str | None:
    """The site's name when the line is a logo printed twice ("Asianet NewsableAsianet Newsable",
    the image's alt text run into the link text), else None."""
    if _words(line) > 8:
        return None
    m = re.fullmatch(r"(.{6,})\1", line.replace(" ", ""))
    if m is None:
        return None
    # The first half as printed, spaces kept.
    for k in range(len(line), 0, -1):
        if line[:k].replace(" ", "") == m.group(1):
            return line[:k].strip()
    return None


def _is_promo(line: str) -> bool:
    # A body sentence may report a discount; only lines that are not sentences are promos.
    return not _is_sentence(line) and bool(_EMOJI.search(line) or _PROMO.search(line))


def _classify(line: str, meta: dict, month_first: bool = False) -> str:
    """The kind of one line: blank, content, bullet, stamp, end, or a furniture kind."""
    if not line:
        return "blank"
    if not any(ch.isalnum() for ch in line):
        return "punct"  # a lone "-", "* * *", a separator
    label = _LABELLED_STAMP.match(line)
    if label and _is_date_line(line[label.end():], month_first):
        return "stamp"
    if _READ_TIME.match(line):
        # "2 min read Last Updated : Aug 13 2025 | 8:04 AM IST" carries the update time.
        rest = _READ_TIME.sub("", line).strip()
        label = _LABELLED_STAMP.match(rest)
        return "stamp" if label and _is_date_line(rest[label.end():], month_first) else "furniture"
    if _is_date_line(line, month_first):
        return "stamp"
    topics = _TOPICS.match(line)
    if topics:
        meta["topics"] = meta["topics"] or _split_topics(topics.group("topics"))
        return "end"
    if _CREDIT_LINE.match(line):
        return "caption"  # "© Reuters." under a photo, not the site's copyright notice
    if _DISCLAIMER.search(line) or _END_MARKER.match(line):
        pub = _PUBLISHER_IN_DISCLAIMER.search(line)
        if pub and meta["publisher"] is None:
            meta["publisher"] = next(g for g in pub.groups() if g)
        return "end"
    byline = _BYLINE.match(line)
    if byline:
        meta["byline"] = byline.group("name")
        return "byline"
    agency = _AGENCY_LINE.match(line)
    if agency:
        if agency.group("agency") in _WIRES:
            meta["byline"] = meta["byline"] or line
        return "byline"
    if _LABEL.match(line) or _AD_SLOT.fullmatch(line.replace(" ", "")):
        return "label"
    site = _site_name(line)
    if site:
        meta["publisher"] = meta["publisher"] or site
        return "sitename"
    if _is_promo(line):
        return "promo"
    # The word count first: it is cheap and turns body paragraphs away before the search.
    if _words(line) <= 25 and _BREADCRUMB.search(line):
        return "breadcrumb"
    if _CAPTION.search(line):
        return "caption"
    if _RELATED.match(line):
        return "related"
    if _words(line) <= 8 and _SOCIAL.search(line):
        return "social"
    if _BULLET.match(line):
        return "bullet"
    return "content"
