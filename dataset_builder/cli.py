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
        "previous": args.previous,
        "duplicates": args.duplicates,
        "max_file_bytes": args.max_file_size or config.max_file_bytes,
        "workers": args.workers,
        "cache": args.cache,
        "use_cache": not args.no_cache,
        "prune_cache": args.prune_cache,
        "executor": args.executor,
        "executor_tasks": args.tasks,
        "executor_options": tuple(args.executor_option or ()),
        "progress": not args.quiet,
    }
    release, report = build(config, **overrides)
    for line in report.lines() if not args.quiet else report.summary():
        print(line)
    print(f"release: {release.resolve()}")
    print(load_line(release))
    return 0


def _key_value(option: str) -> tuple[str, str]:
    key, sep, value = option.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"--executor-option {option!r}: expected KEY=VALUE")
    return key, value


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


def _view(args: argparse.Namespace) -> int:
    from .viewer import write_viewer

    baselines = json.loads(args.baselines.read_text(encoding="utf-8")) if args.baselines else None
    out = write_viewer(args.release, args.out, baselines)
    print(f"viewer: {(out / 'index.html').resolve()}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .publish import publish

    plan = publish(args.release, args.repo_id, token=args.token, dry_run=args.dry_run)
    for line in plan.lines():
        print(line)
    print("dry run: nothing uploaded" if args.dry_run else f"published {plan.repo_id} {plan.tag}")
    return 0


def _datasheet(args: argparse.Namespace) -> int:
    from .datasheet import write_generated

    changed = write_generated(args.release, datasheet=args.file)
    print(f"{args.file}: {'updated' if changed else 'up to date'}")
    return 0


def _changelog(args: argparse.Namespace) -> int:
    from .datasheet import write_generated

    changed = write_generated(args.release, changelog=args.file)
    print(f"{args.file}: {'updated' if changed else 'up to date'}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dataset-builder", description="Build, check and score the news-edc dataset.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build a release from a folder of raw articles")
    b.add_argument("--sources", type=Path, help="folder of raw articles: .txt, .html, .jsonl (default: bundled seeds)")
    b.add_argument("--out", type=Path, help="output root; the release goes to OUT/<version> (default: dist/news-edc)")
    b.add_argument("--gold", type=Path, help="folder of gold annotation files (default: annotations/gold)")
    b.add_argument("--no-gold", action="store_true", help="ignore gold annotations (all documents silver, split train)")
    b.add_argument("--allow-rejects", action="store_true", help="exit 0 even when some input files were rejected")
    b.add_argument("--spacy-model", metavar="NAME", help="an installed spaCy pipeline (default: en_core_web_sm 3.8.0)")
    b.add_argument("--no-annotate", action="store_true", help="skip the automatic annotators (empty silver layers)")
    b.add_argument("--duplicates", choices=("reject", "keep"), default="reject",
                   help="exact and near duplicates after the first copy: reject them (default) or keep them, flagged")
    b.add_argument("--max-file-size", type=int, metavar="BYTES",
                   help="reject input files (JSONL: lines) larger than this (default: 5000000)")
    b.add_argument("--previous", type=Path, metavar="DIR",
                   help="release to diff against (default: the newest earlier version in OUT)")
    b.add_argument("--workers", type=int, metavar="N",
                   help="processes that parse and annotate (default: all cores); the release does not depend on N")
    b.add_argument("--cache", type=Path, metavar="DIR", help="annotation cache folder (default: OUT/.cache)")
    b.add_argument("--no-cache", action="store_true", help="neither read nor write the annotation cache")
    b.add_argument("--prune-cache", action="store_true",
                   help="after a successful build, delete the cache entries it did not use (old articles, "
                        "annotator versions, code)")
    b.add_argument("--executor", choices=("local", "slurm", "ray"),
                   help="annotate through a datatrove executor first (see docs/scaling.md); same release")
    b.add_argument("--tasks", type=int, metavar="N", help="datatrove tasks (default: --workers)")
    b.add_argument("--executor-option", action="append", type=_key_value, metavar="KEY=VALUE",
                   help="extra argument of the datatrove executor, e.g. partition=cpu time=04:00:00 (repeatable)")
    b.add_argument("--quiet", action="store_true", help="no progress bar; print only the summary lines")
    b.set_defaults(run=_build)

    pub = sub.add_parser("publish", help="upload a release to a Hugging Face Hub dataset repo and tag it v<version>")
    pub.add_argument("release", type=Path)
    pub.add_argument("--repo-id", required=True, metavar="ORG/NAME")
    pub.add_argument("--token", help="Hub token (default: the logged-in token or HF_TOKEN)")
    pub.add_argument("--dry-run", action="store_true", help="print every file (size, sha256) and the tag; no network")
    pub.set_defaults(run=_publish)

    ds = sub.add_parser("datasheet", help="regenerate DATASHEET.md's statistics block from a release")
    ds.add_argument("release", type=Path)
    ds.add_argument("--file", type=Path, default=Path("DATASHEET.md"))
    ds.set_defaults(run=_datasheet)

    cl = sub.add_parser("changelog", help="write a release's section (notes and data diff) into CHANGELOG.md")
    cl.add_argument("release", type=Path)
    cl.add_argument("--file", type=Path, default=Path("CHANGELOG.md"))
    cl.set_defaults(run=_changelog)

    v = sub.add_parser("validate", help="re-check a release: checksums, schema, offsets")
    v.add_argument("release", type=Path)
    v.set_defaults(run=_validate)

    e = sub.add_parser("evaluate", help="score predictions against gold annotations")
    e.add_argument("--gold", type=Path, required=True, help="release folder, records file, or folder of gold JSON")
    e.add_argument("--pred", type=Path, required=True, help="predictions: .jsonl, .parquet or a release folder")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.set_defaults(run=_evaluate)

    w = sub.add_parser("view", help="write the static HTML viewer and statistics report of a release")
    w.add_argument("release", type=Path)
    w.add_argument("--out", type=Path, help="viewer folder (default: RELEASE/viewer)")
    w.add_argument("--baselines", type=Path, help="JSON file {baseline name: evaluate --json report}")
    w.set_defaults(run=_view)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except NewsEdcError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # unwritable output, a full disk, a missing file: one line, no traceback
        where = f": {err.filename}" if err.filename else ""
        print(f"error: {err.strerror or err}{where}", file=sys.stderr)
        return 2
    except ValueError as err:  # EvaluationError and other bad-input errors of the library
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
