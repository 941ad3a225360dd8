"""Screenshots of the window on the bundled samples, light and dark: python -m viewer.ui.screenshot OUTDIR."""

from __future__ import annotations

import argparse
import sys
import tempfile
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "outdir",
        type=Path,
        help="folder for variorum-light.png, variorum-dark.png and variorum-welcome-light.png",
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
