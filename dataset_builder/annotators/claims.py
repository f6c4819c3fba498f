"""Rule-based claim annotator: attribution relations as source–cue–content (PARC 3.0).

The annotator reads the dependency parse of the article and a lexicon of attribution
cues (``data/attribution_cues.json``) and finds:

* reported speech: a reporting verb with its clausal complement (``Kyiv and Seoul
  estimate North Korea deployed …``), also in relative clauses, coordinations and
  participles (``…, saying they would …``), and characterisations (``derided X as Y``);
* parenthetical attributions after the content (``…, KCNA said.``) and direct quotes
  attributed that way (``“…,” Kim said``), including quotes split by their cue and
  quotes introduced by a colon;
* ``according to X`` before or after its clause, and reporting nouns with a
  ``that``-clause (``Putin's comment that …``);
* relaying channels (``…, state media KCNA reported``, ``according to KCNA``,
  ``…, the agency reported, citing an official``), which become ``via``.

Sources are resolved against the entity layer: names to their canonical form, pronouns
to the most recent compatible subject, definite descriptions (``the agency``) to their
antecedent, descriptive noun phrases to themselves without the determiner.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..records import Article, Claim, Entity, Span
from . import CLAIMS
from .base import Annotator

CUES_PATH = Path(__file__).resolve().parents[1] / "data" / "attribution_cues.json"

# Entity labels that can name a source (numeric and temporal labels cannot).
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"})
_Q_OPEN = "“„«"
_Q_CLOSE = "”»"
_STRAIGHT = '"'
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_THING_PRONOUNS = frozenset({"it"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})
_SPEAKER_PRONOUNS = frozenset({"i", "we", "me", "us"})
# A dateline such as ``PYONGYANG:`` or ``SEOUL (Reuters) —`` opening a paragraph is
# not part of any claim's content.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’/ -]{2,40}"  # PYONGYANG, WASHINGTON/LONDON
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"  # , Dec 12
    r"(?:\s*\([^)\n]{1,40}\))?"  # (Reuters)
    r"\s*(?::|—|–|--?)\s*"
)
# Adjectives that count rather than describe (``multiple sources``).
_QUANTITY_ADJ = frozenset(
    {
        "multiple",
        "several",
        "many",
        "some",
        "other",
        "various",
        "numerous",
        "few",
        "more",
        "most",
        "two",
        "three",
        "second",
        "first",
    }
)
_CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though"})
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Attribution cue lexicon (lower-case lemmas), loaded from JSON data.

    Attributes:
        verbs: Reporting verbs whose clausal complement is the content.
        as_verbs: Characterisation verbs (``derided X as Y``); content is ``X as Y``.
        evidential_verbs: Verbs whose object plus predicate is a finding (``figures showed X on track``).
        listener_verbs: Verbs whose common-noun object joins the cue (``told reporters``).
        hearer_verbs: Verbs whose direct object is always the hearer (``told Putin``), never
            the subject of a bare complement (as in ``warned a sharp drop would …``).
        nouns: Reporting nouns that take a ``that``-clause.
        relay_participles: Participles naming the original source (``citing``).
        outlet_heads: Head nouns of news outlets (``state media``, ``the newspaper``).
        agency_modifiers: Modifiers that make ``agency`` a news agency (``news agency``).
        outlets: Case-folded names of widely known news outlets.
        document_nouns: Nouns of sources that are documents or inquiries (``investigation``).
        honorifics: Honorifics that may stand between a title and a name (``Sheikh``).
        inferential_participles: Verbs that, as a participle after a comma, read a fact's
            meaning in the article's own voice (``shares fell, indicating …``).
        communication_verbs: Verbs of publishing whose subject speaks through a following
            inferential participle (``issued a statement, indicating that …``).
        channel_nouns: Nouns of documents that carry a source's words (``a statement from X``).
        small_clause_verbs: Verbs of estimation whose object and infinitive form the content
            (``forecasting revenue to be about $93 billion``).
    """

    verbs: frozenset[str]
    as_verbs: frozenset[str]
    evidential_verbs: frozenset[str]
    listener_verbs: frozenset[str]
    hearer_verbs: frozenset[str]
    nouns: frozenset[str]
    relay_participles: frozenset[str]
    outlet_heads: frozenset[str]
    agency_modifiers: frozenset[str]
    outlets: frozenset[str]
    document_nouns: frozenset[str]
    honorifics: frozenset[str]
    inferential_participles: frozenset[str] = frozenset()
    communication_verbs: frozenset[str] = frozenset()
    channel_nouns: frozenset[str] = frozenset()
    small_clause_verbs: frozenset[str] = frozenset()


@lru_cache(maxsize=2)
def load_lexicon(path: Path = CUES_PATH) -> CueLexicon:
    """Load the attribution cue lexicon from ``path`` (cached)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def words(key: str, fold: bool = True) -> frozenset[str]:
        return frozenset(w.casefold() if fold else w for w in data.get(key, ()))

    return CueLexicon(
        verbs=words("verbs"),
        as_verbs=words("as_verbs"),
        evidential_verbs=words("evidential_verbs"),
        listener_verbs=words("listener_verbs"),
        hearer_verbs=words("hearer_verbs"),
        nouns=words("nouns"),
        relay_participles=words("relay_participles"),
        outlet_heads=words("outlet_heads"),
        agency_modifiers=words("agency_modifiers"),
        outlets=words("outlets"),
        document_nouns=words("document_nouns"),
        honorifics=words("honorifics", fold=False),
        inferential_participles=words("inferential_participles"),
        communication_verbs=words("communication_verbs"),
        channel_nouns=words("channel_nouns"),
        small_clause_verbs=words("small_clause_verbs"),
    )


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``open`` is the index of its opening mark, ``close`` of its closing
    mark (or the paragraph end when the quote runs on unclosed)."""

    open: int
    close: int
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        """``[start, end)`` of the quoted words, without the marks."""
        return self.open + 1, self.close

    @property
    def end(self) -> int:
        """End of the quotation including its closing mark."""
        return self.close + 1 if self.closed else self.close


def find_quotes(text: str) -> list[Quote]:
    """Double quotations (curly, guillemets or straight) of ``text``, paired within a paragraph.

    Single quotes are left out on purpose: ``’`` is also the apostrophe, and news prose
    uses single quotes mostly for scare quotes and headlines.
    """
    quotes: list[Quote] = []
    for para in re.finditer(r"[^\n]+", text):
        opened: int | None = None
        for i in range(para.start(), para.end()):
            ch = text[i]
            if opened is None:
                if ch in _Q_OPEN or (ch == _STRAIGHT and (i == para.start() or not text[i - 1].isalnum())):
                    opened = i
            elif ch in _Q_CLOSE or ch == _STRAIGHT:
                quotes.append(Quote(opened, i, True))
                opened = None
        if opened is not None:
            quotes.append(Quote(opened, para.end(), False))
    return quotes


@dataclass
class _Frame:
    """One attribution found in the parse, before its source is resolved."""

    cue: Token
    cue_end: int  # char end of the cue phrase (``told reporters``, ``according to``)
    parts: list[tuple[int, int]]
    source: tuple[int, int] | None = None  # token range [a, b] of the source NP
    source_head: Token | None = None
    via: str | None = None
    rule: str = ""
    relayed: bool = False
    content_tokens: frozenset[int] = frozenset()
    continuation: Quote | None = None  # a quotation that may continue a split direct quote

    @property
    def cue_span(self) -> tuple[int, int]:
        return self.cue.idx, self.cue_end


@dataclass
class _Ctx:
    """Per-document state shared by the rules."""

    doc: Doc
    text: str
    lex: CueLexicon
    quotes: list[Quote]
    entities: list[Entity]
    ent_at: list[int]  # char index -> index into ``entities`` or -1
    seg_of: list[int]  # token index -> segment index
    segments: list[tuple[int, int]]  # token ranges [start, end)
    content_start: list[int]  # segment index -> char where content may start
    # Token index -> lower-cased lemma and char offset, read once per document: the rules
    # scan the document several times, and most tokens are ruled out by their lemma alone.
    lemmas: list[str]
    starts: list[int]
    resolved: list[tuple[int, str, str]] = field(default_factory=list)  # (char, label, canonical)
    # Content of the claim whose source is being resolved: a pronoun source rarely
    # points into its own content (``Challenges … cannot hinder …, he added``).
    avoid: tuple[tuple[int, int], ...] = ()

    def entity(self, char: int) -> Entity | None:
        k = self.ent_at[char] if 0 <= char < len(self.ent_at) else -1
        return self.entities[k] if k >= 0 else None

    def seg(self, tok: Token) -> tuple[int, int]:
        return self.segments[self.seg_of[tok.i]]


class ClaimAnnotator(Annotator):
    """Attribution relations (claims) from the dependency parse and a cue lexicon."""

    layer = "claims"
    name = CLAIMS
    requires = ("entities",)

    def __init__(self, nlp: Language, lexicon: CueLexicon | None = None) -> None:
        """Build the annotator for a loaded pipeline, with the bundled cue lexicon by default."""
        super().__init__(nlp)
        self.lex = lexicon or load_lexicon()

    def annotate(self, doc: Doc, article: Article, layers: Mapping[str, Sequence]) -> list[Claim]:
        """Return the claims of one article, sorted by content start.

        Args:
            doc: The parsed spaCy ``Doc`` of ``article.text``.
            article: The article (only its text is used).
            layers: Layers produced so far; ``layers["entities"]`` resolves sources.

        Returns:
            One :class:`Claim` per attribution, ``origin`` set to this annotator's origin.
        """
        ctx = _context(doc, article.text, self.lex, layers.get("entities", ()))
        frames = _verb_frames(ctx)
        frames = _attach_according(ctx, frames)
        frames += _noun_frames(ctx, frames)
        _join_continuations(frames)
        _prefer_named_apposition(ctx, frames)
        _apply_relays(ctx, frames)
        claims = _build_claims(ctx, [f for f in frames if not f.relayed], self.origin)
        return sorted(claims, key=lambda c: (c.content.start, c.cue.start))


# --------------------------------------------------------------------------- context


def _context(doc: Doc, text: str, lex: CueLexicon, entities: Iterable[Entity]) -> _Ctx:
    ents = sorted((e for e in entities if e.label in _NAME_LABELS), key=lambda e: e.start)
    ent_at = [-1] * len(text)
    for k, e in enumerate(ents):
        for i in range(max(0, e.start), min(len(text), e.end)):
            ent_at[i] = k
    segments: list[tuple[int, int]] = []
    # spaCy sentences may run across a paragraph break (headlines have no full stop),
    # so paragraphs split them too.
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text:
                if tok.i > start:
                    segments.append((start, tok.i))
                start = tok.i + 1
        if sent.end > start:
            segments.append((start, sent.end))
    seg_of = [0] * len(doc)
    content_start = []
    for k, (a, b) in enumerate(segments):
        for i in range(a, b):
            seg_of[i] = k
        begin = doc[a].idx
        if begin == 0 or text[begin - 1] == "\n":
            m = _DATELINE.match(text, begin)
            if m and m.end() < doc[b - 1].idx:
                begin = m.end()
        content_start.append(begin)
    lemmas = [t.lemma_.lower() for t in doc]
    starts = [t.idx for t in doc]
    return _Ctx(doc, text, lex, find_quotes(text), ents, ent_at, seg_of, segments, content_start, lemmas, starts)


def _tok_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _char_range(doc: Doc, a: int, b: int) -> tuple[int, int]:
    return doc[a].idx, _tok_end(doc[b])


def _is_punct(tok: Token) -> bool:
    """Punctuation that may be trimmed from a span's end; spaCy counts ``%`` as
    punctuation, but ``rose 5%`` must keep it."""
    return tok.is_punct and tok.text not in ("%", "‰")


def _is_quote_tok(tok: Token) -> bool:
    return tok.text in (_Q_OPEN + _Q_CLOSE + _STRAIGHT)


def _has_that_clause(tok: Token, deps: tuple[str, ...] = ("ccomp", "acl", "relcl")) -> bool:
    return any(c.dep_ in deps and _has_that(c) for c in tok.rights)


def _has_that(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)


def _is_cue_verb(ctx: _Ctx, tok: Token) -> bool:
    if tok.lemma_.lower() not in ctx.lex.verbs:
        return False
    if tok.tag_.startswith("VB"):
        return True
    # ``Kyiv and Seoul estimate North Korea deployed …`` and ``… and judges that the
    # risks are …`` are sometimes tagged as nouns; a clausal complement gives them away.
    if tok.dep_ in ("ROOT", "conj", "ccomp", "relcl") and any(c.dep_ == "ccomp" for c in tok.rights):
        return True
    return tok.tag_ == "NNS" and tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX") and _has_that_clause(tok)


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _agent(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


# --------------------------------------------------------------------------- sources


def _np_range(ctx: _Ctx, head: Token, exclude: Token | None = None) -> tuple[int, int]:
    """Token range [a, b] of the noun phrase headed by ``head`` within its segment.

    The phrase stops at a comma (appositions and trailing participles such as
    ``three pollsters, based on …`` are not part of the source), drops trailing
    date phrases (``figures … on Wednesday``) and never includes ``exclude``'s subtree.
    """
    s, e = ctx.seg(head)
    inside = exclude is not None and exclude.i != head.i and head.is_ancestor(exclude)
    skip = {t.i for t in exclude.subtree} if inside else set()
    idx = sorted(t.i for t in head.subtree if s <= t.i < e and t.i not in skip)
    a, b = head.i, head.i
    for i in range(head.i + 1, e):
        if i not in idx or ctx.doc[i].text == ",":
            break
        b = i
    start_char = ctx.content_start[ctx.seg_of[head.i]]
    for i in range(head.i - 1, s - 1, -1):
        if i not in idx or ctx.doc[i].text in (",", ":") or _is_quote_tok(ctx.doc[i]) or ctx.doc[i].idx < start_char:
            break
        a = i
    # ``a deployment South Korean intelligence believes``: a common noun before a named
    # modifier belongs to a misattached phrase in front of the source.
    for child in head.lefts:
        after = ctx.doc[child.right_edge.i + 1] if child.right_edge.i + 1 < len(ctx.doc) else None
        if child.dep_ == "nmod" and not child.ent_type_ and child.i >= a and after is not None and after.ent_type_:
            a = max(a, child.right_edge.i + 1)
    # Trailing date/time phrases say when, not who.
    for child in reversed([c for c in head.rights if c.i <= b]):
        # (only within the phrase: ``the court in Karachi, which heard the case last month``)
        if child.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME") for g in child.subtree if g.i <= b):
            b = min(b, child.i - 1)
        else:
            break
    while b > a and (_is_punct(ctx.doc[b]) and not _is_quote_tok(ctx.doc[b])):
        b -= 1
    while a < b and ctx.doc[a].is_punct:
        a += 1
    return a, b


def _nsubj(ctx: _Ctx, verb: Token) -> Token | None:
    """The verb's own subject: the one nearest to it (``…, I think``), and never a
    dateline (``BANGKOK, Dec 12 (Reuters) – Thailand’s prime minister … said``)."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return None
    subj = min(subjects, key=lambda c: abs(c.i - verb.i))
    start = ctx.content_start[ctx.seg_of[subj.i]]
    if subj.idx < start:
        later = [c for c in subj.subtree if c.dep_ == "appos" and c.idx >= start]
        return later[-1] if later else None
    return subj


def _subject(ctx: _Ctx, verb: Token) -> Token | None:
    """The token heading the source of a cue verb, following coordination and participles."""
    tok = verb
    for _ in range(5):
        if _is_passive(tok):
            return _agent(tok)
        subj = _nsubj(ctx, tok)
        if subj is not None:
            return subj
        # ``Kyiv and Seoul estimate …`` is sometimes parsed with the subject as a modifier.
        lefts = [
            c for c in tok.lefts if c.dep_ in ("nmod", "npadvmod", "compound", "dep") and c.pos_ in ("PROPN", "NOUN")
        ]
        if lefts and lefts[-1].right_edge.i == tok.i - 1:
            return lefts[-1]
        # ``Tomé acknowledged the challenges …, stating, “…”``: a participle after a comma
        # is often attached to the object noun before it, but its understood subject is
        # the subject of the clause it follows, not that object.
        if _is_free_participle(tok) and tok.dep_ == "acl" and tok.head.dep_ not in ("nsubj", "nsubjpass"):
            matrix = _governing_verb(tok.head)
            if matrix is not None:
                tok = matrix
                continue
        # ``South Korea’s intelligence agency estimated … that …`` misparsed as a reduced relative.
        if tok.dep_ == "acl" and tok.head.i < tok.i and any(c.dep_ == "ccomp" for c in tok.children):
            return tok.head
        if tok.dep_ == "conj" or tok.dep_ == "xcomp" or (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
            participle = _is_free_participle(tok) and tok.dep_ == "advcl"
            tok = tok.head
            # ``The ministry said 45 people had died, adding that …``: a participle hung on
            # the reported clause still continues the reporting one.
            if participle and tok.dep_ == "ccomp" and _is_cue_verb(ctx, tok.head) and tok.head.i < tok.i:
                tok = tok.head
            continue
        before = _subject_before(ctx, tok)
        if before is not None:
            return before
        return None
    return None


def _is_free_participle(tok: Token) -> bool:
    """A present participle opening an adjunct after a comma (``…, saying …``)."""
    doc = tok.doc
    return tok.tag_ == "VBG" and tok.i > 0 and doc[tok.i - 1].text in (",", "—", "–")


def _governing_verb(tok: Token) -> Token | None:
    """The nearest verb above ``tok`` (``challenges`` in ``acknowledged the challenges``)."""
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ != "VBG":
            return tok
        if tok.head == tok:
            return None
        tok = tok.head
    return None


_SUBORDINATORS = frozenset({"after", "before", "since", "until", "till", "once", "as", "when", "because"})


def _subject_before(ctx: _Ctx, verb: Token) -> Token | None:
    """The subject of a finite cue verb that the parser left without one.

    ``after the prosecutor's office in Wayne County, which encompasses Detroit,
    determined that …``: a relative clause between subject and verb makes the parser
    read the subject as the object of ``after``. A finite verb always has a subject, so
    the noun phrase that ends right before it (past a comma-delimited relative clause)
    is taken when it is the object of a subordinating preposition.
    """
    doc = ctx.doc
    if verb.tag_ not in _FINITE_TAGS or verb.i < 2:
        return None
    end = verb.i - 1
    if doc[end].text == ",":
        end -= 1
        rel = next(
            (t for t in doc[end].ancestors if t.dep_ == "relcl" and t.right_edge.i == end and t.i < verb.i),
            None,
        )
        if rel is None or rel.left_edge.i < 1 or doc[rel.left_edge.i - 1].text != ",":
            return None
        end = rel.left_edge.i - 2
        noun = rel.head
    else:
        noun = doc[end]
    # ``the prosecutor's office in Wayne County``: climb out of PPs to the whole phrase.
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head.head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ != "pobj" or noun.head.lower_ not in _SUBORDINATORS:
        return None
    if ctx.seg_of[noun.i] != ctx.seg_of[verb.i]:
        return None
    return noun


# --------------------------------------------------------------------------- content helpers


def _quote_closing_at(ctx: _Ctx, pos: int) -> Quote | None:
    """The closed quote whose closing mark sits in the punctuation just before ``pos``."""
    i = pos
    while i > 0 and ctx.text[i - 1] in " ,":
        i -= 1
    for q in ctx.quotes:
        if q.closed and q.close in (i - 1, i - 2) and ctx.text[q.close + 1 : pos].strip(" ,") == "":
            return q
    return None


def _quote_opening_at(ctx: _Ctx, pos: int, limit: int, skip: str = " ,.:") -> Quote | None:
    """The quote that opens at ``pos`` after only characters of ``skip`` (up to ``limit``)."""
    i = pos
    while i < limit and ctx.text[i] in skip:
        i += 1
    for q in ctx.quotes:
        if q.open == i:
            return q
    return None


def _span_of_tokens(ctx: _Ctx, toks: Iterable[int]) -> tuple[int, int] | None:
    ids = sorted(toks)
    if not ids:
        return None
    doc = ctx.doc
    # A leading complementiser is not content: ``said that X`` -> ``X``.
    while ids and (
        doc[ids[0]].dep_ == "mark" and doc[ids[0]].lower_ in ("that", "whether", "if") or doc[ids[0]].is_space
    ):
        ids.pop(0)
    while ids and (
        doc[ids[-1]].is_space
        or (_is_punct(doc[ids[-1]]) and not _is_quote_tok(doc[ids[-1]]) and not _closes_bracket(doc, ids))
    ):
        ids.pop()
    if not ids:
        return None
    return doc[ids[0]].idx, _tok_end(doc[ids[-1]])


def _closes_bracket(doc: Doc, ids: list[int]) -> bool:
    """Whether the last token closes a bracket opened inside the span (``(1420 GMT)``)."""
    close = doc[ids[-1]].text
    opener = {")": "(", "]": "["}.get(close)
    if opener is None:
        return False
    texts = [doc[i].text for i in ids]
    return texts.count(opener) >= texts.count(close)


def _clause_tokens(ctx: _Ctx, verb: Token, comp: Token) -> set[int]:
    """Tokens of the complement ``comp`` of ``verb``, to the right of the verb and in its segment."""
    s, e = ctx.seg(verb)
    toks = {t.i for t in comp.subtree if verb.i < t.i < e and t.i >= s}
    # ``It added that A but this would have to be B``: a coordinated clause with its own
    # subject continues the reported content (unless it is another attribution).
    for sib in verb.rights:
        if (
            sib.dep_ == "conj"
            and sib.i > comp.i
            and not _is_cue_verb(ctx, sib)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in sib.children)
        ):
            toks |= {t.i for t in sib.subtree if t.i < e}
            cc = [c for c in verb.children if c.dep_ == "cc" and comp.i < c.i < sib.i]
            toks |= {c.i for c in cc}
    return toks


def _clip(parts: list[tuple[int, int]], stops: Sequence[int]) -> list[tuple[int, int]]:
    out = []
    for s, e in parts:
        for p in stops:
            if s < p < e:
                e = p
        out.append((s, e))
    return out


# --------------------------------------------------------------------------- rules


def _verb_frames(ctx: _Ctx) -> list[_Frame]:
    frames: list[_Frame] = []
    doc, lemmas, lex = ctx.doc, ctx.lemmas, ctx.lex
    # A cue verb's lemma is in the lexicon (``_is_cue_verb`` checks it first): only those tokens are looked at.
    for tok in (doc[i] for i, lemma in enumerate(lemmas) if lemma in lex.verbs):
        if not _is_cue_verb(ctx, tok):
            continue
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            continue  # hypothetical speech (``If he does not tell me …``)
        if _is_article_inference(ctx, tok):
            continue
        found = _tail_frame(ctx, tok)
        if found is None:
            if _is_passive(tok) and _agent(tok) is None:
                continue  # ``is expected to``: the article's own voice
            found = _head_frames(ctx, tok)
        frames.extend(found or ())
    # A parenthetical attribution ends the content of any clause before it in its sentence.
    stops: dict[int, list[int]] = {}
    for f in frames:
        if f.rule.startswith("tail") and f.source is not None and len(f.parts) == 1:
            stops.setdefault(ctx.seg_of[f.cue.i], []).append(ctx.doc[f.source[0]].idx - 1)
    # ``…, adding that …``, ``…, warning the public not to …``: a participle of speech
    # starts a new act of speech after its comma (an inferential one may be content).
    # ``…, citing weaker wage growth`` gives the speaker's grounds, not the claim.
    for i, lemma in enumerate(lemmas):
        if lemma not in lex.verbs and lemma not in lex.relay_participles:
            continue  # neither speech nor relay
        tok = doc[i]
        speech = _is_cue_verb(ctx, tok) and lemma not in lex.inferential_participles
        if _is_free_participle(tok) and (speech or lemma in lex.relay_participles):
            stops.setdefault(ctx.seg_of[tok.i], []).append(ctx.doc[tok.i - 1].idx)
    # ``…, while Lebanon's health ministry said …``: a contrastive clause after a comma
    # (or anything after a semicolon) is no longer the reported content.
    for tok in ctx.doc:
        prev = ctx.doc[tok.i - 1] if tok.i else None
        if tok.text == ";" or (tok.lower_ in _CONTRAST_MARKS and prev is not None and prev.text == ","):
            stops.setdefault(ctx.seg_of[tok.i], []).append(tok.idx if tok.text == ";" else prev.idx)
    for f in frames:
        if not f.rule.startswith("tail"):
            f.parts = _clip(f.parts, stops.get(ctx.seg_of[f.cue.i], ()))
    for i, lemma in enumerate(lemmas):
        if lemma in lex.as_verbs and doc[i].tag_.startswith("VB"):
            frames.extend(_as_frame(ctx, doc[i]))
    return frames


def _is_article_inference(ctx: _Ctx, verb: Token) -> bool:
    """Whether a participle reads the meaning of a fact in the article's own voice.

    ``UPS shares dropped by 6%, indicating a negative market response``: nobody says
    it; the writer interprets an event. Such a participle is attribution only when the
    clause it follows is itself an act of speech or publication (``The ministry issued
    a statement, indicating that …``, ``He told reporters …, signalling that …``).
    """
    if verb.lemma_.lower() not in ctx.lex.inferential_participles or not _is_free_participle(verb):
        return False
    matrix = _governing_verb(verb.head) if verb.head != verb else None
    if matrix is None:
        return True
    lemma = matrix.lemma_.lower()
    return lemma not in ctx.lex.verbs and lemma not in ctx.lex.communication_verbs


def _cue_end(ctx: _Ctx, verb: Token) -> int:
    """End of the cue phrase: ``told reporters`` keeps a common-noun hearer."""
    end = _tok_end(verb)
    if verb.lemma_.lower() in ctx.lex.listener_verbs:
        for c in verb.rights:
            if c.dep_ in ("dobj", "dative") and c.pos_ == "NOUN" and c.i == verb.i + 1:
                end = _tok_end(c)
    elif verb.lemma_.lower() == "point":
        for c in verb.rights:
            if c.dep_ == "prt" and c.i == verb.i + 1:
                end = _tok_end(c)
    return end


def _tail_frame(ctx: _Ctx, verb: Token) -> list[_Frame] | None:
    """``<content>, SOURCE said [adjuncts].``, ``“<quote>,” said SOURCE.`` and the
    parenthetical ``<content>, he said, <content>``."""
    doc = ctx.doc
    s, e = ctx.seg(verb)
    seg = ctx.seg_of[verb.i]
    subj = _nsubj(ctx, verb) or _subject(ctx, verb)
    if subj is None or (subj.i > verb.i and subj.head != verb):
        return None
    if verb.dep_ == "relcl" and subj.lower_ in _RELATIVE:
        return None  # ``…, after the government, which had promised relief, …``: no parenthetical
    a, b = _np_range(ctx, subj, exclude=verb)
    if subj.i < verb.i:
        # ``“…,” the driver's lawyer, Ana Costa, told the court``: an apposition may intervene.
        appos = {t.i for c in subj.rights if c.dep_ == "appos" for t in c.subtree} if b + 1 < verb.i else set()
        appos |= {i for i in range(b + 1, verb.i) if doc[i].text == "," and appos}
        if any(
            not (t.dep_ in ("advmod", "aux", "neg") and t.head == verb) and t.i not in appos
            for t in doc[b + 1 : verb.i]
        ):
            return None
        boundary_i, tail_end = a - 1, verb.i
    else:  # inverted: ``“…,” said Kim Jong Un``
        boundary_i, tail_end = verb.i - 1, b
    if boundary_i < s:
        return None
    boundary = doc[boundary_i]
    if boundary.text != "," and boundary.text not in _Q_CLOSE + _STRAIGHT:
        return None
    if boundary.text == _STRAIGHT and not any(q.close == boundary.idx for q in ctx.quotes):
        return None  # ``…, saying, "We showed …``: an opening mark starts the quote, it ends nothing
    seg_start = ctx.content_start[seg]
    if boundary.idx <= seg_start + 2:
        return None
    if verb.lemma_.lower() not in ctx.lex.listener_verbs and any(
        c.dep_ == "dobj" and c.i > verb.i and not _is_quote_tok(c) for c in verb.children
    ):
        return None  # ``North Korean, Russian leaders … reaffirm their alignment``: an object, not a parenthetical
    cue_tree = {t.i for t in verb.subtree}
    before = [t for t in doc[s:boundary_i] if t.idx >= seg_start]
    after = [t for t in doc[tail_end + 1 : e] if t.i not in cue_tree and not (t.is_punct or t.is_space)]
    after_ids = {t.i for t in after}
    has_comp = any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    if after and not has_comp and any(t.head.i in after_ids for t in before):
        # ``The ceasefire, he said, would take effect at midnight``: one content split by its cue.
        first = _span_of_tokens(ctx, range(s, boundary_i))
        rest = _span_of_tokens(ctx, range(after[0].i, e))
        if first is None or rest is None:
            return None
        first = (max(first[0], seg_start), first[1])
        return [_Frame(verb, _cue_end(ctx, verb), [first, rest], (a, b), subj, rule="tail")]
    # Nothing clausal may follow the cue (else it is ``…, X said [that] Y``), except a
    # relayed source (``citing …``) or a quotation that continues the first part.
    seg_end_char = _tok_end(doc[e - 1])
    second = _quote_opening_at(ctx, _tok_end(doc[tail_end]), seg_end_char)
    limit = second.open if second is not None else seg_end_char
    relay_zone: set[int] = {t.i for t in subj.subtree} if subj.i > verb.i else set()
    for t in doc[tail_end + 1 : e]:
        if t.lemma_.lower() in ctx.lex.relay_participles or t.lower_ == "according":
            relay_zone |= {x.i for x in t.subtree}
        # ``“…,” said Ruto, adding that …``: a following participle is an attribution of its own.
        elif _is_free_participle(t) and _is_cue_verb(ctx, t) and t.head.i in (verb.i, subj.i):
            relay_zone |= {x.i for x in t.subtree}
    for t in doc[tail_end + 1 : e]:
        if t.idx >= limit:
            break
        if t.i in relay_zone:
            continue
        if (
            (t.tag_ in _FINITE_TAGS and t.dep_ != "aux")
            or (t.dep_ == "mark" and t.lower_ == "that")
            or (t.dep_ == "ccomp" and t.head == verb)
        ):
            return None
    # The content runs from the start of the sentence (or of the quotation that ends
    # at the comma) to the comma.
    quote = _quote_closing_at(ctx, boundary.idx + (1 if boundary.text == "," else 0))
    if boundary.text != ",":
        quote = next((q for q in ctx.quotes if q.close == boundary.idx), None)
    if quote is not None and quote.open <= seg_start + 1:
        parts = [quote.inner]
    elif quote is not None:
        parts = [(seg_start, quote.end)]
    else:
        parts = [(seg_start, boundary.idx)]
    frame = _Frame(verb, _cue_end(ctx, verb), parts, (a, b), subj, rule="tail")
    if quote is not None and quote.open <= seg_start + 1:
        # ``“A,” Putin said “B.”`` / ``… said in a statement. “B.”``: the next quotation
        # in the paragraph continues the first, unless it has a cue of its own (checked later).
        if second is None and e < len(doc):
            second = _quote_opening_at(ctx, seg_end_char, len(ctx.text), skip=" ")
        frame.continuation = second
    return [frame]


def _head_frames(ctx: _Ctx, verb: Token) -> list[_Frame]:
    """``SOURCE said [that] CONTENT`` and ``SOURCE told reporters: “…”``."""
    doc = ctx.doc
    subj = _subject(ctx, verb)
    via = None
    quoter = _quoting_verb(ctx, verb)
    if quoter is not None:  # ``Xinhua quoted Xi as saying …``: Xi speaks, Xinhua relays
        speaker = next((c for c in quoter.children if c.dep_ == "dobj"), None)
        relay = next((c for c in quoter.children if c.dep_ == "nsubj"), None)
        if speaker is not None:
            subj = speaker
            via = _channel(ctx, _np_range(ctx, relay), relay) if relay is not None else None
    elif verb.lemma_.lower() in ctx.lex.hearer_verbs:  # ``told Reuters that …``
        hearer = next((c for c in verb.rights if c.dep_ in ("dobj", "dative")), None)
        if hearer is not None and _names_outlet(ctx, hearer):
            via = _channel(ctx, _np_range(ctx, hearer), hearer)
    source = _np_range(ctx, subj, exclude=verb) if subj is not None else None
    comps = [
        c
        for c in verb.rights
        if c.dep_ == "ccomp" or (not verb.tag_.startswith("VB") and c.dep_ in ("acl", "relcl") and _has_that(c))
    ]
    frames: list[_Frame] = []
    cue_end = _cue_end(ctx, verb)
    for comp in comps:
        toks = _clause_tokens(ctx, verb, comp)
        # ``He warned a sharp supply drop would push up prices``: the object before a
        # bare complement is its subject (not for ``told Putin that``).
        has_that = _has_that(comp)
        if not has_that and verb.lemma_.lower() not in ctx.lex.hearer_verbs:
            for c in verb.children:
                if c.dep_ == "dobj" and verb.i < c.i < comp.i and c.right_edge.i == comp.left_edge.i - 1:
                    toks |= {t.i for t in c.subtree}
        # ``said that A and that B``: two claims with one source and cue.
        splits = [y for y in comp.children if y.dep_ == "conj" and _has_that(y)]
        pieces = []
        for y in splits:
            sub = {t.i for t in y.subtree}
            toks -= sub
            toks -= {c.i for c in comp.children if c.dep_ == "cc" and c.i < y.i and c.i > max(toks, default=0) - 1}
            pieces.append(sub)
        if not has_that:
            toks = _drop_leading_time(doc, toks)
        for piece in [toks, *pieces]:
            span = _span_of_tokens(ctx, _trim_trailing_cc(doc, piece))
            if span is not None:
                frames.append(
                    _Frame(verb, cue_end, [span], source, subj, via=via, rule="head", content_tokens=frozenset(piece))
                )
    if not frames:
        small = _small_clause(ctx, verb)
        if small is not None:
            frames.append(_Frame(verb, cue_end, [small], source, subj, via=via, rule="small"))
    if not frames:
        q = _colon_quote(ctx, verb)
        if q is not None:
            frames.append(_Frame(verb, cue_end, [q.inner], source, subj, rule="colon"))
        elif verb.lemma_.lower() in ctx.lex.evidential_verbs and subj is not None:
            span = _evidential_content(ctx, verb, bare_ok=not _is_personal(ctx, subj))
            if span is not None:
                frames.append(_Frame(verb, cue_end, [span], source, subj, rule="evidential"))
    return frames


def _small_clause(ctx: _Ctx, verb: Token) -> tuple[int, int] | None:
    """``forecasting consolidated revenue to be approximately $93.0 billion``: an
    estimation verb's object and the infinitive after it make one proposition.

    The parser often hangs the infinitive on another verb or on the object, so the
    surface order decides: the object noun must be followed directly by ``to`` and a bare
    verb. A closing non-restrictive relative clause or apposition (``…, which is above
    the consensus``, ``…, a figure that could rise``) is the article's comment on the
    figure, not part of the estimate.
    """
    doc = ctx.doc
    if verb.lemma_.lower() not in ctx.lex.small_clause_verbs:
        return None
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    s, e = ctx.seg(verb)
    # The noun phrase up to its head and post-modifiers that are not the infinitive.
    to = obj.i + 1
    while to < e and doc[to].tag_ != "TO" and obj.is_ancestor(doc[to]) and doc[to].text != ",":
        to += 1
    if to + 1 >= e or doc[to].tag_ != "TO" or doc[to + 1].tag_ != "VB":
        return None
    inf = doc[to].head if doc[to].head.tag_ == "VB" else doc[to + 1]
    end = min(max(inf.right_edge.i, obj.right_edge.i), e - 1)
    for t in doc[to : end + 1]:
        if t.dep_ in ("relcl", "appos") and t.left_edge.i > to and doc[t.left_edge.i - 1].text == ",":
            end = min(end, t.left_edge.i - 2)
    return _span_of_tokens(ctx, range(obj.left_edge.i, end + 1))


def _quoting_verb(ctx: _Ctx, verb: Token) -> Token | None:
    """``quoted X as saying``: the verb ``quoted`` above a ``saying`` cue."""
    up = verb.head
    if up.lower_ == "as":
        up = up.head
    if up != verb and up.lemma_.lower() in ctx.lex.relay_participles and up.tag_.startswith("VB"):
        return up
    return None


def _names_outlet(ctx: _Ctx, tok: Token) -> bool:
    ent = ctx.entity(tok.idx)
    names = {tok.text.casefold()} | ({ent.text.casefold(), _bare(ent.canonical).casefold()} if ent else set())
    return bool(names & ctx.lex.outlets)


def _drop_leading_time(doc: Doc, toks: set[int]) -> set[int]:
    """``said on Friday he was …``: a date right after the cue dates the saying."""
    ids = sorted(toks)
    while ids:
        first = doc[ids[0]]
        sub = [t for t in first.subtree] if first.dep_ == "prep" else [first]
        if len(sub) > 1 and all(t.ent_type_ in ("DATE", "TIME") or t.i == first.i for t in sub):
            ids = [i for i in ids if i not in {t.i for t in sub}]
        elif first.ent_type_ in ("DATE", "TIME") and first.dep_ in ("npadvmod", "pobj", "compound"):
            ids = ids[1:]
        else:
            break
    return set(ids)


def _trim_trailing_cc(doc: Doc, toks: set[int]) -> set[int]:
    ids = sorted(toks)
    while ids and (doc[ids[-1]].dep_ == "cc" or _is_punct(doc[ids[-1]]) and not _is_quote_tok(doc[ids[-1]])):
        ids.pop()
    return set(ids)


def _colon_quote(ctx: _Ctx, verb: Token) -> Quote | None:
    """A quotation introduced by the cue and a colon: ``told reporters on Thursday: “…”``."""
    s, e = ctx.seg(verb)
    for t in ctx.doc[verb.i + 1 : e]:
        if t.text == ":":
            # The quotation may open the next paragraph (``… said:`` ending a paragraph).
            return _quote_opening_at(ctx, _tok_end(t), len(ctx.text), skip=" \n")
        if t.tag_ in _FINITE_TAGS or _is_quote_tok(t):
            return None
    return None


def _is_personal(ctx: _Ctx, tok: Token) -> bool:
    """Whether a source is a person (a PERSON name or a personal pronoun)."""
    ent = ctx.entity(tok.idx)
    return (ent is not None and ent.label == "PERSON") or tok.lower_ in _PERSON_PRONOUNS | _SPEAKER_PRONOUNS | {"they"}


def _evidential_content(ctx: _Ctx, verb: Token, bare_ok: bool) -> tuple[int, int] | None:
    """``figures showed Prabowo on track to secure a majority``: object plus its predicate.

    A bare object counts only for non-personal sources with a phrase of some length
    (``an investigation that found the nation’s car industry benefits from …``, often a
    misparsed complement clause), not ``police found the body``.
    """
    rights = [c for c in verb.rights if c.dep_ not in ("punct",)]
    if not rights or rights[0].dep_ != "dobj":
        return None
    last = rights[0]
    for c in rights[1:]:
        if c.dep_ in ("prep", "xcomp", "oprd", "acomp", "ccomp") and not any(
            t.text == "," for t in ctx.doc[last.right_edge.i : c.i]
        ):
            last = c
        else:
            break
    if last == rights[0] and not (bare_ok and last.right_edge.i - last.left_edge.i >= 3):
        return None
    if not bare_ok and last.dep_ == "prep":
        return None  # ``We showed character in the second half``: a person displays, data show
    return _span_of_tokens(ctx, range(rights[0].left_edge.i, last.right_edge.i + 1))


def _as_frame(ctx: _Ctx, verb: Token) -> list[_Frame]:
    """``Putin derided the sanctions as an unfriendly act`` -> content ``the sanctions as …``."""
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    as_ = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "as"), None)
    if obj is None or as_ is None or as_.i < obj.i:
        return []
    subj = _subject(ctx, verb)
    if subj is None:
        return []
    span = _span_of_tokens(ctx, range(obj.left_edge.i, as_.right_edge.i + 1))
    if span is None:
        return []
    return [_Frame(verb, _tok_end(verb), [span], _np_range(ctx, subj), subj, rule="as")]


def _np_after(ctx: _Ctx, tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("pobj", "dobj"):
            return c
    return None


def _attach_according(ctx: _Ctx, frames: list[_Frame]) -> list[_Frame]:
    """``according to X`` and ``…, citing X``: a new claim, or the ``via`` of a claim."""
    doc = ctx.doc
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            obj = _np_after(ctx, doc[tok.i + 1])
            if obj is None:
                continue
            a, b = _np_range(ctx, obj)
            source, head, via = (a, b), obj, None
            owner = _channel_owner(ctx, obj)
            if owner is not None:
                source, head = _np_range(ctx, owner), owner
            citing = _citing_after(ctx, b)
            if citing is not None:
                via = _channel(ctx, (a, b), obj)
                head = citing
                source = _np_range(ctx, citing)
            host = _host_frame(ctx, frames, tok)
            if host is not None:
                host.via = host.via or _channel(ctx, (a, b), obj)
                host.parts = _clip(host.parts, [_comma_before(ctx, tok)])
                continue
            parts = _according_content(ctx, tok, max(source[1], b))
            if parts:
                frames.append(_Frame(tok, _tok_end(doc[tok.i + 1]), parts, source, head, via=via, rule="according"))
    for f in frames:
        if f.rule == "tail" and f.source is not None:
            citing = _citing_after(ctx, f.cue.i)
            if citing is not None:
                f.via = _channel(ctx, f.source, f.source_head)
                f.source = _np_range(ctx, citing)
                f.source_head = citing
    return frames


def _channel_owner(ctx: _Ctx, noun: Token) -> Token | None:
    """``a statement from the department``, ``a report released by the ministry``: the
    document only carries the words; whoever issued it is the source."""
    if noun.lemma_.lower() not in ctx.lex.channel_nouns and noun.lower_ not in ctx.lex.channel_nouns:
        return None
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            return _np_after(ctx, c)
        if c.dep_ == "acl" and c.tag_ == "VBN":
            agent = _agent(c)
            if agent is not None:
                return agent
    return None


def _citing_after(ctx: _Ctx, i: int) -> Token | None:
    """``…, citing an official`` right after token ``i`` (allowing adjuncts): the cited NP."""
    doc = ctx.doc
    s, e = ctx.segments[ctx.seg_of[i]]
    for t in doc[i + 1 : min(e, i + 8)]:
        if t.lemma_.lower() in ctx.lex.relay_participles and t.tag_ == "VBG":
            return _np_after(ctx, t)
        if t.tag_ in _FINITE_TAGS:
            return None
    return None


def _comma_before(ctx: _Ctx, tok: Token) -> int:
    prev = ctx.doc[tok.i - 1] if tok.i > 0 else None
    return prev.idx if prev is not None and prev.text == "," else tok.idx


def _host_frame(ctx: _Ctx, frames: list[_Frame], according: Token) -> _Frame | None:
    """The claim that ``according to X`` relays: the cue it hangs on, or one whose
    content or tail ends right before it in the same sentence."""
    seg = ctx.seg_of[according.i]
    for f in frames:
        if ctx.seg_of[f.cue.i] != seg or f.cue.i > according.i:
            continue
        if according.head == f.cue:
            return f
        end = max(e for _, e in f.parts)
        region_end = max(end, f.cue_end, _tok_end(ctx.doc[f.source[1]]) if f.source else 0)
        if according.idx >= region_end and ctx.text[region_end : according.idx].strip(' ,”"') == "":
            return f
        if f.rule == "head" and any(s <= according.idx < e for s, e in f.parts):
            return f
    return None


def _according_content(ctx: _Ctx, tok: Token, np_end: int) -> list[tuple[int, int]]:
    doc = ctx.doc
    s, e = ctx.seg(tok)
    start = ctx.content_start[ctx.seg_of[tok.i]]
    if tok.idx <= start + 1:  # ``According to X, CONTENT.``
        i = np_end + 1
        while i < e and (doc[i].is_punct or doc[i].is_space):
            i += 1
        span = _span_of_tokens(ctx, range(i, e))
        return [span] if span else []
    end = _comma_before(ctx, tok)
    return [(start, end)] if end - start > 3 else []


def _noun_frames(ctx: _Ctx, frames: list[_Frame]) -> list[_Frame]:
    """``Putin's comment that …``: a reporting noun with a ``that``-clause and a named owner."""
    out = []
    taken = {f.cue.i for f in frames}
    for i, lemma in enumerate(ctx.lemmas):
        if lemma not in ctx.lex.nouns:
            continue
        tok = ctx.doc[i]
        if tok.pos_ != "NOUN" or tok.i in taken:
            continue
        comp = next((c for c in tok.rights if c.dep_ in ("acl", "ccomp") and _has_that(c)), None)
        if comp is None:
            continue
        owner = next((c for c in tok.lefts if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN")), None)
        if owner is None:
            for p in tok.rights:
                if p.dep_ == "prep" and p.lower_ in ("by", "from", "of") and p.i < comp.i:
                    owner = _np_after(ctx, p)
        if owner is None:
            continue
        span = _span_of_tokens(ctx, {t.i for t in comp.subtree})
        if span is None:
            continue
        src = (owner.i, owner.i) if owner.dep_ == "compound" else _np_range(ctx, owner)
        if owner.dep_ == "compound":
            ent = ctx.entity(owner.idx)
            if ent is not None:
                src = _token_range_of_chars(ctx, ent.start, ent.end) or src
        out.append(_Frame(tok, _tok_end(tok), [span], src, owner, rule="noun"))
    return out


def _token_range_of_chars(ctx: _Ctx, start: int, end: int) -> tuple[int, int] | None:
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end - 1) if span is not None and len(span) else None


def _join_continuations(frames: list[_Frame]) -> None:
    """Add the continuing quotation of a split quote, unless another cue claims it."""
    for f in frames:
        q = f.continuation
        if q is None:
            continue
        qs, qe = q.inner
        claimed = any(
            g is not f and not (qs <= g.cue.idx < qe) and any(s < qe and qs < e for s, e in g.parts) for g in frames
        )
        if not claimed:
            f.parts.append(q.inner)


def _prefer_named_apposition(ctx: _Ctx, frames: list[_Frame]) -> None:
    """``The company's chief executive, Satya Nadella, said …``: a named source is the
    bare name, so a title noun gives way to the name in apposition to it."""
    for f in frames:
        head = f.source_head
        if head is None or head.pos_ != "NOUN" or ctx.entity(head.idx) is not None:
            continue
        for c in head.rights:
            ent = ctx.entity(c.idx)
            if c.dep_ == "appos" and ent is not None and ent.label in ("PERSON", "ORG"):
                rng = _token_range_of_chars(ctx, ent.start, ent.end)
                if rng is not None and ctx.seg_of[rng[0]] == ctx.seg_of[head.i]:
                    f.source, f.source_head = rng, c
                break


# --------------------------------------------------------------------------- relays


def _is_outlet(ctx: _Ctx, frame: _Frame) -> bool:
    if frame.source is None:
        return False
    a, b = frame.source
    toks = ctx.doc[a : b + 1]
    text = toks.text.casefold()
    if any(text.endswith(o) or text == o for o in ctx.lex.outlets):
        return True
    for ent in {ctx.entity(t.idx) for t in toks} - {None}:
        if ent.canonical.casefold() in ctx.lex.outlets or ent.text.casefold() in ctx.lex.outlets:
            return True
    head = frame.source_head
    if head is not None and head.lemma_.lower() in ctx.lex.outlet_heads:
        return True
    lemmas = [t.lemma_.lower() for t in toks]
    return "agency" in lemmas and any(m in lemmas for m in ctx.lex.agency_modifiers)


def _apply_relays(ctx: _Ctx, frames: list[_Frame]) -> None:
    """An outlet whose whole content is another attribution only relays it (``via``)."""
    by_cue = {f.cue.i: f for f in frames}
    for f in frames:
        if not _is_outlet(ctx, f):
            continue
        # Tokens starting inside the content, found by bisection on the token offsets.
        ids = {i for s, e in f.parts for i in range(bisect_left(ctx.starts, s), bisect_left(ctx.starts, e))}
        inside = [ctx.doc[i] for i in sorted(ids)]
        roots = [t for t in inside if t.head.i not in ids or t.head == t]
        inner = [by_cue[t.i] for t in roots if t.i in by_cue and by_cue[t.i] is not f]
        if inner:
            for g in inner:
                g.via = g.via or _channel(ctx, f.source, f.source_head)
            f.relayed = True


# --------------------------------------------------------------------------- resolution


def _bare(name: str) -> str:
    """A name without a leading article (some entity layers keep ``the Federal Reserve``)."""
    return re.sub(r"^(?:the|The|THE)\s+", "", name)


def _expand_name(ctx: _Ctx, ent: Entity) -> str:
    """A short name's fuller canonical from another mention (``Kim`` -> ``Kim Jong Un``)."""
    words = _bare(ent.canonical).split()
    if ent.label not in ("PERSON", "ORG") or len(words) != 1:
        return _bare(ent.canonical)
    best: Entity | None = None
    for other in ctx.entities:
        ow = [w for w in _bare(other.canonical).split() if w not in ("Jr.", "Jr", "Sr.", "Sr", "II", "III")]
        if other.label != ent.label or len(ow) <= len(words):
            continue
        # Surnames stand for people from either end (``Putin``, ``Kim``); a bare
        # ``Commission`` for the body whose name it ends.
        if len(ow) <= 5 and (ow[-1] == words[0] or (ent.label == "PERSON" and ow[0] == words[0])):
            if best is None or (other.start < ent.start and (best.start > ent.start or other.start > best.start)):
                best = other
    return _bare((best or ent).canonical)


def _head_entity(ctx: _Ctx, head: Token, a: int, b: int) -> Entity | None:
    ent = ctx.entity(head.idx)
    if ent is None:
        return None
    lo, hi = _char_range(ctx.doc, a, b)
    return ent if ent.start >= lo - 1 and ent.end <= hi + 1 else None


def _source_span(ctx: _Ctx, rng: tuple[int, int], head: Token) -> tuple[int, int]:
    """The source's char span: the bare name for a named source, else the whole NP."""
    a, b = rng
    ent = _head_entity(ctx, head, a, b)
    if ent is not None:
        end = ent.end
        for c in head.conjuncts:
            other = ctx.entity(c.idx)
            if other is not None and c.i <= b and other.end > end:
                end = other.end
        start = ent.start + len(ent.text) - len(_bare(ent.text))
        return start, end
    return _char_range(ctx.doc, a, b)


def _canonical(ctx: _Ctx, rng: tuple[int, int] | None, head: Token | None, depth: int = 0) -> str | None:
    """The resolved name of a source noun phrase (see module docstring)."""
    if rng is None or head is None:
        return None
    doc = ctx.doc
    a, b = rng
    low = head.lower_
    if head.tag_ in ("PRP", "WP", "WDT") or (low in _RELATIVE and head.dep_ == "nsubj" and head.head.dep_ == "relcl"):
        return _resolve_pronoun(ctx, head)
    ent = _head_entity(ctx, head, a, b)
    if ent is not None:
        names = [_expand_name(ctx, ent)]
        for c in head.conjuncts:
            other = ctx.entity(c.idx)
            if other is not None and c.i <= b and other is not ent:
                names.append(_expand_name(ctx, other))
        return " and ".join(names)
    toks = doc[a : b + 1]
    # ``the Reuters news agency``, ``Russia's TASS news agency``: the named outlet.
    for t in toks:
        e2 = ctx.entity(t.idx)
        if e2 is not None and e2.label == "ORG" and t.dep_ in ("compound", "nmod", "appos") and t.head == head:
            return _expand_name(ctx, e2)
    bare = [t for t in toks if t.lower_ not in _DETERMINERS or t.i != a]
    bare_text = doc[bare[0].i : b + 1].text if bare else toks.text
    person = _title_holder(ctx, bare_text)
    if person is not None:
        return person
    office = _office_name(ctx, a, b, head)
    if office is not None:
        return office
    if depth == 0:
        ante = _definite_antecedent(ctx, toks, head)
        if ante is not None:
            return ante
        owner = _document_owner(ctx, head)
        if owner is not None:
            return owner
    return _describe(ctx, a, b, head)


def _channel(ctx: _Ctx, rng: tuple[int, int], head: Token) -> str | None:
    """The canonical name of a relaying channel: the outlet named anywhere in the phrase
    (``a translation from ESPN FC`` -> ``ESPN FC``), else the resolved phrase."""
    if head.tag_ not in ("PRP", "WP", "WDT") and _head_entity(ctx, head, *rng) is None:
        for t in ctx.doc[rng[0] : rng[1] + 1]:
            ent = ctx.entity(t.idx)
            if ent is not None and ent.label == "ORG":
                return _expand_name(ctx, ent)
    return _canonical(ctx, rng, head)


def _title_holder(ctx: _Ctx, phrase: str) -> str | None:
    """``Qatari prime minister`` -> the PERSON it titles elsewhere in the text."""
    key = phrase.casefold().strip()
    if len(key) < 4 or " " not in key and key in ("he", "she"):
        return None
    for ent in ctx.entities:
        if ent.label != "PERSON":
            continue
        before = ctx.text[max(0, ent.start - len(key) - 30) : ent.start].rstrip()
        words = before.split()
        if words and words[-1] in ctx.lex.honorifics:
            before = before[: before.rfind(words[-1])].rstrip()
        if before.casefold().endswith(key) and (len(before) == len(key) or not before[-len(key) - 1].isalnum()):
            return _expand_name(ctx, ent)
    return None


def _office_name(ctx: _Ctx, a: int, b: int, head: Token) -> str | None:
    """The proper name of an official's office, which news copy paraphrases.

    ``the prosecutor's office in Wayne County`` -> ``Wayne County Prosecutor's Office``;
    ``the office of Israeli Prime Minister Benjamin Netanyahu`` -> ``Israeli Prime
    Minister's Office`` (offices are named after the post, not its holder). Only when
    the phrase pins the office down (a place or a named holder); a bare ``the
    governor's office`` stays descriptive.
    """
    if head.lemma_.lower() != "office":
        return None
    doc = ctx.doc
    poss = next((c for c in head.lefts if c.dep_ == "poss" and c.i >= a and c.pos_ == "NOUN"), None)
    if poss is not None:
        case = next((t for t in poss.children if t.dep_ == "case"), None)
        skip = case.i if case is not None else -1
        title = [t for t in poss.subtree if t.i != skip and t.lower_ not in _DETERMINERS]
        place = [
            p
            for p in head.rights
            if p.dep_ == "prep" and p.lower_ in ("in", "for") and p.i <= b and _gpe_object(ctx, p) is not None
        ]
        places = [_gpe_object(ctx, place[0])] if place else []
        if not places and not any(_is_gpe(ctx, t) for t in title):
            return None
        suffix = case.text if case is not None else "'s"
        return " ".join([*places, _title_case(" ".join(t.text for t in title)) + suffix + " Office"])
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of" and c.i <= b), None)
    holder = _np_after(ctx, of) if of is not None else None
    ent = ctx.entity(holder.idx) if holder is not None else None
    if holder is None or ent is None or ent.label != "PERSON":
        return None
    title = [t for t in doc[of.i + 1 : holder.i + 1] if t.idx < ent.start and t.lower_ not in _DETERMINERS]
    if not title or title[-1].is_punct:
        return None
    return _title_case(doc[title[0].i : title[-1].i + 1].text) + "'s Office"


def _gpe_object(ctx: _Ctx, prep: Token) -> str | None:
    obj = _np_after(ctx, prep)
    ent = ctx.entity(obj.idx) if obj is not None else None
    return _bare(ent.canonical) if ent is not None and ent.label == "GPE" else None


def _is_gpe(ctx: _Ctx, tok: Token) -> bool:
    ent = ctx.entity(tok.idx)
    return ent is not None and ent.label == "GPE"


def _title_case(phrase: str) -> str:
    """``district attorney`` -> ``District Attorney`` (function words stay lower case)."""
    small = ("of", "and", "for", "the")
    return " ".join(w if w in small or not w[:1].islower() else w[0].upper() + w[1:] for w in phrase.split())


def _definite_antecedent(ctx: _Ctx, toks, head: Token) -> str | None:
    """``the agency`` -> the most recent earlier mention with the same head noun."""
    words = [t for t in toks if not t.is_punct]
    if len(words) != 2 or words[0].lower_ not in ("the", "this", "that") or head.pos_ != "NOUN":
        return None
    lemma = head.lemma_.lower()
    best: tuple[int, str] | None = None
    for t in ctx.doc[: toks[0].i]:
        if (
            t.lemma_.lower() == lemma
            and t.pos_ == "NOUN"
            and t.i != head.i
            and (t.tag_ == "NNS") == (head.tag_ == "NNS")
        ):
            rng = _np_range(ctx, t)
            words = [w for w in ctx.doc[rng[0] : rng[1] + 1] if not w.is_punct]
            if len(words) >= 2 and not (len(words) == 2 and words[0].lower_ in ("the", "this", "that")):
                name = _canonical(ctx, rng, t, depth=1)
                if name:
                    best = (t.idx, name)
    for ent in ctx.entities:
        if ent.end <= toks[0].idx and ent.label == "ORG" and ent.canonical.split()[-1].casefold() == head.lower_:
            if best is None or ent.start > best[0]:
                best = (ent.start, _expand_name(ctx, ent))
    return best[1] if best is not None else None


def _document_owner(ctx: _Ctx, head: Token) -> str | None:
    """``the Commission's investigation``, ``The Commission introduced … following an
    investigation that found …``: a document or inquiry speaks for its owner."""
    if head.lemma_.lower() not in ctx.lex.document_nouns:
        return None
    if any(c.dep_ not in ("det", "poss", "case", "punct") for c in head.lefts):
        return None  # ``South Korean assessments`` say whose they are already
    for c in head.children:
        owner = c if c.dep_ == "poss" else _agent(c) if c.dep_ == "acl" else None  # ``published by the World Bank``
        ent = ctx.entity(owner.idx) if owner is not None else None
        if ent is not None:
            return _expand_name(ctx, ent)
    tok = head
    for _ in range(5):
        if (
            tok.dep_ not in ("pobj", "prep", "pcomp", "dobj", "advcl")
            or tok.head == tok
            or tok.lower_ in ("according", "to")
        ):
            break
        tok = tok.head
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            ent = ctx.entity(subj.idx)
            if ent is not None and ent.label in ("ORG", "GPE", "PERSON"):
                return _expand_name(ctx, ent)
            break
    return None


def _describe(ctx: _Ctx, a: int, b: int, head: Token) -> str:
    """A descriptive source without its determiner, relative clause and located PPs."""
    doc = ctx.doc
    drop: set[int] = set()
    for c in head.rights:
        # ``figures in Indonesia’s election`` -> ``figures``; ``officials on multiple sides`` stays.
        located = (
            c.dep_ == "prep" and c.lower_ in ("in", "at") and any(ctx.entity(t.idx) is not None for t in c.subtree)
        )
        if c.dep_ == "relcl" or located:
            drop |= {t.i for t in c.subtree}
    ids = [i for i in range(a, b + 1) if i not in drop]
    while ids and doc[ids[0]].lower_ in _DETERMINERS:
        ids.pop(0)
    if not ids:
        return doc[a : b + 1].text
    mods = [doc[i] for i in ids if doc[i].i != head.i]
    # ``three pollsters`` -> ``independent pollsters``: a bare plural borrows the
    # adjectives of another mention of the same noun.
    if all(m.dep_ in ("nummod", "det") for m in mods):
        richer = _richer_mention(ctx, head)
        if richer:
            return richer
    text = doc[ids[0]].idx, _tok_end(doc[ids[-1]])
    out = ctx.text[text[0] : text[1]]
    for i in reversed(range(len(ids) - 1)):
        if ids[i + 1] != ids[i] + 1:  # non-contiguous after dropping: rebuild from tokens
            out = "".join(doc[i2].text_with_ws for i2 in ids).strip()
            break
    first = doc[ids[0]]
    if first.pos_ != "PROPN" and ctx.entity(first.idx) is None and out[:1].isupper():
        out = out[0].lower() + out[1:]
    return out


def _richer_mention(ctx: _Ctx, head: Token) -> str | None:
    best = None
    for t in ctx.doc:
        if t.i == head.i or t.lemma_.lower() != head.lemma_.lower() or t.pos_ != "NOUN":
            continue
        adjs = [c for c in t.lefts if c.dep_ == "amod" and c.pos_ == "ADJ" and c.lower_ not in _QUANTITY_ADJ]
        if adjs and ctx.entity(adjs[0].idx) is None:
            cand = ctx.text[adjs[0].idx : _tok_end(t)].lower()
            if best is None or abs(t.i - head.i) < best[0]:
                best = (abs(t.i - head.i), cand)
    return best[1] if best else None


def _resolve_pronoun(ctx: _Ctx, tok: Token) -> str | None:
    low = tok.lower_
    if low in _RELATIVE and tok.head.dep_ == "relcl":
        ante = tok.head.head
        rng = _np_range(ctx, ante, exclude=tok.head)
        return _canonical(ctx, rng, ante)
    if low in _SPEAKER_PRONOUNS:
        return None  # resolved later from the enclosing quotation's speaker
    if low in _PLURAL_PRONOUNS:
        for t in reversed(ctx.doc[: tok.i]):
            if (
                t.dep_ == "nsubj"
                and t.tag_ in ("NNS", "NNPS")
                or (t.dep_ == "nsubj" and any(c.dep_ == "conj" for c in t.children))
            ):
                return _canonical(ctx, _np_range(ctx, t), t, depth=1)
        return None
    labels = ("PERSON",) if low in _PERSON_PRONOUNS else ("ORG", "GPE") if low in _THING_PRONOUNS else ()
    if not labels:
        return None
    for want in labels:
        best = _recent_subject(ctx, tok.idx, want)
        if best is not None:
            return best
    return None


def _recent_subject(ctx: _Ctx, pos: int, label: str) -> str | None:
    """The most recent subject mention (entity or resolved source) of ``label`` before ``pos``."""
    best: tuple[int, str] | None = None
    fallback: tuple[int, str] | None = None
    for ent in ctx.entities:
        if ent.start >= pos or ent.label != label or any(s <= ent.start < e for s, e in ctx.avoid):
            continue
        span = ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand")
        subj = span is not None and any(
            t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "conj" and t.head.dep_ in ("nsubj", "nsubjpass"))
            for t in span
        )
        item = (ent.start, _expand_name(ctx, ent))
        if subj and (best is None or item[0] > best[0]):
            best = item
        if fallback is None or item[0] > fallback[0]:
            fallback = item
    for at, lab, name in ctx.resolved:
        if at < pos and lab == label and (best is None or at > best[0]):
            best = (at, name)
    chosen = best or fallback
    if chosen is None and ctx.avoid:  # only the claim's own content names someone
        saved, ctx.avoid = ctx.avoid, ()
        try:
            return _recent_subject(ctx, pos, label)
        finally:
            ctx.avoid = saved
    return chosen[1] if chosen else None


# --------------------------------------------------------------------------- claims


def _fit_quotes(ctx: _Ctx, part: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """Align a content part with the quotations it touches.

    Reported content that lies within a quotation whose cue is outside it is the whole
    quotation (``told reporters: “A. B.”``); content that opens or closes a quotation
    takes the other mark too, so mixed content keeps balanced quotation marks.
    """
    s, e = part
    for q in ctx.quotes:
        qs, qe = q.inner
        if qs <= cue[0] < qe:
            continue
        if qs <= s and e <= qe and (s - qs <= 2 or ctx.text[qs:s].strip() == ""):
            return q.inner
        if qs <= s and e <= qe and cue[0] >= q.end and cue[0] - q.end < 40:
            return q.inner
        if s <= q.open < e < q.end and q.closed and not (e <= cue[0] < q.end):
            e = q.end
        if q.open < s <= q.close < e and not (q.open <= cue[0] < s):
            s = q.open
    return s, e


def _clean(ctx: _Ctx, part: tuple[int, int], direct: bool) -> tuple[int, int]:
    """Strip white space, a trailing comma (and, outside quotations, a final full stop)."""
    s, e = part
    text = ctx.text
    while s < e and text[s].isspace():
        s += 1
    while e > s:
        ch = text[e - 1]
        if ch.isspace() or ch in ",;:—–-":
            e -= 1
        elif ch == "." and not direct and not text[s:e].endswith("...") and not _ABBREVIATION_END.search(text[s:e]):
            e -= 1
        else:
            break
    for opener, closer in (("(", ")"), ("[", "]")):
        if e < len(text) and text[e] == closer and text[s:e].count(opener) > text[s:e].count(closer):
            e += 1  # ``(1420 GMT)``: the closing bracket was attached outside the clause
    if not direct and e - s >= 2 and text[s] in _Q_OPEN + _STRAIGHT and text[e - 1] in _Q_CLOSE + _STRAIGHT:
        # The whole content is one quotation: drop its marks (then it is direct).
        inner = text[s + 1 : e - 1]
        if not any(m in inner for m in _Q_OPEN + _Q_CLOSE + _STRAIGHT):
            return _clean(ctx, (s + 1, e - 1), True)
    return s, e


def _kind(ctx: _Ctx, parts: list[tuple[int, int]]) -> str:
    def inside(p: tuple[int, int]) -> bool:
        return any(q.inner[0] <= p[0] and p[1] <= q.inner[1] for q in ctx.quotes)

    def touches(p: tuple[int, int]) -> bool:
        return any(q.open < p[1] and p[0] < q.end for q in ctx.quotes)

    if all(inside(p) for p in parts):
        return "direct"
    return "mixed" if any(touches(p) for p in parts) else "indirect"


def _build_claims(ctx: _Ctx, frames: list[_Frame], origin: str) -> list[Claim]:
    text = ctx.text
    frames = sorted(frames, key=lambda f: f.source[0] if f.source else f.cue.i)
    built: list[tuple[_Frame, Claim]] = []
    seen: set[tuple] = set()
    for f in frames:
        parts = []
        for p in f.parts:
            p = _fit_quotes(ctx, p, f.cue_span)
            direct = any(q.inner[0] <= p[0] and p[1] <= q.inner[1] for q in ctx.quotes)
            p = _clean(ctx, p, direct)
            if p[1] - p[0] >= 3:
                parts.append(p)
        if not parts:
            continue
        source = canonical = None
        if f.source is not None and f.source_head is not None:
            ctx.avoid = tuple(parts)
            source = _source_span(ctx, f.source, f.source_head)
            canonical = _canonical(ctx, f.source, f.source_head)
            if canonical is not None:
                ent = _head_entity(ctx, f.source_head, *f.source)
                label = ent.label if ent is not None else _pronoun_label(f.source_head)
                if label:
                    ctx.resolved.append((source[0], label, canonical))
        key = (tuple(parts), f.cue_span)
        if key in seen:
            continue
        seen.add(key)
        claim = Claim(
            content=Span.of(text, *parts[0]),
            cue=Span.of(text, *f.cue_span),
            kind=_kind(ctx, parts),
            origin=origin,
            source=Span.of(text, *source) if source else None,
            source_canonical=canonical,
            content_parts=tuple(Span.of(text, *p) for p in parts) if len(parts) > 1 else (),
            via=f.via,
        )
        built.append((f, claim))
    return _speaker_pronouns(ctx, built)


def _pronoun_label(tok: Token) -> str | None:
    low = tok.lower_
    return "PERSON" if low in _PERSON_PRONOUNS else "ORG" if low in _THING_PRONOUNS else None


def _speaker_pronouns(ctx: _Ctx, built: list[tuple[_Frame, Claim]]) -> list[Claim]:
    """``I``/``we`` inside a quotation speak for the quotation's source."""
    from dataclasses import replace

    out = []
    for _, c in built:
        if c.source is not None and c.source_canonical is None and c.source.text.lower() in _SPEAKER_PRONOUNS:
            for _, outer in built:
                spans = outer.content_parts or (outer.content,)
                if outer is not c and any(p.start <= c.cue.start < p.end for p in spans):
                    c = replace(c, source_canonical=outer.source_canonical)
                    break
        out.append(c)
    return out
