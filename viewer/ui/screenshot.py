"""Screenshots of the window on the bundled samples, light and dark: python -m viewer.ui.screenshot OUTDIR."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from viewer.ui.app import application
from viewer.ui.main_window import MainWindow
from viewer.ui.theme import apply_theme

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SIZE = (1480, 920)


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def capture(theme: str, out: Path, left: Path | None, right: Path | None, current: str | None) -> Path:
    """Open the pair (or nothing: the welcome page) in a fresh window and save it as a PNG."""
    app = application()
    apply_theme(app, theme)
    with tempfile.TemporaryDirectory() as tmp:
        # A private settings file: screenshots never show this machine's recent files.
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, synchronous=True)
        window.resize(*SIZE)
        window.show()
        if left is not None and right is not None:
            window.open_pair(str(left), str(right))
        _settle(app)
        if current is not None and window.comparison is not None:
            window.view.set_current(current)
        _settle(app)
        path = out / (f"variorum-{theme}.png" if left is not None else f"variorum-welcome-{theme}.png")
        if not window.grab().save(str(path)):
            raise OSError(f"{path}: cannot write the screenshot")
        if window.session is not None:
            window.session.mark_exported()
        window.close()
        window.deleteLater()
        _settle(app)
    return path


def _folder_pair(root: Path) -> tuple[Path, Path]:
    """Two folders of variants made from the samples (and generated prose, in a checkout)."""
    left, right = root / "web", root / "pdf"
    for folder in (left, right, left / "2024", right / "2024"):
        folder.mkdir(parents=True, exist_ok=True)
    web = (SAMPLES / "lavrov-web.md").read_text(encoding="utf-8")
    pdf = (SAMPLES / "lavrov-pdf.txt").read_text(encoding="utf-8")
    (left / "lavrov.md").write_text(web, encoding="utf-8")
    (right / "lavrov.txt").write_text(pdf, encoding="utf-8")
    (left / "lavrov-reprint.md").write_text(web, encoding="utf-8")
    (right / "lavrov-reprint.md").write_text(
        web.replace("  ", " ").replace("\n\n", "\n\n\n"), encoding="utf-8"
    )
    edited = pdf.replace("Russia", "the Russian Federation", 2).replace("said", "stated", 3)
    (left / "2024" / "lavrov-wire.md").write_text(web, encoding="utf-8")
    (right / "2024" / "lavrov-wire.txt").write_text(edited, encoding="utf-8")
    (left / "2024" / "unsent-draft.md").write_text(web[: len(web) // 3], encoding="utf-8")
    try:
        from bench.generate import make_pair
    except ImportError:  # an installed copy, without the benchmark's generator
        return left, right
    for k, size in enumerate((40_000, 120_000, 15_000)):
        pair = make_pair(size, seed=k, moved_paragraphs=k, hyphenation=0.01 * k)
        (left / f"chapter-{k + 1}.md").write_text(pair.left, encoding="utf-8")
        (right / f"chapter-{k + 1}.txt").write_text(pair.right, encoding="utf-8")
    return left, right


def capture_folders(out: Path) -> Path:
    """The window on two folders of variants, once every pair is compared and merged."""
    app = application()
    apply_theme(app, "light")
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        left, right = _folder_pair(Path(tmp))
        window = MainWindow(settings)
        window.resize(SIZE[0], 560)
        window.show()
        window.open_pair(str(left), str(right))
        # Compared, then merged into a folder beside them (the Canonical column fills).
        for step in (lambda: None, lambda: window.folders.merge_all(str(Path(tmp) / "canonical"), "md")):
            step()
            deadline = time.monotonic() + 60
            while window.folders.busy and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.01)
        _settle(app)
        path = out / "folders.png"
        if not window.grab().save(str(path)):
            raise OSError(f"{path}: cannot write the screenshot")
        window.close()
        window.deleteLater()
        _settle(app)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "outdir",
        type=Path,
        help="folder for variorum-light.png, variorum-dark.png, variorum-welcome-light.png and folders.png",
    )
    parser.add_argument("--left", type=Path, default=SAMPLES / "lavrov-web.md")
    parser.add_argument("--right", type=Path, default=SAMPLES / "lavrov-pdf.txt")
    parser.add_argument("--current", default="d4", help="difference to select (default: d4)")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    application(sys.argv[:1])
    for theme in ("light", "dark"):
        print(capture(theme, args.outdir, args.left, args.right, args.current))
    print(capture("light", args.outdir, None, None, None))
    print(capture_folders(args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
