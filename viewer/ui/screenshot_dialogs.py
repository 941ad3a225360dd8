"""The preferences dialog and the restore prompt as PNGs: python -m viewer.ui.screenshot_dialogs OUTDIR."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from viewer.ui.app import application
from viewer.ui.main_window import MainWindow
from viewer.ui.preferences_dialog import open_preferences
from viewer.ui.theme import apply_theme

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SIZE = (1480, 920)


def _settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()


def _window(folder: Path, name: str, theme: str) -> MainWindow:
    settings = QSettings(str(folder / f"{name}.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/theme", theme)
    window = MainWindow(settings, synchronous=True)
    window.resize(*SIZE)
    window.show()
    window.open_pair(str(SAMPLES / "lavrov-web.md"), str(SAMPLES / "lavrov-pdf.txt"))
    return window


def capture(out: Path, theme: str) -> list[Path]:
    """Decide three differences in one window, then reopen the pair in another: the prompt."""
    app = application()
    apply_theme(app, theme)
    suffix = "" if theme == "light" else f"-{theme}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Autosaves go to a private data folder: never the user's own.
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        first = _window(folder, "first", theme)
        _settle(app)
        for difference_id in ("d2", "d3", "d4"):
            first.view.set_current(difference_id)
            first.commands["take_left"].trigger()
        first.autosave.flush()
        dialog = open_preferences(first)
        _settle(app)
        preferences = out / f"preferences{suffix}.png"
        dialog.grab().save(str(preferences))
        dialog.reject()
        second = _window(folder, "second", theme)
        _settle(app)
        second.view.set_current("d4")
        _settle(app)
        prompt = out / f"restore-prompt{suffix}.png"
        if not second.autosave.prompt.isVisible() or not second.grab().save(str(prompt)):
            raise OSError(f"{prompt}: no restore prompt to capture")
        for window in (first, second):
            if window.session is not None:
                window.session.mark_exported()
            window.close()
            window.deleteLater()
        _settle(app)
    return [preferences, prompt]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path, help="folder for preferences.png and restore-prompt.png")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    application(sys.argv[:1])
    for path in capture(args.outdir, args.theme):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
