"""Faults: a killed build, a full disk, an unwritable output folder (issue 10, item 5).

The builds run as real ``dataset-builder build`` processes: SIGKILL gives the
process no chance to clean up, and a file-size limit (RLIMIT_FSIZE) makes the
kernel fail writes the way a full disk does.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from dataset_builder.cli import main
from dataset_builder.validate import validate_release

VERSION_DIR = "0.1.0"
SEEDS = ROOT / "sources" / "articles"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    """A JSONL crawl of 10 articles (one seed story under several headlines and dates)."""
    folder = tmp_path_factory.mktemp("crawl")
    text = (SEEDS / "000_24596bca16d28781.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    with (folder / "crawl.jsonl").open("w", encoding="utf-8") as handle:
        for n in range(10):
            line = {"text": text, "headline": f"Kim vows ties with Russia will advance, report {n}",
                    "published": f"2025-{1 + n % 9:02d}-{1 + n % 28:02d}"}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return folder


def _args(sources: Path, out: Path) -> list[str]:
    return ["build", "--sources", str(sources), "--out", str(out), "--no-annotate", "--no-gold", "--duplicates", "keep"]


def _temporary_folders(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if ".tmp-" in p.name] if out.is_dir() else []


def test_a_build_killed_at_any_point_leaves_no_partial_release(crawl, tmp_path):
    out = tmp_path / "out"
    # Kill points: during start-up, during reading and annotating, and the moment
    # the temporary release folder appears (mid-write of the release).
    killed_mid_write = False
    for point in (0.3, 1.5, "writing", "writing", "writing"):
        if point == "writing" and killed_mid_write:
            break
        proc = subprocess.Popen([sys.executable, "-m", "dataset_builder.cli", *_args(crawl, out)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + (point if isinstance(point, float) else 300)
        while time.monotonic() < deadline and proc.poll() is None:
            if point == "writing" and _temporary_folders(out):
                break
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        release = out / VERSION_DIR
        if release.exists():  # the kill came after the rename: then the release is complete
            assert validate_release(release) == []
            shutil.rmtree(release)  # and the next kill point starts from no release again
        elif point == "writing":
            killed_mid_write = bool(_temporary_folders(out))
    assert killed_mid_write  # the test did interrupt a release being written
    # The next build ignores what the killed ones left and writes the release an
    # uninterrupted build writes, byte for byte.
    assert main(_args(crawl, out)) == 0
    assert validate_release(out / VERSION_DIR) == []
    assert main(_args(crawl, tmp_path / "reference")) == 0
    reference = tmp_path / "reference" / VERSION_DIR
    assert (out / VERSION_DIR / "SHA256SUMS").read_bytes() == (reference / "SHA256SUMS").read_bytes()


def test_a_full_disk_is_a_clear_error_and_leaves_no_release(tmp_path):
    # Load what the build loads first, then let the kernel refuse any file over 20 kB
    # (EFBIG, as a full disk gives ENOSPC): the release's Parquet shard is larger.
    script = (
        "import resource, signal, sys\n"
        "from dataset_builder.ingest.limits import _identifier\n"
        "_identifier()\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.RLIM_INFINITY))\n"
        "from dataset_builder.cli import main\n"
        f"sys.exit(main(['build', '--sources', {str(SEEDS)!r}, '--out', {str(tmp_path / 'out')!r}, '--no-annotate']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "File too large" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / VERSION_DIR).exists()
    assert not [p for p in (tmp_path / "out").iterdir() if ".tmp-" in p.name]  # the temporary folder is removed


@pytest.mark.parametrize("where", ["a file", "under a file", "read-only file system"])
def test_an_unwritable_output_folder_is_a_clear_error(where, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be\n", encoding="utf-8")
    out = {"a file": blocker, "under a file": blocker / "dist",
           "read-only file system": Path("/sys/news-edc-out")}[where]
    if where == "read-only file system" and not Path("/sys").is_dir():
        pytest.skip("no /sys here (sysfs refuses new folders, even to root)")
    assert main(["build", "--sources", str(SEEDS), "--out", str(out), "--no-annotate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(out) in err and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8").startswith("a file where")  # nothing overwritten
