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

- The headline is the first content line when it is title-shaped (no sentence
  punctuation at its end, at most 30 words). A first line that is a sentence
  (seed 000 has no headline) starts the body.
- The standfirst is the content line right after the headline when furniture
  separates it from what follows. Summary bullets before the body are standfirst
  paragraphs, one each, their markers removed.
- Before the body, short lines that are not sentences (≤ 6 words) are furniture:
  photo titles, section labels, author names, navigation.
- The body runs from the first content paragraph to the first end marker
  (paywall, "More From …", topics, "Next Story", a syndication disclaimer …).
  Inside the body, only lines of a furniture shape are dropped; short trailing
  lines after the last sentence are a signature (the publisher's name when it is
  one line of one word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .dates import ImpossibleDate, Stamp, find_date

# A line ends a sentence when it ends with terminal punctuation, possibly followed
# by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$|[\"”’)\]]$")
_BULLET = re.compile(r"^\s*(?:[•▪◦●‣∙·]|[-*–](?=\s))\s*")
# The web-archive store prefixes some pages with " date YYYY-MM-DD ".
_STORE_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
_READ_TIME = re.compile(r"^\d+\s*(?:-\s*\d+\s*)?(?:min|mins|minutes?)\s+read\b", re.I)
_LABELLED_STAMP = re.compile(
    r"^(?P<label>first\s+published|published(?:\s+on)?|posted(?:\s+on)?|last\s+updated|updated(?:\s+on)?|modified)\s*[:\-|]?\s*",
    re.I,
)
_BREADCRUMB = re.compile(r"^(?:home|news)\s*[/>»›|]|^[^/]{1,40}(?:\s[/>»›]\s[^/]{1,60}){2,}$", re.I)
_BYLINE = re.compile(r"^(?i:by|written by|words by|reported by)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|bin|al))*)\s*$")
# Agency line: a wire service's acronym, optionally with the city filed from ("AP Seoul").
_AGENCY_LINE = re.compile(r"^(?P<agency>[A-Z]{2,5})(?:\s+(?P<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?))?$")
_CAPTION = re.compile(
    r"(?:\b(?:photo|photograph|picture|image|file photo|credit)s?\s*(?:credit)?\s*:\s*[\w .,&/'-]{2,60}$)"
    r"|(?:\((?:photo|image|file|credit)[^()]*\)$)"
    r"|(?:\([A-Z][\w.&' -]{1,30}/[A-Z][^()/]{1,60}\)$)"  # (Reuters/Kim Kyung-Hoon)
    r"|(?:\bvia getty images$|\bgetty images$)",
    re.I,
)
_RELATED = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|follow live|watch|listen|recommended|trending)\s*:\s*\S", re.I
)
_SOCIAL = re.compile(
    r"\b(?:connect with us|follow us|share (?:this|on)|facebook|twitter|whatsapp|linkedin|telegram|instagram|youtube)\b|\bicon\b",
    re.I,
)
_TOPICS = re.compile(r"^(?:topics|tags|related topics|keywords)\s*:\s*(?P<topics>.+)$", re.I)
_END_MARKER = re.compile(
    r"^(?:more from (?:this|the) section|more (?:stories|news) from|related (?:stories|articles|news|posts)|"
    r"read next|next story|explore (?:news|more)|already (?:a )?subscribed|subscribe\b|sign up\b|log ?in to read|"
    r"you (?:may|might) also like|recommended for you|advertisement$|first published\b)",
    re.I,
)
_DISCLAIMER = re.compile(
    r"syndicated feed|auto-?generated|has not been edited by|reworked by|copyright\s*©|©\s*\d{4}|all rights reserved|"
    r"^\(?disclaimer\b",
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


def _is_title(line: str) -> bool:
    return not _is_sentence(line) and 2 <= _words(line) <= 30


def _is_date_line(line: str) -> Stamp | None:
    """A line that is only a date (with time, zone and a short glued label)."""
    try:
        found = find_date(line)
    except ImpossibleDate:
        if _words(line) <= 8:  # a date line with an impossible date; in a sentence it is just text
            raise
        return None
    if found is None:
        return None
    stamp, m = found
    if m.start() > 0 and line[: m.start()].strip(" |-–—:"):
        return None
    rest = line[m.end():]
    # What may follow: a time and zone, and a section label run together ("2024Business News").
    rest = re.sub(r"^\s*(?:[|,@–—-]|at)?\s*\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?:\s*,?\s*\(?[A-Z]{1,4}\)?)?", "", rest, flags=re.I)
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

    # 1. Metadata lines anywhere in the dump, and the end of the article.
    kinds: list[str] = []
    for line in lines:
        kinds.append("content" if known_headline and line == known_headline else _classify(line, meta))
        if kinds[-1] == "stamp":
            line = _READ_TIME.sub("", line).strip()
            label = _LABELLED_STAMP.match(line)
            found = find_date(line[label.end():] if label else line)
            stamp = found[0] if found else None
            if label and re.search("updated|modified", label.group("label"), re.I):
                updated = updated or stamp
            elif label:
                first_published = first_published or stamp
            else:
                date_line = date_line or stamp

    # 2. Layout: headline and standfirst in the header, then the body up to the first end marker.
    headline = None
    standfirst_parts: list[str] = []
    first_body: int | None = None
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind == "bullet":
            standfirst_parts.append(_BULLET.sub("", line))
        elif kind != "content":
            continue
        elif headline is None and not standfirst_parts and (
            line == known_headline or (known_headline is None and _is_title(line) and not line.isupper())
        ):
            headline = line
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

    # Trailing signature: short non-sentence lines after the last sentence.
    while paragraphs and not _is_sentence(paragraphs[-1]) and _words(paragraphs[-1]) <= 3:
        tail = paragraphs.pop()
        if meta["publisher"] is None and _words(tail) == 1:
            meta["publisher"] = tail
    if paragraphs:
        paragraphs[-1] = _TRAILING_CREDIT.sub("", paragraphs[-1])

    pieces = [p for p in ([headline] if headline else []) + standfirst_parts + paragraphs if p]
    if not paragraphs:
        raise ValueError("no article body left after removing site furniture")
    stamp = first_published or date_line or store_date
    if stamp is None and published is None:
        raise NoDate("no recognisable publication date (looked for a date line, a 'Published' line and a 'date YYYY-MM-DD' prefix)")
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
    for line, kind in zip(lines[i + 1 :], kinds[i + 1 :]):
        if kind == "blank":
            continue
        if kind == "end":
            return False
        if kind == "content" and not _is_header_short(line):
            return False
        if kind not in ("content", "bullet") or _is_header_short(line):
            return True
    return False


def _classify(line: str, meta: dict) -> str:
    """The kind of one line: blank, content, bullet, stamp, end, or a furniture kind."""
    if not line:
        return "blank"
    label = _LABELLED_STAMP.match(line)
    if label and find_date(line[label.end():]):
        return "stamp"
    if _READ_TIME.match(line):
        # "2 min read Last Updated : Aug 13 2025 | 8:04 AM IST" carries the update time.
        rest = _READ_TIME.sub("", line).strip()
        return "stamp" if _LABELLED_STAMP.match(rest) and find_date(rest) else "furniture"
    if _is_date_line(line):
        return "stamp"
    topics = _TOPICS.match(line)
    if topics:
        meta["topics"] = meta["topics"] or _split_topics(topics.group("topics"))
        return "end"
    if _DISCLAIMER.search(line):
        pub = _PUBLISHER_IN_DISCLAIMER.search(line)
        if pub and meta["publisher"] is None:
            meta["publisher"] = next(g for g in pub.groups() if g)
        return "end"
    if _END_MARKER.match(line):
        pub = _PUBLISHER_IN_DISCLAIMER.search(line)
        if pub and meta["publisher"] is None:
            meta["publisher"] = next(g for g in pub.groups() if g)
        return "end"
    byline = _BYLINE.match(line)
    if byline:
        meta["byline"] = byline.group("name")
        return "byline"
    if _AGENCY_LINE.match(line):
        meta["byline"] = meta["byline"] or line
        return "byline"
    if _BREADCRUMB.search(line) and _words(line) <= 25:
        return "breadcrumb"
    if _CAPTION.search(line):
        return "caption"
    if _RELATED.match(line):
        return "related"
    if _SOCIAL.search(line) and _words(line) <= 8:
        return "social"
    if _BULLET.match(line):
        return "bullet"
    return "content"
