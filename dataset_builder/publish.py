"""``dataset-builder publish``: a validated release to a Hugging Face Hub dataset repo, tagged.

One commit uploads the release folder to the repo's main branch (files of an
older version that the new one no longer has are deleted in the same commit),
then the tag ``v<version>`` points at that commit, so that
``load_dataset("ORG/NAME", revision="v1.0.0")`` gives exactly that release.

A version is published once: if the tag exists already, nothing is uploaded.
The repo is gated (access on request, see DATASHEET.md) because the article
texts remain the copyright of their publishers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BuildError
from .validate import CHECKSUMS, sha256_file, validate_release
from .versioning import release_version

REPO_TYPE = "dataset"
GATED = "manual"  # every access request is reviewed by a maintainer


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A file that will be uploaded: its path in the repo, size in bytes and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class PublishPlan:
    """What a publish uploads and tags."""

    release: Path
    repo_id: str
    version: str
    files: tuple[PlannedFile, ...]

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    def lines(self) -> list[str]:
        """The plan for people: the repo, every file with size and sha256, the tag."""
        total = sum(f.size for f in self.files)
        out = [f"repo: https://huggingface.co/datasets/{self.repo_id} (dataset, gated={GATED})"]
        out += [f"upload {f.path}  {f.size} bytes  sha256 {f.sha256}" for f in self.files]
        out.append(f"total: {len(self.files)} files, {total} bytes")
        out.append(f"tag: {self.tag} on the upload commit")
        return out


def plan(release: Path, repo_id: str) -> PublishPlan:
    """Check a release folder and list what publishing it would upload.

    The files and their hashes come from ``SHA256SUMS`` after the release has been
    validated, so the plan is exactly what the folder holds.

    Raises:
        BuildError: the repo id is malformed, or the release does not validate.
    """
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise BuildError(f"--repo-id must be ORG/NAME, got {repo_id!r}")
    problems = validate_release(release)
    if problems:
        raise BuildError(f"{release} does not validate; not publishing:\n  " + "\n  ".join(problems[:20]))
    version = release_version(release)
    if version is None:
        raise BuildError(
            f"{release}: cannot tell the dataset version (no build_report.json version, folder name not X.Y.Z)"
        )
    files = []
    for line in (release / CHECKSUMS).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        files.append(PlannedFile(name, (release / name).stat().st_size, digest))
    sums = release / CHECKSUMS
    files.append(PlannedFile(CHECKSUMS, sums.stat().st_size, sha256_file(sums)))
    return PublishPlan(release, repo_id, version, tuple(sorted(files, key=lambda f: f.path)))


def publish(
    release: Path, repo_id: str, *, token: str | None = None, dry_run: bool = False, api: Any = None
) -> PublishPlan:
    """Upload a release to the Hub and tag it ``v<version>``.

    Args:
        release: the release folder.
        repo_id: ``ORG/NAME`` of the dataset repo (created, gated, when missing).
        token: a Hub token; None uses the logged-in token or ``HF_TOKEN``.
        dry_run: only compute the plan (no network).
        api: an ``huggingface_hub.HfApi`` (tests pass a fake); None makes one.

    Returns:
        The plan that was (or, with ``dry_run``, would be) carried out.

    Raises:
        BuildError: the release does not validate, or this version is already tagged.
    """
    todo = plan(release, repo_id)
    if dry_run:
        return todo
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi(token=token)
    api.create_repo(repo_id, repo_type=REPO_TYPE, exist_ok=True, private=False)
    tags = {ref.name for ref in api.list_repo_refs(repo_id, repo_type=REPO_TYPE).tags}
    if todo.tag in tags:
        raise BuildError(f"{repo_id} already has tag {todo.tag}: a published version is never rewritten")
    api.update_repo_settings(repo_id, repo_type=REPO_TYPE, gated=GATED)
    commit = api.upload_folder(
        repo_id=repo_id,
        repo_type=REPO_TYPE,
        folder_path=str(release),
        commit_message=f"news-edc {todo.version}",
        commit_description=_describe(release),
        # the repo's main branch holds one version: drop files the new one does not have
        delete_patterns=["*", "**/*"],
    )
    api.create_tag(
        repo_id, repo_type=REPO_TYPE, tag=todo.tag, revision=commit.oid, tag_message=f"news-edc dataset {todo.version}"
    )
    return todo


def _describe(release: Path) -> str:
    report = json.loads((release / "build_report.json").read_text(encoding="utf-8"))
    changes = report.get("changes") or {}
    docs = changes.get("documents", {})
    return (
        f"Dataset version {report.get('version')} (previous: {changes.get('previous')}); documents added "
        f"{len(docs.get('added', []))}, removed {len(docs.get('removed', []))}, changed {len(docs.get('changed', []))}."
    )
