"""Limits an article must meet besides being readable: size, date, language.

Each check raises :class:`~dataset_builder.errors.Rejected` with a precise reason.
The build's reference date (today, unless set) is used only to compare with; it
is never written into a data file, so a build stays reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from ..errors import Rejected

DEFAULT_MAX_BYTES = 5_000_000
# An article stamped "tomorrow" is usually a time-zone effect (published after
# midnight east of the build machine), not an error: one day of slack.
FUTURE_SLACK = timedelta(days=1)
# Language identification needs some text; below this the guess is noise and the
# article is not judged.
MIN_WORDS_FOR_LANGUAGE = 12
# Confidence (normalised probability) of a non-accepted language above which the
# article is rejected; below it the article is kept (a false rejection loses text).
LANGUAGE_CONFIDENCE = 0.9
# The language is judged from the start of the text (cut at a space): about 170
# words are plenty for an n-gram identifier, and py3langid's cost is linear in the
# length (a Python loop over the bytes).
LANGUAGE_SAMPLE_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Limits:
    """What ingestion accepts.

    Attributes:
        max_bytes: largest accepted file (a JSONL line for JSONL) in bytes.
        languages: ISO 639-1 codes of accepted article languages.
        reference_date: the build's "today" for the future-date check; None: the
            machine's date when the check runs.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    languages: tuple[str, ...] = ("en",)
    reference_date: date | None = None


def check_size(size: int, name: str, limits: Limits) -> None:
    """Reject input over the size cap (checked before reading it).

    Raises:
        Rejected: ``size`` is over ``limits.max_bytes``.
    """
    if size > limits.max_bytes:
        raise Rejected(name, f"too large: {size:,} bytes, over the cap of {limits.max_bytes:,} bytes (--max-file-size)")


def check_not_future(published: str, name: str, limits: Limits) -> None:
    """Reject a publication date after the build's reference date (plus one day of slack).

    Raises:
        Rejected: the date is in the future. The reason does not print the
            reference date, so the build report does not depend on the build day.
    """
    today = limits.reference_date or date.today()
    day = date.fromisoformat(published[:10])
    if day > today + FUTURE_SLACK:
        raise Rejected(name, f"publication date {published} is in the future (after the build's reference date)")


@cache
def _identifier():
    # Loaded once: py3langid ships its model inside the package (no download).
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """The language of ``text`` (ISO 639-1) and its confidence, or None when too short to tell.

    Judged from the first :data:`LANGUAGE_SAMPLE_CHARS` characters.
    """
    if len(text.split(None, MIN_WORDS_FOR_LANGUAGE)) < MIN_WORDS_FOR_LANGUAGE:  # counts up to the minimum only
        return None
    if len(text) > LANGUAGE_SAMPLE_CHARS:
        text = text[:LANGUAGE_SAMPLE_CHARS].rsplit(None, 1)[0]
    lang, confidence = _identifier().classify(text)
    return str(lang), float(confidence)


def check_language(text: str, name: str, limits: Limits) -> str:
    """The article's language; reject it when it is confidently not an accepted one.

    Returns:
        The detected language when accepted, else the first accepted language
        (text too short to tell, or a low-confidence guess).

    Raises:
        Rejected: the text is in another language.
    """
    found = detect_language(text)
    if found is None:
        return limits.languages[0]
    lang, confidence = found
    if lang in limits.languages:
        return lang
    if confidence >= LANGUAGE_CONFIDENCE:
        accepted = ", ".join(limits.languages)
        found_as = f"{lang!r} (py3langid, confidence {confidence:.2f})"
        raise Rejected(name, f"language: the text is {found_as}; accepted: {accepted}")
    return limits.languages[0]
