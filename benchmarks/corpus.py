"""A realistic synthetic news corpus for the scale benchmark, made from the two bundled seeds.

Each generated article is a raw page dump in the shape of one of the two seed
articles in ``sources/articles/`` (a wire story with a ``DD-MM-YYYY`` first line
and an outlet tag; a Business Standard page with breadcrumbs, a photo caption,
byline furniture, a paywall offer and related links), whose body is a random
recombination of the real paragraphs of both seeds. The cast (leaders,
countries, capitals, agencies), the numbers and the publication date vary per
article, so the texts are distinct (few near duplicates) while keeping real
news paragraph shapes: quotes with attribution, reported speech, dates and
weekdays, amounts and percentages.

Only the two seed articles are used (the brief forbids any other article text).
The output is a pure function of ``(n, seed)``: the same corpus every run.

Usage::

    python -m benchmarks.corpus OUT_DIR N [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "sources" / "articles"
WIRE, PAGE = "000_24596bca16d28781.txt", "004_c78c4bcafad1e95b.txt"

# Roles of the seed stories and real, widely reported replacements for them.
# Keys are matched longest first, on word boundaries.
CASTS = [
    # (leader A full, leader A short, country A, adjective A, capital A, agency A,
    #  leader B full, leader B short, country B, adjective B, capital B, agency B)
    ("Kim Jong Un", "Kim", "North Korea", "North Korean", "Pyongyang", "KCNA",
     "Vladimir Putin", "Putin", "Russia", "Russian", "Moscow", "TASS"),
    ("Xi Jinping", "Xi", "China", "Chinese", "Beijing", "Xinhua",
     "Luiz Inacio Lula da Silva", "Lula", "Brazil", "Brazilian", "Brasilia", "Agencia Brasil"),
    ("Narendra Modi", "Modi", "India", "Indian", "New Delhi", "PTI",
     "Shigeru Ishiba", "Ishiba", "Japan", "Japanese", "Tokyo", "Kyodo"),
    ("Recep Tayyip Erdogan", "Erdogan", "Turkey", "Turkish", "Ankara", "Anadolu",
     "Emmanuel Macron", "Macron", "France", "French", "Paris", "AFP"),
    ("Friedrich Merz", "Merz", "Germany", "German", "Berlin", "dpa",
     "Keir Starmer", "Starmer", "Britain", "British", "London", "PA Media"),
    ("Volodymyr Zelensky", "Zelensky", "Ukraine", "Ukrainian", "Kyiv", "Ukrinform",
     "Giorgia Meloni", "Meloni", "Italy", "Italian", "Rome", "ANSA"),
    ("Anthony Albanese", "Albanese", "Australia", "Australian", "Canberra", "AAP",
     "Christopher Luxon", "Luxon", "New Zealand", "New Zealand", "Wellington", "RNZ"),
    ("Cyril Ramaphosa", "Ramaphosa", "South Africa", "South African", "Pretoria", "SAnews",
     "Bola Tinubu", "Tinubu", "Nigeria", "Nigerian", "Abuja", "NAN"),
]
THIRD = [("Donald Trump", "Trump", "US", "Washington"), ("Joe Biden", "Biden", "US", "Washington"),
         ("Ursula von der Leyen", "von der Leyen", "EU", "Brussels"),
         ("Antonio Guterres", "Guterres", "UN", "New York")]
REGIONS = ["Kursk", "Donetsk", "Kherson", "Kashmir", "Tigray", "Gaza", "Sahel", "Darfur"]
CITIES = ["Budapest", "Alaska", "Geneva", "Istanbul", "Riyadh", "Doha", "Helsinki", "Vienna"]
OUTLETS = ["Pressmediaofindia", "Reuters", "Int'l Monitoring Desk", "World Desk"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def seed_paragraphs() -> list[str]:
    """The body paragraphs of both seed articles (furniture left out)."""
    wire = (SEEDS / WIRE).read_text(encoding="utf-8").splitlines()
    paragraphs = [line.strip() for line in wire[1:] if len(line.split()) > 8]  # date line, outlet tag
    page = (SEEDS / PAGE).read_text(encoding="utf-8")
    body = page[page.index("Facebook IconLinkedIN Icon") : page.index("(Only the headline")]
    paragraphs += [p.strip() for p in body.split("\n\n")[1:] if len(p.split()) > 8]
    return paragraphs


def page_furniture() -> tuple[str, str]:
    """The seed page's header (after the body starts) and footer (paywall, related links)."""
    page = (SEEDS / PAGE).read_text(encoding="utf-8")
    footer = page[page.index("(Only the headline") :]
    return page, footer


def _substitutions(rng: random.Random) -> list[tuple[str, str]]:
    a = CASTS[0]
    b = rng.choice(CASTS)
    c = rng.choice([x for x in CASTS if x is not b] or CASTS)
    # Person A of cast b, person B of cast c: the seed's two sides become two other countries.
    new = (*b[:6], *c[6:])
    third = rng.choice(THIRD)
    pairs = list(zip(a, new, strict=True))
    pairs += [("Donald Trump", third[0]), ("Trump", third[1]), ("Washington", third[3]),
              ("Kursk", rng.choice(REGIONS)), ("Budapest", rng.choice(CITIES)), ("Alaska", rng.choice(CITIES)),
              ("Kremlin", f"{new[9]} government"), ("PYONGYANG", new[4].upper()), ("Seoul", rng.choice(CITIES))]
    # the possessive and adjectival forms of the seed texts follow the base words
    return sorted(pairs, key=lambda kv: -len(kv[0]))


def _rewrite(text: str, subs: list[tuple[str, str]], rng: random.Random) -> str:
    pattern = re.compile("|".join(rf"\b{re.escape(k)}\b" for k, _ in subs))
    table = dict(subs)
    text = pattern.sub(lambda m: table[m.group(0)], text)
    # Vary numbers (not years): 10,000 troops -> 7,000 troops; 5% -> 3%.
    def number(m: re.Match) -> str:
        digits = m.group(0).replace(",", "")
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return m.group(0)
        value = max(1, int(int(digits) * rng.uniform(0.4, 1.8)))
        return f"{value:,}" if "," in m.group(0) else str(value)

    text = re.sub(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b", number, text)
    return re.sub(r"\b(" + "|".join(WEEKDAYS) + r")\b", lambda m: rng.choice(WEEKDAYS), text)


def article(n: int, rng: random.Random, paragraphs: list[str], footer: str) -> tuple[str, str]:
    """One raw article: (file name, content)."""
    subs = _substitutions(rng)
    body = [_rewrite(p, subs, rng) for p in rng.sample(paragraphs, rng.randint(6, min(14, len(paragraphs))))]
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1000))
    if rng.random() < 0.5:
        # the wire shape: DD-MM-YYYY, paragraphs one per line, an outlet tag
        text = f"{day:%d-%m-%Y}\n" + "\n".join(body) + f"\n{rng.choice(OUTLETS)}\n"
        return f"{n:06d}_wire.txt", text
    headline = _rewrite("North Korean, Russian leaders in call reaffirm their alignment over Ukraine", subs, rng)
    standfirst = body[0].split(",")[0].rstrip(".") if len(body[0].split(",")[0].split()) > 5 else headline
    hour, minute = rng.randrange(1, 12), rng.randrange(0, 60)
    stamp = f"{day:%b} {day.day:02d} {day.year} | {hour}:{minute:02d} AM IST"
    header = (
        f" date {day.isoformat()} Home / World News / {headline}\n\n{headline}\n\n{standfirst}\n\n"
        f"{body[0].split('.')[0]}. Photo: Bloomberg\nAP {rng.choice(CITIES)}\n"
        f"{rng.randint(1, 6)} min read Last Updated : {stamp}\nConnect with us\nFacebook IconLinkedIN Icon\n\n"
    )
    tail = re.sub(r"First Published: .*", f"First Published: {stamp}", footer)
    return f"{n:06d}_page.txt", header + "\n\n".join(body) + "\n\n" + tail


def generate(out: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` raw articles into ``out`` (created); return their paths."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    _, footer = page_furniture()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, text = article(i, rng, paragraphs, footer)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    paths = generate(args.out, args.n, args.seed)
    print(f"{len(paths)} articles in {args.out}")


if __name__ == "__main__":
    main()
