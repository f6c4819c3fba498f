"""Shared fixtures. The spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEVSET = SHARED / "devset"


@pytest.fixture(scope="session")
def nlp():
    from dataset_builder.nlp import load_pipeline

    return load_pipeline()
