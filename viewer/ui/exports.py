"""The window's export commands: the canonical text, the report of the differences, the clipboard."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from viewer.core import LoadError, Side
from viewer.core.written import EXPORTED, WrittenStore
from viewer.desktop import written_dir
from viewer.ui import export
from viewer.ui.message_boxes import show_warning

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class WindowExports:
    """What File ▸ Export…, Export Report… and Copy Canonical Text do for a window. Errors are
    shown in the window, never raised; nothing is written over a source."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def canonical_dialog(self) -> bool:
        """Ask where to export the canonical text, and write it there; True when written with
        all the work in it (not in a format that leaves the hand edits out)."""
        session = self.window.session
        if session is None:
            return False
        # A pair of the folder list: in the format Merge All wrote, to replace its merge.
        fmt = self.window.folders.merged_format or session.text_format
        folder, name = self.start(fmt)
        target = export.ask_target(self.window, session, folder, name, fmt if name else "")
        return target is not None and self.canonical_to(*target) and self.holds_hand_edits(target[1])

    def report_dialog(self) -> None:
        session = self.window.session
        if session is not None:
            target = export.ask_report_target(self.window, session, self.start("html")[0])
            if target is not None:
                self.report_to(target)

    def start(self, fmt: str) -> tuple[str, str]:
        """Where an export dialog starts, as (folder, file name or "" for the usual one): by the
        left file, or for a pair of the folder list where Merge All writes it, under the same
        name (the compared folders stay as they are)."""
        left, right = self.window.path(Side.LEFT) or "", self.window.path(Side.RIGHT) or ""
        listed = self.window.folders.export_target(left, right, fmt)
        return listed or (str(Path(left or ".").parent), "")

    def canonical_to(self, path: str, fmt: str | None = None) -> bool:
        """Write the canonical text; True when written."""
        window, session = self.window, self.window.session
        if session is None:
            return False
        fmt = fmt or export.format_for(path)
        try:
            export.export_canonical(session, path, fmt)
        except LoadError as exc:
            show_warning(window, "Cannot export", str(exc), "Nothing was written.", name="export_error")
            return False
        complete = self.holds_hand_edits(fmt)
        if complete:
            session.mark_exported()
        # So that Merge All into this folder keeps it.
        WrittenStore(written_dir()).note(path, EXPORTED)
        comparison = session.comparison
        window.folders.exported(comparison.left.path or "", comparison.right.path or "", path)
        if not complete:
            # Not marked exported: closing still asks, and the autosave keeps the hand edits.
            window.banner.show_message(
                "Your hand edits are in the shown format only; this export has none, so they"
                " still count as not exported.",
                "warning",
            )
        window.statusBar().showMessage(f"Exported to {path}", 6000)
        return True

    def holds_hand_edits(self, fmt: str) -> bool:
        """Whether an export in `fmt` holds the session's hand edits (they belong to the shown
        format; JSON keeps them as they are)."""
        session = self.window.session
        return session is None or not session.has_hand_edits or fmt in ("json", session.text_format)

    def report_to(self, path: str) -> bool:
        """Write the HTML report of the shown differences; True when written."""
        window, session = self.window, self.window.session
        if session is None:
            return False
        try:
            export.export_report(session, path, window.view.hidden_kinds)
        except LoadError as exc:
            show_warning(
                window, "Cannot export the report", str(exc), "Nothing was written.", name="export_error"
            )
            return False
        window.statusBar().showMessage(f"Report written to {path}", 6000)
        return True

    def copy(self) -> None:
        session = self.window.session
        if session is not None:
            QGuiApplication.clipboard().setText(session.text)
            self.window.statusBar().showMessage("Canonical text copied to the clipboard", 4000)
