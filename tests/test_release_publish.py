"""Publishing a release to the Hub: the dry run, and the Hub calls with only HfApi's HTTP methods faked."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import huggingface_hub
import pytest

from dataset_builder import build
from dataset_builder.cli import main
from dataset_builder.errors import BuildError
from dataset_builder.publish import publish


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    folder, _ = build(out=tmp_path_factory.mktemp("dist"), annotate=False)
    return folder


class FakeHub:
    """Stands in for the Hub's HTTP API: records every call of the HfApi methods publish uses."""

    def __init__(self, tags: tuple[str, ...] = ()):
        self.calls: list[tuple[str, tuple, dict]] = []
        self.tags = tags

    def install(self, monkeypatch) -> None:
        def record(name, result=None):
            def method(api_self, *args, **kwargs):
                self.calls.append((name, args, kwargs))
                return result() if callable(result) else result

            monkeypatch.setattr(huggingface_hub.HfApi, name, method)

        record("create_repo")
        record(
            "list_repo_refs", lambda: SimpleNamespace(tags=[SimpleNamespace(name=t) for t in self.tags], branches=[])
        )
        record("update_repo_settings")
        record("upload_folder", SimpleNamespace(oid="0123abcd" * 5))
        record("create_tag")

    def names(self) -> list[str]:
        return [name for name, _, _ in self.calls]


def test_dry_run_prints_every_file_with_size_and_sha256_and_uses_no_network(release, monkeypatch, capsys):
    hub = FakeHub()
    hub.install(monkeypatch)
    assert main(["publish", str(release), "--repo-id", "news-edc/news-edc", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert hub.calls == []
    sums = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in sums:
        digest, _, name = line.partition("  ")
        assert f"upload {name}  {(release / name).stat().st_size} bytes  sha256 {digest}" in out
    assert "upload SHA256SUMS  " in out and "upload croissant.json  " in out
    assert "tag: v0.1.0" in out and "dry run: nothing uploaded" in out


def test_publish_creates_gated_repo_uploads_and_tags_the_commit(release, monkeypatch):
    hub = FakeHub()
    hub.install(monkeypatch)
    plan = publish(release, "news-edc/news-edc", token="hf_test")
    assert hub.names() == ["create_repo", "list_repo_refs", "update_repo_settings", "upload_folder", "create_tag"]
    calls = {name: (args, kwargs) for name, args, kwargs in hub.calls}
    assert calls["create_repo"] == (
        ("news-edc/news-edc",),
        {"repo_type": "dataset", "exist_ok": True, "private": False},
    )
    assert calls["update_repo_settings"][1] == {"repo_type": "dataset", "gated": "manual"}
    upload = calls["upload_folder"][1]
    assert upload["repo_id"] == "news-edc/news-edc" and upload["repo_type"] == "dataset"
    assert Path(upload["folder_path"]) == release and upload["commit_message"] == "news-edc 0.1.0"
    args, kwargs = calls["create_tag"]
    assert args == ("news-edc/news-edc",) and kwargs["tag"] == "v0.1.0" and kwargs["revision"] == "0123abcd" * 5
    on_disk = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert plan.tag == "v0.1.0" and sorted(f.path for f in plan.files) == on_disk


def test_an_existing_tag_is_never_moved(release, monkeypatch):
    hub = FakeHub(tags=("v0.1.0",))
    hub.install(monkeypatch)
    with pytest.raises(BuildError, match="already has tag v0.1.0"):
        publish(release, "news-edc/news-edc")
    assert "upload_folder" not in hub.names() and "create_tag" not in hub.names()


def test_a_tampered_release_or_bad_repo_id_is_not_published(release, tmp_path, monkeypatch, capsys):
    hub = FakeHub()
    hub.install(monkeypatch)
    copy = tmp_path / "0.1.0"
    shutil.copytree(release, copy)
    (copy / "README.md").write_text("edited by hand\n", encoding="utf-8")
    assert main(["publish", str(copy), "--repo-id", "news-edc/news-edc"]) == 2
    assert "does not validate" in capsys.readouterr().err
    with pytest.raises(BuildError, match="ORG/NAME"):
        publish(release, "news-edc", dry_run=True)
    assert hub.calls == []
