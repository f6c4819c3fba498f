"""Entity layer: spaCy NER, a curated knowledge file and span/type post-rules.

The already-parsed spaCy ``Doc`` supplies candidate mentions (``doc.ents`` minus
DATE/TIME, which belong to the temporal layer). Three things bring them to the
annotation guidelines (``ANNOTATION_GUIDELINES.md`` §1):

1. **Knowledge** (``dataset_builder/data/knowledge.jsonl``, validated against
   ``schema/knowledge.schema.json`` on load): names and aliases of widely reported
   entities, matched with spaCy's ``PhraseMatcher`` on the parsed ``Doc``. A known
   name gets the file's label, canonical name and, where verified, Wikidata QID.
2. **Span rules**: no determiner, title or possessive in the span; numbers keep
   their approximators but not the counted noun; ranges are one entity; ``X region``
   is just ``X`` (GPE); nested names are not annotated separately.
3. **Type and canonical rules** by general cues (``region``/``province`` after a
   name → GPE, ``Agency``/``Ministry``/``Inc`` → ORG, an honorific → PERSON, a
   demonym-shaped adjective → NORP, coordination with a person → PERSON) and by
   document context (a surname or short form takes the canonical name of the fuller
   mention, ``Full Name (ABBR)`` defines ``ABBR``, a bare ``Commission`` refers to the
   named commission, ``the North`` to ``North Korea`` when the document names it).
4. **Name patterns** (spaCy ``Matcher``, strongest candidates) for shapes the small
   model splits or mistypes: football clubs (``Mumbai City FC``, ``Atlanta United``),
   facilities (``… Stadium``/``Airport``/``Bridge`` → FAC), named storms (``Hurricane
   Francine`` → EVENT, a later bare ``Francine`` too), counties before a title
   (``Wayne County Prosecutor …`` → GPE), possessive office names (``Governor’s Office
   of …`` → one ORG) and score lines (``3-1`` → CARDINAL). Finance jargon (``Q2``,
   ``EPS``) and lowercase-defined abbreviations (``earnings per share (EPS)``) are
   never names; a name before a stock ticker (``UPS (UPS)``, ``(NYSE: X)``) or before
   ``shares`` is a company.

Where the knowledge file's QIDs were checked: country QIDs in two independent
tables that agree, ``owid/owid-grapher`` ``packages/@ourworldindata/grapher/src/
mapCharts/CountriesRegions.ts`` and ``waldenn/conzept`` ``app/explore2/src/data/
countries.js`` (which also gave the capitals' QIDs; capitals whose entry there is
broken or wrong carry none); international organisations in the OpenSanctions-style
registry ``INTL_ORGS`` (cross-checked against ``confirmordeny/supraverden``
``dist/ALL_BODIES.md`` and other public QID maps); US states where two public state→QID tables agree (a Wikidata
P5086 map and a ``USA_P17`` table); continents, Pyongyang and people only where at
least two public QID maps agree. Everything else has no ``kb_id``. NORP entries are
their own canonical form (``Chinese``, ``Palestinians``), as the devset gold does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import jsonschema
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..records import Article, Entity
from . import ENTITIES
from .base import Annotator

PACKAGE_DIR = Path(__file__).resolve().parents[1]
KNOWLEDGE_PATH = PACKAGE_DIR / "data" / "knowledge.jsonl"
KNOWLEDGE_SCHEMA_PATH = PACKAGE_DIR.parent / "schema" / "knowledge.schema.json"

TEMPORAL_LABELS = frozenset({"DATE", "TIME"})
NUMERIC_LABELS = frozenset({"PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "‘s"})
# Words of a title or role that precede a name; stripped from PERSON spans.
TITLE_WORDS = frozenset("""
president vice prime minister ministers secretary chancellor premier king queen prince princess emperor
empress sheikh sheikha emir sultan crown leader leaders governor gov gov. senator sen sen. rep rep.
representative congressman congresswoman mayor general gen gen. lt lt. colonel col col. major maj maj.
captain capt capt. admiral adm adm. commander chief director chairman chairwoman chair ceo cfo founder
spokesman spokeswoman spokesperson ambassador envoy pope cardinal bishop archbishop rabbi imam ayatollah
dr dr. mr mr. mrs mrs. ms ms. mx sir dame lord lady justice judge speaker deputy foreign defense defence
finance interior trade economy energy health justice home state first commissioner attorney
attorney-general executive supreme grand marshal field sergeant officer detective inspector professor
prof prof. former late then acting incumbent outgoing president-elect strongman dictator ruler
opposition candidate rival rivals lawmaker lawmakers official analyst economist
prosecutor prosecutors sheriff coach manager striker midfielder defender goalkeeper winger skipper owner
treasurer comptroller auditor magistrate superintendent climatologist meteorologist solicitor
""".split())
# Honorifics that mark the following capitalised words as a person's name.
HONORIFICS = frozenset("""
mr mr. mrs mrs. ms ms. dr dr. president sheikh sheikha sen sen. senator rep rep. gov gov. governor king
queen prince princess pope emir sultan ayatollah chancellor premier
""".split())
# Portfolio words that spaCy tends to tag ORG in "Defense Minister X".
ROLE_HEADS = frozenset({"Minister", "Secretary", "Ministers", "Secretaries", "Chief", "Czar", "Tsar"})
ORG_HEADS = frozenset("""
Inc Inc. Corp Corp. Corporation Company Co Co. Ltd Ltd. LLC PLC plc Group Holdings Agency Ministry Bank
Committee Commission Council University College Institute Party Association Organization Organisation
Fund Authority Service Services Department Office Bureau Army Navy Force Forces Police Guard Court
Parliament Assembly Federation Union League Foundation Network News Times Post Journal Airlines Motors
Industries Energy Petroleum Oil Gas Telecom Media Press Television TV Radio Exchange Register Herald Tribune
Gazette Chronicle Inquirer Telegraph Courier
""".split())
# Bodies that a bare capitalised head noun can refer back to (devset judgement call).
BODY_HEADS = frozenset({"Commission", "Committee", "Council", "Parliament", "Agency", "Bank", "Court",
                        "Ministry", "Assembly", "Fund", "Authority", "Bureau", "Tribunal"})
REGION_WORDS = frozenset({"region", "regions", "province", "oblast", "city", "district", "county",
                          "prefecture", "governorate", "state", "territory", "municipality", "area"})
SETTLEMENT_WORDS = frozenset({"village", "town", "city", "province", "region", "district", "port", "capital",
                              "settlement", "state", "county", "oblast", "municipality"})
EVENT_HEADS = frozenset({"pandemic", "epidemic", "outbreak"})
APPROXIMATORS = (("more", "than"), ("less", "than"), ("fewer", "than"), ("up", "to"), ("at", "least"),
                 ("at", "most"), ("as", "many", "as"), ("as", "much", "as"), ("about",), ("around",),
                 ("approximately",), ("nearly",), ("almost",), ("roughly",), ("some",), ("over",),
                 ("under",), ("between",))
SCALE_WORDS = frozenset({"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
                         "billions", "trillion", "trillions", "dozen", "dozens", "tens", "lakh", "crore"})
PERCENT_WORDS = frozenset({"%", "percent", "per", "cent", "pct", "percentage", "point", "points", "basis"})
CURRENCY_WORDS = frozenset("""
dollar dollars usd euro euros eur pound pounds sterling gbp yen yuan renminbi rmb won rupee rupees rouble
roubles ruble rubles rupiah ringgit peso pesos real reais lira franc francs riyal riyals dirham dirhams
shekel shekels naira rand dinar dinars baht dong krona kronor krone hryvnia cents pence
""".split())
TIME_UNITS = frozenset({"year", "years", "month", "months", "week", "weeks", "day", "days", "hour",
                        "hours", "minute", "minutes", "year-old", "decade", "decades"})
# Adjective suffixes that mark a sentence-initial capitalised word as a common word.
COMMON_ADJ_SUFFIXES = ("al", "ous", "ive", "ful", "able", "ible", "less", "ly", "ing", "ed", "ic")
NORP_SUFFIXES = ("ian", "ean", "ese", "ish", "ani", "eli", "ari", "an", "i")
# Nouns for people that precede a bare name (``former governors Ganjar``).
PERSON_ROLE_NOUNS = frozenset("""
president leader minister secretary chancellor premier governor governors senator mayor candidate
candidates rival rivals spokesman spokeswoman spokesperson ambassador envoy chairman chairwoman ceo pope
king queen prince princess sheikh emir ayatollah lawmaker frontrunner challenger strongman ruler dictator
mr mr. mrs mrs. ms ms. dr dr. prosecutor sheriff coach striker midfielder defender goalkeeper winger skipper
""".split())
NAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "de", "da", "di", "van", "von", "der", "la",
                            "le", "du", "dos", "del", "Al", "El", "Jr", "Jr.", "Sr", "Sr."})

# --- Name patterns (general shapes of names the small model gets wrong) ---
# Football-club abbreviations after or before the place name (``Mumbai City FC``, ``FC Porto``).
CLUB_SUFFIXES = frozenset({"FC", "F.C.", "AFC", "SC", "CF", "FK", "CFC", "SFC"})
CLUB_PREFIXES = frozenset({"FC", "AFC", "AC", "AS", "SSC", "SV", "VfB", "VfL", "RB", "TSG", "PSV", "Borussia",
                           "Eintracht", "Olympique", "Dynamo", "Dinamo", "Sporting", "Atlético", "Inter"})
# Words that, after a place name, make a club (``Atlanta United``, ``Blackburn Rovers``).
CLUB_NAME_WORDS = frozenset({"United", "Rovers", "Wanderers", "Hotspur", "Albion", "Athletic", "Rangers"})
# Heads of facility names (``Salt Lake Stadium``, ``Golden Gate Bridge``); ``Krirangan`` and ``Maidan``
# are the Bengali/Hindi words for a stadium and a ground, common in South Asian sports news.
FAC_HEADS = frozenset("""
Stadium Arena Airport Bridge Square Tower Towers Palace Station Terminal Highway Expressway Motorway Freeway
Tunnel Dam Cathedral Mosque Temple Basilica Abbey Prison Jail Krirangan Maidan Stadion Coliseum Colosseum
Racecourse Velodrome
""".split())
FAC_PREFIXES = frozenset({"Stade", "Estadio", "Stadio", "Stadion"})
# Storm names: ``Hurricane Francine`` is one EVENT, and a later bare ``Francine`` is the same storm.
STORM_WORDS = frozenset({"Hurricane", "Typhoon", "Cyclone", "Storm", "Depression"})
# Capitalised words after a storm word that are not storm names (``National Hurricane Center``,
# ``Storm Shadow`` missiles, ``Hurricane Season``).
NOT_STORM_NAMES = frozenset({"Center", "Centre", "Season", "Warning", "Watch", "Hunters", "Shadow", "Categories",
                             "Category", "Tracker", "Updates", "Live"})
# Local-government units that make a GPE of the capitalised words before them.
COUNTY_WORDS = frozenset({"County", "Parish"})
# Role words that own an office in possessive organisation names (``Governor’s Office of …``).
POSSESSOR_WORDS = frozenset("""
Governor Mayor President Attorney General Comptroller Sheriff Prosecutor Chancellor Speaker Secretary
Commissioner Treasurer Auditor Children Women People Veterans King Queen Prince Premier Minister
""".split())
POSSESSIVE_ORG_HEADS = frozenset({"Office", "Department", "Council", "Hospital", "University", "College",
                                  "Party", "Commission", "Bureau", "Fund", "Bank", "Army", "League", "Agency"})
# Finance and general jargon the model tags ORG/PRODUCT/GPE: never a named entity.
JARGON = re.compile(r"^(?:Q[1-4]|H[12]|[1-4]Q|FY ?\d{0,4}|Q[1-4] ?FY\d{2,4}|EPS|EBITDA?|EBIT|GDP|GNP|CPI|PPI|PMI|PCE"
                    r"|IPO|IPOs|ETF|ETFs|YoY|QoQ|MoM|YTD|TTM|LTM|CAGR|ROI|ROE|AUM|NAV|ARPU|FCF|CAPEX|OPEX|M&A"
                    r"|R&D|AI|GenAI|ESG|SPAC|NPA|NPAs|GST|VAT|CEO|CFO|COO|CTO|bps|P/E|Category \d+)$")
# Stock exchanges that introduce a ticker: ``(NYSE: UPS)``.
EXCHANGES = frozenset({"NYSE", "NASDAQ", "Nasdaq", "LSE", "TSX", "ASX", "HKEX", "SGX", "NSE", "BSE", "TSE",
                       "Euronext", "XETRA", "OTC", "NYSEAMERICAN", "AMEX", "JSE", "KRX", "SZSE", "SSE"})
SHARE_WORDS = frozenset({"shares", "share", "stock", "stocks"})
# Units after a number range make a QUANTITY (``1-2 inches``), which the model handles.
UNIT_WORDS = frozenset("""
km kilometres kilometers kilometre kilometer mile miles metre metres meter meters m cm mm inch inches foot feet
kg kilograms kilogram tonne tonnes ton tons lb lbs mph kph knots degrees acres hectares litres liters gallons
barrels bpd
""".split())
MONTH_WORDS = frozenset("""
january february march april may june july august september october november december jan jan. feb feb.
mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. nov nov. dec dec.
""".split())
SCORE = re.compile(r"^\d{1,3}[-–]\d{1,3}$")
# The last word of every PERCENT pattern (``percentage points``, ``quarter-point``).
_POINT_WORDS = frozenset({"point", "points", "quarter-point", "half-point"})

# Lowercase particles inside surnames (``Erik ten Hag``, ``Virgil van Dijk``, ``Mohammed bin Salman``).
SURNAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "de", "da", "di", "van", "von", "der", "den",
                               "ten", "ter", "la", "le", "du", "dos", "das", "del", "della"})

# Candidate sources, strongest first: it decides which of two overlapping spans stays.
_PRIORITY = {"pattern": 0, "kb": 1, "rule": 2, "model": 3}


class KnowledgeError(ValueError):
    """A knowledge file line that is not valid JSON or does not fit the schema."""


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """One curated entity: canonical name, label, surface forms and optional QID."""

    canonical: str
    label: str
    aliases: tuple[str, ...] = ()
    kb_id: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """All surface forms that name the entity (canonical first)."""
        return (self.canonical, *self.aliases)


def load_knowledge(path: Path = KNOWLEDGE_PATH, schema_path: Path = KNOWLEDGE_SCHEMA_PATH) -> list[KnowledgeEntry]:
    """Read and validate the knowledge file (JSON Lines).

    Args:
        path: The ``.jsonl`` file, one entry per line; blank lines are skipped.
        schema_path: The JSON Schema every entry must satisfy.

    Returns:
        The entries in file order.

    Raises:
        KnowledgeError: naming the file and line of the first bad entry.
    """
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    entries = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KnowledgeError(f"{path}:{lineno}: not valid JSON: {exc.msg}") from exc
        error = jsonschema.exceptions.best_match(validator.iter_errors(raw))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "entry"
            raise KnowledgeError(f"{path}:{lineno}: {where}: {error.message}")
        entries.append(KnowledgeEntry(raw["canonical"], raw["label"], tuple(raw.get("aliases", ())), raw.get("kb_id")))
    return entries


@lru_cache(maxsize=2)
def _cached_knowledge(path: Path) -> tuple[KnowledgeEntry, ...]:
    return tuple(load_knowledge(path))


@dataclass(frozen=True, slots=True)
class _Cand:
    """A candidate mention as a token span of the Doc."""

    start: int
    end: int
    label: str
    source: str = "model"
    canonical: str | None = None
    kb_id: str | None = None

    def overlaps(self, other: _Cand) -> bool:
        return self.start < other.end and other.start < self.end


class EntityAnnotator(Annotator):
    """Named and numeric entity mentions with canonical names (guidelines §1)."""

    layer = "entities"
    name = ENTITIES
    requires = ()

    def __init__(self, nlp: Language, knowledge_path: Path = KNOWLEDGE_PATH) -> None:
        """Build the matchers once per process.

        Args:
            nlp: The loaded spaCy pipeline (only its vocabulary and tokenizer are used here).
            knowledge_path: The curated knowledge file.
        """
        super().__init__(nlp)
        self.knowledge = _cached_knowledge(knowledge_path)
        self._by_name: dict[str, KnowledgeEntry] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        for idx, entry in enumerate(self.knowledge):
            forms = set(entry.names)
            # Datelines and headlines print names in capitals (``JAKARTA —``).
            forms |= {f.upper() for f in entry.names if len(f) > 3 and not f.isupper()}
            for form in forms:
                self._by_name.setdefault(form, entry)
            self._phrases.add(str(idx), [nlp.make_doc(f) for f in sorted(forms)])
        self._patterns = Matcher(nlp.vocab)
        # Percentage points, basis points and "quarter-point" are PERCENT (devset judgement call).
        # Each pattern ends in a word of _POINT_WORDS (_pattern_cands relies on it).
        frac = {"LOWER": {"IN": ["half", "quarter", "third", "tenth", "three-quarters"]}}
        self._patterns.add("PERCENT", [
            [frac, {"LOWER": "of", "OP": "?"}, {"LOWER": {"IN": ["a", "one"]}}, {"LOWER": "percentage"},
             {"LOWER": {"IN": ["point", "points"]}}],
            [{"LOWER": "a"}, {"LOWER": {"IN": ["quarter", "third", "tenth"]}}, {"LOWER": "of"}, {"LOWER": "a"},
             {"LOWER": "percentage"}, {"LOWER": {"IN": ["point", "points"]}}],
            [{"LIKE_NUM": True}, {"LOWER": {"IN": ["percentage", "basis"]}}, {"LOWER": {"IN": ["point", "points"]}}],
            [{"LOWER": {"IN": ["a", "one"]}}, {"LOWER": "percentage"}, {"LOWER": "point"}],
            [{"LOWER": {"IN": ["quarter", "half"]}}, {"ORTH": "-"}, {"LOWER": "point"}],
            [{"LOWER": {"IN": ["quarter-point", "half-point"]}}],
        ])
        self._names = _name_matcher(nlp)

    # ------------------------------------------------------------------ API

    def annotate(self, doc: Doc, article: Article, layers: Mapping[str, Sequence]) -> list[Entity]:
        """Return the document's entity mentions, sorted and non-overlapping.

        Args:
            doc: The spaCy parse of ``article.text``.
            article: The article (unused beyond its text; kept for the contract).
            layers: Layers produced so far (none required).

        Returns:
            Entities with ``origin == self.origin``.
        """
        headline_tokens = _title_case_tokens(doc)
        body = "".join(t.text_with_ws for t in doc if t.i not in headline_tokens)
        model = [c for c in self._model_cands(doc) if not _headline_only(doc, c, headline_tokens, body)]
        cands = self._merge_knowledge(doc, model, self._kb_cands(doc), headline_tokens)
        patterns = self._pattern_cands(doc) + self._name_cands(doc)
        cands = _trim_around(doc, cands, patterns) + patterns
        cands = _resolve(cands)
        cands = [n for c in cands for n in self._normalise(doc, c)]
        cands = _particle_names(doc, cands)
        cands = _merge_persons(doc, cands)
        cands = _merge_ranges(doc, cands)
        cands = [c for c in (self._retype(doc, c) for c in cands) if c is not None]
        cands = _resolve(cands)
        cands = self._attach_knowledge(doc, cands)
        cands = [self._region_canonical(doc, c) for c in cands]
        cands = _role_persons(doc, cands)
        cands = _coordinated_persons(doc, cands)
        cands = self._document_rules(doc, cands)
        text = doc.text  # once: ``Doc.text`` rebuilds the string from every token on each access
        return [self._entity(doc, text, c) for c in _resolve(cands)]

    # ------------------------------------------------------------ candidates

    def _model_cands(self, doc: Doc) -> list[_Cand]:
        """spaCy's entities minus DATE/TIME, split where they cross a line or a list comma."""
        out = []
        for ent in doc.ents:
            if ent.label_ == "DATE" and _bare_count(ent):
                out.append(_Cand(ent.start, ent.end, "CARDINAL"))
                continue
            if ent.label_ in TEMPORAL_LABELS:
                continue
            piece_start = ent.start
            for tok in ent:
                breaks = "\n" in tok.text or (tok.is_punct and tok.text in {",", ";", "—", "–", "|", "(", ")"}
                                               and ent.label_ not in NUMERIC_LABELS)
                if breaks:
                    if tok.i > piece_start:
                        out.append(_Cand(piece_start, tok.i, ent.label_))
                    piece_start = tok.i + 1
            if ent.end > piece_start:
                out.append(_Cand(piece_start, ent.end, ent.label_))
        return [c for c in out if any(t.is_alpha or _has_digit(t) for t in doc[c.start:c.end])]

    def _kb_cands(self, doc: Doc) -> list[_Cand]:
        spans = [Span(doc, s, e, label=int(m)) for m, s, e in self._phrases(doc)]
        out = []
        for span in _longest(spans):
            entry = self.knowledge[int(doc.vocab.strings[span.label])]
            out.append(_Cand(span.start, span.end, entry.label, "kb", entry.canonical, entry.kb_id))
        return out

    def _pattern_cands(self, doc: Doc) -> list[_Cand]:
        # Every PERCENT pattern ends in a point word: without one the Matcher cannot match,
        # and a call costs as much as checking every token's Python predicates.
        if not any(t.lower_ in _POINT_WORDS for t in doc):
            return []
        spans = [Span(doc, s, e, label=m) for m, s, e in self._patterns(doc)]
        return [_Cand(s.start, s.end, s.label_, "pattern") for s in _longest(spans)]

    def _name_cands(self, doc: Doc) -> list[_Cand]:
        """Clubs, facilities, storms, counties, possessive office names and score lines (see ``_name_matcher``)."""
        if not _may_match_names(doc):
            return []
        spans = []
        for match_id, start, end in self._names(doc):
            key = doc.vocab.strings[match_id]
            bounds = _NAME_FILTERS[key](doc, start, end)
            if bounds is not None and bounds[1] > bounds[0]:
                spans.append(Span(doc, bounds[0], bounds[1], label=_NAME_LABELS[key]))
        return [_Cand(s.start, s.end, s.label_, "pattern") for s in _longest(spans)]

    def _merge_knowledge(self, doc: Doc, model: list[_Cand], kb: list[_Cand], headline: set[int]) -> list[_Cand]:
        """Known names win over the model, except inside a longer, well-formed model name."""
        kept = list(model)
        for m in kb:
            clashing = [c for c in kept if c.overlaps(m)]
            keep_m = True
            for c in clashing:
                if c.start <= m.start and m.end <= c.end and (c.start, c.end) != (m.start, m.end):
                    extra = [t for t in doc[c.start:c.end] if not (m.start <= t.i < m.end)]
                    # A longer name whose extra words are themselves name words (Bank of *England*,
                    # *Seoul* National University) is one nested-free mention; lowercase extras
                    # (*Trump* administration) or a title-case headline mean the model over-reached.
                    if c.start not in headline and c.label not in NUMERIC_LABELS and _is_name_extension(extra):
                        keep_m = False
                        continue
                kept.remove(c)
            if keep_m:
                kept.append(m)
        return kept

    # --------------------------------------------------------------- spans

    def _normalise(self, doc: Doc, c: _Cand) -> list[_Cand]:
        """Trim a candidate to the guidelines' minimal span; may split off a leading NORP/GPE."""
        start, end = c.start, c.end
        while end > start and (doc[end - 1].text in POSSESSIVES or doc[end - 1].is_space
                               or doc[end - 1].is_punct and doc[end - 1].text != "%"):
            end -= 1
        while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].text in POSSESSIVES):
            start += 1
        out: list[_Cand] = []
        if c.label in NUMERIC_LABELS:
            return [n for n in [self._numeric(doc, replace(c, start=start, end=end))] if n]
        while start < end and doc[start].lower_ in DETERMINERS:
            start += 1
        if c.source != "pattern" and (c.label == "PERSON" or (
                c.source != "kb" and start < end and doc[start].lower_ in HONORIFICS and end - start > 1
                and doc[end - 1].is_title and doc[start + 1].text not in POSSESSIVES)):
            # "Russian President Vladimir Putin": the title goes, the demonym becomes its own mention.
            new_start, known = self._title_prefix(doc, start, end)
            out += known
            if new_start > start and c.label != "PERSON":
                c = replace(c, label="PERSON", canonical=None, kb_id=None)
            start = new_start
        # "Kursk region", "Gaza Strip" stays: only lowercase region words leave the span.
        while end - start > 1 and doc[end - 1].lower_ in REGION_WORDS and doc[end - 1].is_lower:
            end -= 1
            c = replace(c, label="GPE")
        if start >= end:
            return out
        if (start, end) != (c.start, c.end) and c.source == "kb":
            c = replace(c, source="rule", canonical=None, kb_id=None)
        return [*out, replace(c, start=start, end=end)]

    def _title_prefix(self, doc: Doc, start: int, end: int) -> tuple[int, list[_Cand]]:
        """End of a leading run of titles and known demonyms/places, and those known names as mentions."""
        i, cut, known, pending = start, start, [], []
        while i < end - 1:
            if doc[i].lower_ in TITLE_WORDS:
                i += 1
                cut, known, pending = i, known + pending, []
                continue
            if doc[i].lower_ in {"of", "for", "the", "and"} and i > start:  # Secretary of State X
                i += 1
                continue
            for n in (3, 2, 1):
                entry = self._by_name.get(doc[i:i + n].text) if i + n < end else None
                if entry is not None and entry.label in {"NORP", "GPE", "ORG"}:
                    pending.append(_Cand(i, i + n, entry.label, "kb", entry.canonical, entry.kb_id))
                    i += n
                    break
                if i + n < end and doc[i + n - 1].text in COUNTY_WORDS and n > 1 \
                        and all(t.is_title for t in doc[i:i + n]):
                    pending.append(_Cand(i, i + n, "GPE", "rule"))
                    i += n
                    break
            else:
                break
        return cut, known

    def _numeric(self, doc: Doc, c: _Cand) -> _Cand | None:
        """Numbers keep approximators, drop determiners and the counted noun (guidelines §1)."""
        start, end = c.start, c.end
        if start >= end:
            return None
        # "3-1/2-year-old" is a duration (temporal layer), not a CARDINAL.
        if end + 1 < len(doc) and doc[end].text in {"-", "–"} and doc[end + 1].lower_ in TIME_UNITS:
            return None
        if any(t.lower_ in TIME_UNITS for t in doc[start:end]) and c.label == "CARDINAL":
            return None
        while start < end - 1 and (doc[start].lower_ == "the" or c.source == "model"
                                   and doc[start].lower_ in {"a", "an"} and doc[start + 1].lower_ not in SCALE_WORDS):
            start += 1
        keep_nouns = {"PERCENT": PERCENT_WORDS, "MONEY": CURRENCY_WORDS | SCALE_WORDS,
                      "CARDINAL": SCALE_WORDS}.get(c.label)
        if keep_nouns is not None:
            while end - start > 1 and doc[end - 1].pos_ in {"NOUN", "PROPN"} and not _has_digit(doc[end - 1]) \
                    and doc[end - 1].lower_ not in keep_nouns and doc[end - 1].text not in {"%", "-"}:
                end -= 1
        # spaCy sometimes leaves the currency sign out of a MONEY span ("$" 65.40).
        if c.label == "MONEY" and start > 0 and doc[start - 1].is_currency:
            start -= 1
        start = _extend_approximator(doc, start)
        return replace(c, start=start, end=end)

    # --------------------------------------------------------------- types

    def _retype(self, doc: Doc, c: _Cand) -> _Cand | None:
        """Fix model types by general cues; ``None`` drops a spurious mention."""
        if c.label in NUMERIC_LABELS or c.source in {"kb", "pattern"}:
            return c
        span = doc[c.start:c.end]
        nxt = doc[c.end] if c.end < len(doc) else None
        # Finance jargon (Q2, EPS) and a storm's "Category 2" are common words, not names.
        if JARGON.match(span.text):
            return None
        # A bare office title ("Solicitor General", "Deputy Speaker") names a role, not a body.
        if len(span) > 1 and all(t.lower_ in TITLE_WORDS for t in span if t.is_alpha):
            return None
        # "…, The Islanders rallied": a capital "The" mid-sentence makes a team's nickname, not a
        # nationality or a person.
        if c.label in {"NORP", "PERSON"} and len(span) == 1 and span[0].text.endswith("s") and c.start > 0 \
                and doc[c.start - 1].text == "The" and not _opens_clause(doc[c.start - 1]):
            return replace(c, label="ORG")
        if _traded_company(doc, c):
            return replace(c, label="ORG")
        # "Defense" in "Defense Minister X" is part of a title, not an organisation.
        if nxt is not None and nxt.text in ROLE_HEADS and len(span) == 1 and c.label != "PERSON":
            return None
        # "State" in "Secretary of State", "Defence" in "Minister of Defence": part of a title.
        if len(span) == 1 and span[0].lower_ in TITLE_WORDS and c.start > 1 and doc[c.start - 1].lower_ == "of" \
                and doc[c.start - 2].lower_ in TITLE_WORDS:
            return None
        # A capitalised adjective that only opens a sentence ("Unofficial figures ...").
        if len(span) == 1 and _opens_clause(span[0]) and span[0].lower_.endswith(COMMON_ADJ_SUFFIXES) \
                and span[0].text not in self._by_name and c.label not in {"NORP", "PERSON"}:
            return None
        if nxt is not None and nxt.lower_ in EVENT_HEADS:
            return replace(c, end=c.end + 1, label="EVENT")
        if nxt is not None and nxt.is_lower and (nxt.lower_ in REGION_WORDS or (
                c.end + 1 < len(doc) and doc[c.end + 1].lower_ in REGION_WORDS and doc[c.end + 1].is_lower
                and nxt.pos_ in {"NOUN", "ADJ"})) and c.label in {"PRODUCT", "ORG", "PERSON", "LOC", "NORP",
                                                                   "FAC", "WORK_OF_ART", "EVENT"}:
            if not (c.label == "ORG" and span[-1].text in ORG_HEADS):
                return replace(c, label="GPE")
        if c.start > 1 and doc[c.start - 1].lower_ == "of" and doc[c.start - 2].lower_ in SETTLEMENT_WORDS \
                and c.label in {"ORG", "PERSON", "PRODUCT", "NORP", "LOC", "FAC"}:
            return replace(c, label="GPE")
        if span[-1].text in ORG_HEADS and c.label in {"PERSON", "GPE", "PRODUCT", "WORK_OF_ART", "LOC", "NORP"}:
            return replace(c, label="ORG")
        prev = doc[c.start - 1] if c.start > 0 else None
        if prev is not None and prev.lower_ in HONORIFICS and prev.is_title and c.label in {"ORG", "GPE", "PRODUCT",
                                                                                            "NORP", "LOC"}:
            return replace(c, label="PERSON")
        if len(span) == 1 and c.label in {"ORG", "GPE", "PERSON", "LOC", "PRODUCT"} and _norp_shaped(span[0], nxt):
            return replace(c, label="NORP")
        return c

    def _attach_knowledge(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        """A span that, once trimmed, is a known name takes the knowledge entry."""
        out = []
        for c in cands:
            entry = self._by_name.get(doc[c.start:c.end].text)
            if c.source != "kb" and entry is not None and c.label not in NUMERIC_LABELS:
                c = replace(c, label=entry.label, source="kb", canonical=entry.canonical, kb_id=entry.kb_id)
            out.append(c)
        return out

    def _region_canonical(self, doc: Doc, c: _Cand) -> _Cand:
        """``Kursk`` in ``Kursk (border) region`` names the region: ``Kursk Oblast`` when that is known."""
        if c.label != "GPE" or c.end >= len(doc):
            return c
        after = [t for t in doc[c.end:c.end + 2] if t.is_lower]
        if not after or not (after[0].lower_ in REGION_WORDS or len(after) == 2 and after[1].lower_ in REGION_WORDS):
            return c
        name = doc[c.start:c.end].text
        for kind in ("Oblast", "Province", "Region", "Governorate", "Prefecture", "Krai"):
            entry = self._by_name.get(f"{name} {kind}")
            if entry is not None:
                return replace(c, canonical=entry.canonical, kb_id=entry.kb_id)
        return c

    # ------------------------------------------------------ document rules

    def _document_rules(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        cands = _drop_common_abbreviations(doc, cands)
        cands = _tickers(doc, cands)
        cands = _acronyms(doc, cands)
        cands = _person_names(doc, cands, self._by_name)
        cands = _bare_bodies(doc, cands)
        cands = _fuller_mentions(doc, cands)
        cands = _storm_names(doc, cands)
        cands = _repeat_acronyms(doc, cands)
        return _north_south(doc, cands)

    def _entity(self, doc: Doc, text: str, c: _Cand) -> Entity:
        span = doc[c.start:c.end]
        start, end = span.start_char, span.end_char
        # A possessive glued to the last token ("Committee’s" as one token).
        m = re.search(r"['’]s?$", text[start:end])
        if m and c.label not in NUMERIC_LABELS and end - start - len(m.group()) > 0:
            end -= len(m.group())
        surface = text[start:end]
        # A canonical name is spelled in its standard form: a straight apostrophe (Governor's Office).
        canonical = c.canonical or surface.replace("’", "'")
        if c.label in NUMERIC_LABELS:
            canonical = surface
        elif c.canonical is None and c.label in {"GPE", "LOC"} and surface.isupper() and len(surface) > 4:
            canonical = surface.title()
        return Entity(start, end, surface, c.label, canonical, self.origin, c.kb_id if c.canonical else None)


# ---------------------------------------------------------------- helpers


def _longest(spans: Iterable[Span]) -> list[Span]:
    """Longest non-overlapping spans (earliest first on ties)."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(s.start, s.end)):
            chosen.append(s)
            taken.update(range(s.start, s.end))
    return sorted(chosen, key=lambda s: s.start)


def _resolve(cands: Iterable[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates in text order: stronger source, then longer span wins."""
    chosen: list[_Cand] = []
    taken: set[int] = set()  # token indices of the chosen: an overlap test per candidate, not per pair
    for c in sorted(cands, key=lambda c: (_PRIORITY[c.source], -(c.end - c.start), c.start)):
        if c.end > c.start and taken.isdisjoint(range(c.start, c.end)):
            chosen.append(c)
            taken.update(range(c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


def _title_case_tokens(doc: Doc) -> set[int]:
    """Token indices of title-case lines (headlines), where spaCy's NER over-reaches."""
    out: set[int] = set()
    line: list[Token] = []
    for tok in [*doc, None]:
        if tok is None or "\n" in tok.text:
            words = [t for t in line if t.is_alpha and len(t) > 3]
            # Body sentences end in punctuation; headlines usually do not.
            ends_like_prose = bool(line) and line[-1].text in {".", "!", "?", "”", '"', "’", ":"}
            capitalised = sum(t.is_title or t.is_upper for t in words)
            if len(words) >= 4 and not ends_like_prose and capitalised / len(words) >= 0.8:
                out.update(t.i for t in line)
            line = []
        else:
            line.append(tok)
    return out


def _headline_only(doc: Doc, c: _Cand, headline: set[int], body: str) -> bool:
    """A non-numeric model span in a title-case headline that the body never repeats."""
    if c.start not in headline or c.label in NUMERIC_LABELS:
        return False
    return doc[c.start:c.end].text not in body


def _is_name_extension(extra: Sequence[Token]) -> bool:
    words = [t for t in extra if not (t.is_punct or t.lower_ in DETERMINERS or t.text in POSSESSIVES)]
    names = [t for t in words if t.is_title or t.is_upper]
    return bool(names) and all(t.is_title or t.is_upper or t.lower_ in {"of", "for", "and", "de", "the"}
                               for t in words) and not all(t.lower_ in TITLE_WORDS for t in names)


def _has_digit(tok: Token) -> bool:
    return tok.like_num or any(ch.isdigit() for ch in tok.text)


def _opens_clause(tok: Token) -> bool:
    """First word of a sentence or of a line, where capitals say nothing about names."""
    if tok.i == 0 or tok.is_sent_start:
        return True
    prev = tok.doc[tok.i - 1]
    return (prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_


def _extend_approximator(doc: Doc, start: int) -> int:
    """Move ``start`` left over an approximator the model left out (``nearly`` 43%)."""
    for phrase in APPROXIMATORS:
        n = len(phrase)
        if start - n >= 0 and tuple(t.lower_ for t in doc[start - n:start]) == phrase:
            return start - n
    return start


def _norp_shaped(tok: Token, nxt: Token | None) -> bool:
    """A demonym-like adjective modifying a following common noun (``Ukrainian forces``)."""
    return (tok.is_title and tok.text.endswith(NORP_SUFFIXES) and nxt is not None and nxt.is_lower
            and nxt.pos_ in {"NOUN", "ADJ"} and tok.dep_ in {"amod", "compound"} and tok.head.i >= nxt.i
            and (tok.pos_ == "ADJ" or tok.text.endswith(("ian", "ese", "ean", "ish"))))


def _merge_persons(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Adjacent PERSON pieces of one name (``Mohammed bin Abdulrahman`` + ``Al Thani``) become one."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        same_line = "\n" not in doc[prev.end - 1].whitespace_ if prev else False
        if prev and prev.label == c.label == "PERSON" and c.start == prev.end and same_line:
            out[-1] = replace(prev, end=c.end, source="rule", canonical=None, kb_id=None)
        else:
            out.append(c)
    return out


def _particle_names(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """``Erik`` + ``ten`` + ``Hag``: a lowercase surname particle joins a person's name (not a CARDINAL)."""
    out: list[_Cand] = []
    skip_to = -1
    for c in cands:
        if c.start < skip_to:
            continue
        if c.label == "PERSON":
            i = c.end
            while i < len(doc) and doc[i].lower_ in SURNAME_PARTICLES and doc[i].is_lower:
                i += 1
            end = i
            while end < len(doc) and end > c.end and doc[end].is_title and doc[end].pos_ == "PROPN" \
                    and "\n" not in doc[end - 1].whitespace_:
                end += 1
            if end > i > c.end:
                c = replace(c, end=end, source="rule", canonical=None, kb_id=None)
                skip_to = end
        out.append(c)
    return out


def _merge_ranges(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """``30% to nearly 43%`` and ``between 990 and 1,650`` are one entity (devset judgement call)."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if prev and prev.label in NUMERIC_LABELS and c.label in NUMERIC_LABELS and prev.label != "ORDINAL" \
                and prev.source != "pattern" and (prev.label == c.label or prev.label == "CARDINAL"):
            gap = [t.lower_ for t in doc[prev.end:c.start]]
            between = doc[prev.start].lower_ == "between"
            # "cut by 0.25 to 5.25%" is a change and a level, not a range.
            by = prev.start > 0 and doc[prev.start - 1].lower_ == "by"
            if (gap in (["to"], ["-"], ["–"]) and not by) or (between and gap == ["and"]):
                label = c.label if prev.label == "CARDINAL" else prev.label
                out[-1] = _Cand(prev.start, c.end, label, "rule")
                continue
        out.append(c)
    return out


def _role_persons(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Capitalised names right after a person noun (``Rivals Anies Baswedan``) are people."""
    by_token = {i: c for c in cands for i in range(c.start, c.end)}
    out = list(cands)
    for tok in doc:
        if tok.lower_ not in PERSON_ROLE_NOUNS:
            continue
        end = tok.i + 1
        while end < len(doc) and end - tok.i <= 4 and doc[end].is_title and doc[end].pos_ == "PROPN" \
                and doc[end].text not in ORG_HEADS and not (end > tok.i + 1 and doc[end - 1].whitespace_ != " "):
            end += 1
        if end == tok.i + 1 or (end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN"):
            continue
        inside = {id(by_token[i]): by_token[i] for i in range(tok.i + 1, end) if i in by_token}
        if any(c.source != "model" or c.start <= tok.i or c.end > end for c in inside.values()):
            continue
        out = [c for c in out if id(c) not in inside]
        out.append(_Cand(tok.i + 1, end, "PERSON", "rule"))
    return out


def _coordinated_persons(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """A name coordinated with a person (``Anies Baswedan and Ganjar Pranowo``) is a person too."""
    by_token = {i: c for c in cands for i in range(c.start, c.end)}
    out = []
    for c in cands:
        if c.source == "model" and c.label in {"ORG", "GPE", "LOC", "PRODUCT", "FAC"}:
            span = doc[c.start:c.end]
            root = span.root
            partners = [root.head] if root.dep_ == "conj" else []
            partners += [t for t in root.children if t.dep_ == "conj"]
            if any(by_token.get(p.i) is not None and by_token[p.i].label == "PERSON" for p in partners) \
                    and all(t.is_title for t in span) and span[-1].text not in ORG_HEADS:
                c = replace(c, label="PERSON")
        out.append(c)
    return out


def _name_key_tokens(doc: Doc, c: _Cand) -> list[str]:
    words = [t.text for t in doc[c.start:c.end] if t.is_alpha and t.text not in NAME_PARTICLES]
    return [w for w in {words[0], words[-1]} if len(w) > 2] if len(words) >= 2 else []


def _person_names(doc: Doc, cands: list[_Cand], known: Mapping[str, KnowledgeEntry]) -> list[_Cand]:
    """Surnames and first names take the full name of the document's fuller mention."""
    full = [c for c in cands if c.label == "PERSON" and len(_name_key_tokens(doc, c)) > 0]
    keys: dict[str, list[_Cand]] = {}
    for c in full:
        for k in _name_key_tokens(doc, c):
            keys.setdefault(k, []).append(c)

    def canonical_for(token_text: str, at: int) -> tuple[str, str | None]:
        options = keys[token_text]
        # A surname (last word) beats a first name; then a known (knowledge file) name; then the nearest before.
        last = [o for o in options if doc[o.end - 1].text == token_text] or options
        known = [o for o in last if o.canonical]
        pick = (known or sorted(last, key=lambda o: (o.start > at, abs(o.start - at))))[0]
        return pick.canonical or doc[pick.start:pick.end].text, pick.kb_id

    out = []
    covered = {i for c in cands for i in range(c.start, c.end)}
    for c in cands:
        text = doc[c.start:c.end].text
        # Knowledge first: "Israel" stays the country even when "Israel Katz" is in the text.
        if c.end - c.start == 1 and text in keys and c.label not in NUMERIC_LABELS and c.label != "NORP" \
                and (c.source != "kb" or c.label == "PERSON"):
            canonical, kb_id = canonical_for(text, c.start)
            source = "rule" if c.source == "model" else c.source
            c = replace(c, label="PERSON", canonical=canonical, kb_id=kb_id, source=source)
        out.append(c)
    for tok in doc:
        if tok.i not in covered and tok.text in keys and tok.is_title and tok.pos_ == "PROPN" \
                and known.get(tok.text, KnowledgeEntry("", "PERSON")).label == "PERSON":
            canonical, kb_id = canonical_for(tok.text, tok.i)
            out.append(_Cand(tok.i, tok.i + 1, "PERSON", "rule", canonical, kb_id))
    return out


def _acronyms(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """``Federal Open Market Committee (FOMC)`` defines FOMC for the whole document."""
    defined: dict[str, _Cand] = {}
    for c in cands:
        if c.label in NUMERIC_LABELS:
            continue
        if c.end + 2 < len(doc) and doc[c.end].text == "(" and doc[c.end + 2].text == ")":
            abbr = doc[c.end + 1].text
            initials = "".join(t.text[0] for t in doc[c.start:c.end] if t.is_title)
            if abbr.isupper() and 2 <= len(abbr) <= 6 and abbr[0] == initials[:1]:
                defined[abbr] = replace(c, canonical=c.canonical or doc[c.start:c.end].text)
    if not defined:
        return cands
    covered = {i for c in cands for i in range(c.start, c.end)}
    # "ISL" that the model tagged on its own still takes the definition's name ("Indian Super League").
    out = [replace(c, label=defined[t].label, canonical=defined[t].canonical, kb_id=defined[t].kb_id)
           if c.end - c.start == 1 and (t := doc[c.start].text) in defined and c.source != "kb"
           and c.label not in NUMERIC_LABELS else c for c in cands]
    for tok in doc:
        if tok.text in defined and tok.i not in covered:
            d = defined[tok.text]
            out.append(_Cand(tok.i, tok.i + 1, d.label, "rule", d.canonical, d.kb_id))
    return out


def _bare_bodies(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """A bare ``the Commission`` refers to the document's named commission (devset judgement call)."""
    bodies: dict[str, list[_Cand]] = {}
    for c in cands:
        if c.label == "ORG" and c.end - c.start > 1 and doc[c.end - 1].text in BODY_HEADS:
            bodies.setdefault(doc[c.end - 1].text, []).append(c)
    if not bodies:
        return cands

    def target(head: str, at: int) -> _Cand:
        options = bodies[head]
        before = [o for o in options if o.start < at]
        return (before or options)[-1 if before else 0]

    out = []
    covered = {i for c in cands for i in range(c.start, c.end)}
    for c in cands:
        if c.end - c.start == 1 and doc[c.start].text in bodies:
            t = target(doc[c.start].text, c.start)
            c = replace(c, label="ORG", canonical=t.canonical or doc[t.start:t.end].text, kb_id=t.kb_id)
        out.append(c)
    for tok in doc:
        if tok.i in covered or tok.text not in bodies or tok.i == 0:
            continue
        prev, nxt = doc[tok.i - 1], doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if prev.lower_ in {"the", "its", "this"} and (nxt is None or not nxt.is_title):
            t = target(tok.text, tok.i)
            out.append(_Cand(tok.i, tok.i + 1, "ORG", "rule", t.canonical or doc[t.start:t.end].text, t.kb_id))
    return out


def _north_south(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """``the North`` names North Korea (Sudan, …) when the document names that state."""
    named = {}
    for c in cands:
        if c.label == "GPE":
            name = c.canonical or doc[c.start:c.end].text
            first = name.split(" ", 1)[0]
            if first in {"North", "South"} and " " in name:
                named.setdefault(first, c)
    if not named:
        return cands
    out = []
    covered = {i: c for c in cands for i in range(c.start, c.end)}
    for tok in doc:
        if tok.text in named and tok.i > 0 and doc[tok.i - 1].lower_ == "the" and (
                tok.i + 1 >= len(doc) or not doc[tok.i + 1].is_title):
            g = named[tok.text]
            old = covered.get(tok.i)
            if old is None or (old.end - old.start == 1 and old.label in {"LOC", "GPE", "ORG"}):
                cands = [c for c in cands if c is not old]
                out.append(_Cand(tok.i, tok.i + 1, "GPE", "rule", g.canonical or doc[g.start:g.end].text, g.kb_id))
    return cands + out


# ------------------------------------------------------------ name patterns

_NAME_WORD = "edc_name_word"
_CONNECTORS = frozenset({"of", "for", "and", "&", "the", "on"})
_SCORE_NUMBER = re.compile(r"^\d{1,3}$")
_DASHES = frozenset({"-", "–"})
# Words that alone anchor a name pattern (a club, facility, storm or county word).
_NAME_ANCHORS = CLUB_SUFFIXES | CLUB_PREFIXES | FAC_HEADS | FAC_PREFIXES | STORM_WORDS | COUNTY_WORDS


def _is_name_word(tok: Token) -> bool:
    """A capitalised, non-stop word, or a hyphen or ampersand joining two of them (``Miami-Dade``)."""
    if tok.text in {"-", "–", "&"} and 0 < tok.i < len(tok.doc) - 1:
        before, after = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
        glued = not before.whitespace_ and not tok.whitespace_
        # "Brighton & Hove Albion", "Procter & Gamble": an ampersand joins the parts of one name.
        return (glued or tok.text == "&") and before.text[:1].isupper() and after.text[:1].isupper()
    return tok.text[:1].isupper() and not tok.is_stop and any(ch.isalpha() for ch in tok.text)


def _name_matcher(nlp: Language) -> Matcher:
    """Token patterns for name shapes that en_core_web_sm splits or mistypes.

    Each key maps to a label in ``_NAME_LABELS`` and a post-filter in ``_NAME_FILTERS`` that
    trims or rejects the raw match (the Matcher cannot look past the match).
    """
    if not Token.has_extension(_NAME_WORD):
        Token.set_extension(_NAME_WORD, getter=_is_name_word)
    name = {"_": {_NAME_WORD: True}}
    names = {"_": {_NAME_WORD: True}, "OP": "{1,4}"}
    poss = {"ORTH": {"IN": sorted(POSSESSIVES)}}
    matcher = Matcher(nlp.vocab)
    matcher.add("CLUB", [
        [names, {"ORTH": {"IN": sorted(CLUB_SUFFIXES)}}],
        # The place after a prefix is title case: "AS" and "Inter" are also plain words in capitals.
        [{"ORTH": {"IN": sorted(CLUB_PREFIXES)}}, {**name, "IS_TITLE": True}],
    ])
    matcher.add("CLUB_WORD", [[{**names, "OP": "{1,3}"}, {"ORTH": {"IN": sorted(CLUB_NAME_WORDS)}}]])
    matcher.add("FAC", [
        [names, {"ORTH": {"IN": sorted(FAC_HEADS)}}],
        [{"ORTH": {"IN": sorted(FAC_PREFIXES)}}, {"LOWER": {"IN": ["de", "del", "da", "do", "di", "la", "du"]},
                                                  "OP": "?"}, {**name, "OP": "{1,2}"}],
    ])
    matcher.add("STORM", [
        [{"ORTH": {"IN": ["Hurricane", "Typhoon", "Cyclone", "Storm"]}}, name],
        [{"ORTH": {"IN": ["Tropical", "Subtropical", "Super", "Severe", "Winter"]}},
         {"ORTH": {"IN": sorted(STORM_WORDS)}}, name],
    ])
    matcher.add("COUNTY", [[{**names, "OP": "{1,3}"}, {"ORTH": {"IN": sorted(COUNTY_WORDS)}}]])
    office = [{"ORTH": {"IN": sorted(POSSESSOR_WORDS)}}, poss, {"ORTH": {"IN": sorted(POSSESSIVE_ORG_HEADS)}}]
    matcher.add("POSS_ORG", [
        [{**names, "OP": "{0,3}"}, *office, {"LOWER": {"IN": ["of", "for", "on"]}},
         {"_": {_NAME_WORD: True}, "OP": "+"},
         {"LOWER": {"IN": sorted(_CONNECTORS)}, "OP": "?"}, {"_": {_NAME_WORD: True}, "OP": "*"},
         {"LOWER": {"IN": sorted(_CONNECTORS)}, "OP": "?"}, {"_": {_NAME_WORD: True}, "OP": "*"}],
        [names, *office],
    ])
    digits = {"TEXT": {"REGEX": _SCORE_NUMBER.pattern}}
    matcher.add("SCORE", [[digits, {"ORTH": {"IN": sorted(_DASHES)}}, digits], [{"TEXT": {"REGEX": SCORE.pattern}}]])
    return matcher


def _may_match_names(doc: Doc) -> bool:
    """Whether a pattern of ``_name_matcher`` can match ``doc`` (a cheap necessary condition).

    Every pattern holds an anchor: a word of ``_NAME_ANCHORS``, a club word after a name
    word (``Atlanta United``, not ``the United States``), an office (``Governor’s Office``)
    or a score (``3-1``). Most documents have none, and then the Matcher, which computes
    the name-word extension of every token first, is not called. Keep in step with the
    patterns (``tests/test_entities.py`` checks it on every test text).
    """
    words = [t.text for t in doc]
    for i, text in enumerate(words):
        if text in _NAME_ANCHORS or (("-" in text or "–" in text) and SCORE.search(text)):
            return True
        if text in CLUB_NAME_WORDS and i > 0 and _is_name_word(doc[i - 1]):
            return True
        if 0 < i < len(words) - 1:
            before, after = words[i - 1], words[i + 1]
            if text in POSSESSIVES and before in POSSESSOR_WORDS and after in POSSESSIVE_ORG_HEADS:
                return True
            if text in _DASHES and _SCORE_NUMBER.search(before) and _SCORE_NUMBER.search(after):
                return True
    return False


def _next_is_name(doc: Doc, end: int) -> bool:
    """The match runs on into a longer capitalised name (``Tower Hamlets``, ``Airport Authority``)."""
    return end < len(doc) and doc[end - 1].whitespace_ == " " and doc[end]._.get(_NAME_WORD)


def _skip_titles(doc: Doc, start: int, end: int) -> int:
    """Leading role words are not part of a name (``Coach``, ``Governor``)."""
    while start < end - 1 and doc[start].lower_ in TITLE_WORDS:
        start += 1
    return start


def _name_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """A club or facility name: whole, without a leading role word, not the head of a longer name."""
    return None if _next_is_name(doc, end) else (_skip_titles(doc, start, end), end)


def _storm_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    # "National Hurricane Center", "Storm Shadow" missiles, "Eurofighter Typhoon" are not storms.
    if doc[end - 1].text in NOT_STORM_NAMES or (start > 0 and doc[start - 1]._.get(_NAME_WORD)
                                                 and not _opens_clause(doc[start])):
        return None
    return start, end


def _county_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """``Wayne County`` is a GPE unless it opens a longer name (``Orange County Register``)."""
    if _next_is_name(doc, end) and doc[end].lower_ not in TITLE_WORDS:
        return None
    return _skip_titles(doc, start, end), end


def _office_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """``Governor’s Office of Homeland Security and Emergency Preparedness`` (one ORG).

    The tail stops before a connector, and before an ``and`` that joins a separate named
    entity (``… Office of Emergency Services and Cal Fire``).
    """
    if _next_is_name(doc, end):
        return None
    ents = {e.start for e in doc.ents}
    for i in range(start, end):
        if doc[i].lower_ == "and" and i + 1 in ents:
            end = i
            break
    while end > start and doc[end - 1].lower_ in _CONNECTORS:
        end -= 1
    return start, end


def _score_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """``3-1`` (a score, a vote tally) is one CARDINAL; not a date range, money or part of a fraction."""
    prev = doc[start - 1] if start > 0 else None
    nxt = doc[end] if end < len(doc) else None
    if prev is not None and (prev.is_currency or prev.lower_ in MONTH_WORDS | {"aged", "ages"} or (
            not prev.whitespace_ and prev.text in {"/", "-", "–", ".", ":", "$"})):
        return None
    if nxt is not None and (nxt.lower_ in TIME_UNITS | MONTH_WORDS | PERCENT_WORDS | SCALE_WORDS | CURRENCY_WORDS
                            | UNIT_WORDS
                            or nxt.lower_ in {"a.m.", "p.m.", "am", "pm", "/"}
                            or (not doc[end - 1].whitespace_ and nxt.text in {"-", "–", "/", "%"})):
        return None
    return start, end


_NAME_LABELS = {"CLUB": "ORG", "CLUB_WORD": "ORG", "FAC": "FAC", "STORM": "EVENT", "COUNTY": "GPE",
                "POSS_ORG": "ORG", "SCORE": "CARDINAL"}
_NAME_FILTERS = {"CLUB": _name_bounds, "CLUB_WORD": _name_bounds, "FAC": _name_bounds, "STORM": _storm_bounds,
                 "COUNTY": _county_bounds, "POSS_ORG": _office_bounds, "SCORE": _score_bounds}


def _trim_around(doc: Doc, cands: list[_Cand], patterns: list[_Cand]) -> list[_Cand]:
    """Cut model/knowledge spans back where a pattern name takes part of them.

    ``Wayne County Prosecutor Kym Worthy`` as one model PERSON keeps ``Prosecutor Kym Worthy``
    (its title goes later) instead of being dropped whole for the pattern's ``Wayne County``.
    """
    out = []
    for c in cands:
        pieces = [(c.start, c.end)]
        for p in patterns:
            pieces = [q for a, b in pieces for q in ([(a, b)] if not (a < p.end and p.start < b)
                                                     else [(a, p.start), (p.end, b)])]
        for a, b in pieces:
            words = [t for t in doc[a:b] if t.is_alpha or _has_digit(t)]
            if (a, b) == (c.start, c.end):
                out.append(c)
            elif words and any(t.text[:1].isupper() and t.lower_ not in TITLE_WORDS or _has_digit(t) for t in words):
                out.append(_Cand(a, b, c.label, "model"))
    return out


def _bare_count(ent: Span) -> bool:
    """A lone small number the model tagged DATE (``Mohun Bagan SG's 8``) counts something.

    Ages in apposition (``Brown, 29,``) and day numbers next to a month stay temporal.
    """
    if len(ent) != 1 or not ent.text.isdigit() or len(ent.text) > 3:
        return False
    doc = ent.doc
    prev = doc[ent.start - 1] if ent.start > 0 else None
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if prev is not None and (prev.lower_ in MONTH_WORDS | TIME_UNITS | {"aged", "age", "ages", ","} or prev.like_num):
        return False
    return nxt is None or nxt.lower_ not in MONTH_WORDS | TIME_UNITS | {"th", "st", "nd", "rd"}


def _company_shaped(text: str) -> bool:
    """Inner capitals, all capitals or digits (``FedEx``, ``UPS``, ``3M``): a brand, not a place."""
    return any(ch.isupper() for ch in text[1:]) or any(ch.isdigit() for ch in text)


def _traded_company(doc: Doc, c: _Cand) -> bool:
    """``FedEx shares fell``: a single name whose shares or stock trade is a company."""
    if c.end - c.start != 1 or c.label not in {"GPE", "LOC", "PERSON", "PRODUCT", "FAC", "WORK_OF_ART"}:
        return False
    i = c.end + (1 if c.end < len(doc) and doc[c.end].text in POSSESSIVES else 0)
    if i >= len(doc) or doc[i].lower_ not in SHARE_WORDS or doc[i].pos_ != "NOUN":
        return False
    return c.label not in {"GPE", "LOC"} or _company_shaped(doc[c.start].text)


def _abbreviation_of(words: Sequence[Token], abbr: str) -> bool:
    """``earnings per share`` → ``EPS``: initials of all words, or of the content words."""
    initials = "".join(t.text[0] for t in words).upper()
    content = "".join(t.text[0] for t in words if t.lower_ not in {"of", "and", "the", "for", "in", "on", "to"})
    return abbr.upper().replace(".", "") in {initials, content.upper()}


def _drop_common_abbreviations(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """An abbreviation defined by lowercase words (``earnings per share (EPS)``) is a common noun."""
    common = set()
    for tok in doc:
        if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
            continue
        abbr = doc[tok.i + 1].text
        if not (abbr.isupper() and 2 <= len(abbr) <= 6):
            continue
        for n in range(len(abbr), len(abbr) + 3):
            words = doc[max(tok.i - n, 0):tok.i]
            if len(words) == n and all(t.is_lower and t.is_alpha for t in words) and _abbreviation_of(words, abbr):
                common.add(abbr)
                break
    return [c for c in cands if c.label in NUMERIC_LABELS or c.source == "kb" or doc[c.start:c.end].text not in common]


def _ticker_at(doc: Doc, paren: int) -> tuple[int, int, int | None] | None:
    """``(UPS)``, ``(NYSE: UPS)`` at ``paren``: (ticker index, closing index, exchange index or None)."""
    toks = doc[paren:paren + 5]
    if len(toks) >= 3 and toks[2].text == ")":
        return paren + 1, paren + 2, None
    if len(toks) >= 5 and toks[1].text in EXCHANGES and toks[2].text == ":" and toks[4].text == ")":
        return paren + 3, paren + 4, paren + 1
    return None


def _tickers(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """``UPS (UPS)``, ``Tesla (NASDAQ: TSLA)``: the name before a stock ticker is a company (ORG).

    The ticker is annotated too, with the company's canonical name; the company name and
    ticker then count as ORG wherever the document repeats them on their own.
    """
    by_end = {c.end: c for c in cands}
    covered = {i: c for c in cands for i in range(c.start, c.end)}
    companies: dict[str, tuple[str | None, str | None]] = {}
    out = list(cands)
    for tok in doc:
        found = _ticker_at(doc, tok.i) if tok.text == "(" and tok.i > 0 else None
        if found is None:
            continue
        ticker_i, _close, exchange_i = found
        ticker = doc[ticker_i].text
        if not re.fullmatch(r"[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?", ticker):
            continue
        name = by_end.get(tok.i)
        if name is None and doc[tok.i - 1].text[:1].isupper() and tok.i - 1 not in covered:
            name = _Cand(tok.i - 1, tok.i, "ORG", "rule")
            out.append(name)
        if name is None or name.label in NUMERIC_LABELS:
            continue
        text = doc[name.start:name.end].text
        letters = re.sub(r"\..*", "", ticker)
        looks_like = text.upper().replace(" ", "") == letters or (
            name.end - name.start == 1 and letters[0] == text[0].upper() and _subsequence(letters, text.upper()))
        if exchange_i is None and (not looks_like or (name.source == "kb" and name.label != "ORG")):
            continue
        canonical = name.canonical if name.label == "ORG" else None
        out = [replace(c, label="ORG", source="rule" if c.source == "model" else c.source,
                       canonical=canonical, kb_id=name.kb_id if canonical else None) if c is name else c for c in out]
        companies[text] = companies[ticker] = (canonical or text, name.kb_id if canonical else None)
        if exchange_i is not None and exchange_i not in covered:
            out.append(_Cand(exchange_i, exchange_i + 1, "ORG", "rule"))
    return _spread(doc, out, companies, "ORG")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _spread(doc: Doc, cands: list[_Cand], names: Mapping[str, tuple[str | None, str | None]],
            label: str) -> list[_Cand]:
    """Give every one-token mention of ``names`` the label (and canonical) the document settled on."""
    if not names:
        return cands
    out = []
    covered = {i for c in cands for i in range(c.start, c.end)}
    for c in cands:
        text = doc[c.start:c.end].text
        if c.end - c.start == 1 and text in names and c.source != "kb" and c.label not in NUMERIC_LABELS:
            canonical, kb_id = names[text]
            c = replace(c, label=label, canonical=canonical if canonical != text else c.canonical,
                        kb_id=kb_id or c.kb_id)
        out.append(c)
    # The document has settled what the name is, so a sentence-initial capital says nothing against it.
    for tok in doc:
        if tok.i not in covered and tok.text in names:
            canonical, kb_id = names[tok.text]
            out.append(_Cand(tok.i, tok.i + 1, label, "rule", canonical, kb_id))
    return out


def _repeat_acronyms(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """An all-capitals name the document uses as an ORG (``UPS``) is an ORG where the model missed it."""
    names: dict[str, tuple[str | None, str | None]] = {}
    for c in cands:
        if c.label != "ORG" or c.end - c.start != 1:
            continue
        text = doc[c.start].text
        if text.isupper() and 2 <= len(text) <= 6 and not JARGON.match(text):
            names.setdefault(text, (c.canonical, c.kb_id))
    out = list(cands)
    if not names:
        return out
    covered = {i for c in cands for i in range(c.start, c.end)}
    for tok in doc:
        if tok.i not in covered and tok.text in names:
            canonical, kb_id = names[tok.text]
            out.append(_Cand(tok.i, tok.i + 1, "ORG", "rule", canonical, kb_id))
    return out


def _fuller_mentions(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Repeat mentions follow the document's fullest form of a name.

    ``Mohun Bagan`` followed by ``Super Giant`` extends to the full club name the document uses
    elsewhere, and ``Mohun Bagan SG`` (trailing initials of that name) takes it as canonical.
    """
    full = [c for c in cands if c.label in {"ORG", "FAC", "EVENT", "LAW", "WORK_OF_ART"} and c.end - c.start > 1]
    if not full:
        return cands
    covered = {i for c in cands for i in range(c.start, c.end)}
    out = []
    for c in cands:
        words = [t.text for t in doc[c.start:c.end]]
        for f in sorted(full, key=lambda f: f.start - f.end):
            fwords = [t.text for t in doc[f.start:f.end]]
            if c is f or c.label in NUMERIC_LABELS or len(fwords) <= len(words) or c.source == "kb":
                continue
            rest = fwords[len(words):]
            if fwords[:len(words)] == words:
                end = c.end + len(rest)
                tail = [t.text for t in doc[c.end:end]] if end <= len(doc) else []
                if tail == rest and not covered.intersection(range(c.end, end)):
                    c = replace(c, end=end, label=f.label, source="rule", canonical=f.canonical, kb_id=f.kb_id)
                    break
            elif words[:-1] and fwords[:len(words) - 1] == words[:-1] and words[-1].isupper() and len(words[-1]) > 1 \
                    and "".join(w[0] for w in fwords[len(words) - 1:] if w[:1].isupper()) == words[-1]:
                c = replace(c, label=f.label, canonical=f.canonical or " ".join(fwords), kb_id=f.kb_id)
                break
        out.append(c)
    return out


def _storm_names(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """A bare ``Francine`` after ``Hurricane Francine`` is the same storm (EVENT, canonical the full name)."""
    storms: dict[str, tuple[str | None, str | None]] = {}
    for c in cands:
        if c.label == "EVENT" and c.end - c.start >= 2 and doc[c.end - 2].text in STORM_WORDS:
            storms.setdefault(doc[c.end - 1].text, (c.canonical or doc[c.start:c.end].text, c.kb_id))
    return _spread(doc, cands, storms, "EVENT")
