"""``dataset-builder``: thin subcommands over the library."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import BuildConfig
from .errors import NewsEdcError


def _build(args: argparse.Namespace) -> int:
    from .release import build, load_line

    config = BuildConfig()
    overrides = {
        "sources": args.sources or config.sources,
        "out": args.out or config.out,
        "allow_rejects": args.allow_rejects,
        "spacy_model": args.spacy_model,
        "annotate": not args.no_annotate,
        "gold": None if args.no_gold else (args.gold or config.gold),
    }
    release, report = build(config, **overrides)
    for line in report.lines():
        print(line)
    print(f"release: {release.resolve()}")
    print(load_line(release))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_release

    problems = validate_release(args.release)
    for problem in problems:
        print(problem)
    print(f"{args.release}: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_paths, format_report

    report = evaluate_paths(args.gold, args.pred)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_report(report))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dataset-builder", description="Build, check and score the news-edc dataset.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build a release from a folder of raw articles")
    b.add_argument("--sources", type=Path, help="folder of raw .txt articles (default: the bundled seeds)")
    b.add_argument("--out", type=Path, help="output root; the release goes to OUT/<version> (default: dist/news-edc)")
    b.add_argument("--gold", type=Path, help="folder of gold annotation files (default: annotations/gold)")
    b.add_argument("--no-gold", action="store_true", help="ignore gold annotations (all documents silver, split train)")
    b.add_argument("--allow-rejects", action="store_true", help="exit 0 even when some input files were rejected")
    b.add_argument("--spacy-model", metavar="NAME", help="an installed spaCy pipeline (default: en_core_web_sm 3.8.0)")
    b.add_argument("--no-annotate", action="store_true", help="skip the automatic annotators (empty silver layers)")
    b.set_defaults(run=_build)

    v = sub.add_parser("validate", help="re-check a release: checksums, schema, offsets")
    v.add_argument("release", type=Path)
    v.set_defaults(run=_validate)

    e = sub.add_parser("evaluate", help="score predictions against gold annotations")
    e.add_argument("--gold", type=Path, required=True, help="release folder, records file, or folder of gold JSON")
    e.add_argument("--pred", type=Path, required=True, help="predictions: .jsonl, .parquet or a release folder")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.set_defaults(run=_evaluate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except NewsEdcError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as err:
        print(f"error: {err.strerror}: {err.filename}", file=sys.stderr)
        return 2
    except ValueError as err:  # EvaluationError and other bad-input errors of the library
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
