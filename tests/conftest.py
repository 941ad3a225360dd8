"""Test set-up: Qt runs offscreen, and shared paths for the samples and the corpus."""

import os
from pathlib import Path

import pytest

# Before any Qt import: the tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
WEB_SAMPLE = SAMPLES / "lavrov-web.md"
PDF_SAMPLE = SAMPLES / "lavrov-pdf.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own XDG folders, so settings, recent files and autosaves never leak."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home))
    (home).chmod(0o700)


def corpus_pairs() -> list[Path]:
    """The corpus pair folders, empty when the corpus is not beside the checkout."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def pair_files(folder: Path) -> tuple[Path, Path]:
    a = next(folder.glob("a.*"))
    b = next(folder.glob("b.*"))
    return a, b
