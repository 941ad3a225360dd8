"""Starting the window: the application object, its settings identity, the theme, the first files."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from viewer.core import Side
from viewer.ui.decisions_file import apply_on_open
from viewer.ui.main_window import MainWindow
from viewer.ui.single_instance import deliver, wait_for_second_file
from viewer.ui.theme import apply_theme

APP_NAME = "Variorum"
BROKEN_BINDING = (
    "PySide6 {version} loses a reference to None on every call under Python {python}, and the "
    "interpreter soon aborts; install another release, e.g. pip install 'PySide6-Essentials<6.12'"
)


def binding_is_broken() -> bool:
    """Whether this PySide6 build drops references to None (seen with 6.12.0 on Python 3.11)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    calls = 64
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= calls


def binding_problem() -> str:
    """A one-line explanation when the Qt binding is unusable, else ""."""
    if sys.version_info >= (3, 12) or not binding_is_broken():
        return ""
    import PySide6

    return BROKEN_BINDING.format(version=PySide6.__version__, python=sys.version.split()[0])


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, created once, named so QSettings finds its file."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("variorum")
    return app


def open_paths(window: MainWindow, paths: Sequence[str]) -> None:
    """Open what the command line named: two files compare, one waits for its partner."""
    if len(paths) >= 2:
        window.open_pair(paths[0], paths[1])
    elif len(paths) == 1:
        window.open_side(Side.LEFT, paths[0])
        window.open_dialog(left=paths[0])


def run_gui(paths: Sequence[str], decisions: str | None = None) -> int:
    """Show the window on 0, 1 or 2 files (and saved decisions) until it closes; the exit status."""
    problem = binding_problem()
    if problem:
        print(f"variorum: {problem}", file=sys.stderr)
    app = application()
    # One file may be the second one a waiting window asked for.
    if len(paths) == 1 and decisions is None and deliver(paths):
        return 0
    theme = str(QSettings().value("view/theme", "system"))
    apply_theme(app, theme if theme in ("system", "light", "dark") else "system")
    window = MainWindow()
    window.show()
    if decisions:
        apply_on_open(window, decisions)
    open_paths(window, list(paths))
    if len(paths) == 1:
        wait_for_second_file(window)
    return app.exec()
