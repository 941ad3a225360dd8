"""The window's dialogs that are only a message: errors, the discard question, About.

All open window-modal without a nested event loop, so the window (and tests) keep running.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from viewer import __version__


def show_warning(
    parent: QWidget, title: str, message: str, informative: str = "", name: str = ""
) -> QMessageBox:
    """A warning with the engine's one-line message, and what it means for the window."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name or "warning_dialog")
    if informative:
        box.setInformativeText(informative)
    box.open()
    return box


def ask_discard(
    parent: QWidget, then: Callable[[], None], export: Callable[[], None] | None = None
) -> QMessageBox:
    """Ask whether unexported decisions may go; run `then` only on Discard (and `export`, when
    given, on Export…)."""
    buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    if export is not None:
        buttons |= QMessageBox.StandardButton.Save
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unexported decisions",
        "Your decisions and edits have not been exported. Discard them?",
        buttons,
        parent,
    )
    box.setObjectName("confirm_discard")
    if export is not None:
        box.button(QMessageBox.StandardButton.Save).setText("&Export…")
        box.setInformativeText("Export… writes the canonical text first (as Ctrl+S does), then goes on.")
    else:
        box.setInformativeText("Choose Cancel, then File ▸ Export Canonical… (Ctrl+S) to keep them.")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def finished(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is box.button(QMessageBox.StandardButton.Discard):
            then()
        elif export is not None and clicked is box.button(QMessageBox.StandardButton.Save):
            export()

    box.finished.connect(finished)
    box.open()
    return box


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("about_dialog")
    box.setWindowTitle("About Variorum")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(f"<b>Variorum {__version__}</b>")
    box.setInformativeText(
        "Compare two variants of one document — say a web article and the same article taken "
        "from a PDF — see every difference by kind, and merge them into one canonical text."
    )
    box.open()
    return box
