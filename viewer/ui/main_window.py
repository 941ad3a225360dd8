"""The main window: wires actions, drops and the comparison worker to the widgets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QSettings, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.core import Choice, CompareOptions, Comparison, Side
from viewer.ui import preferences, recent, window_settings
from viewer.ui.actions import WindowActions
from viewer.ui.autosave import Autosaver
from viewer.ui.comparison_view import ComparisonView
from viewer.ui.drop import can_accept, classify_drop
from viewer.ui.exports import WindowExports
from viewer.ui.file_watch import SourceWatch
from viewer.ui.folder_compare import FolderComparison
from viewer.ui.merge_session import MergeSession
from viewer.ui.message_banner import MessageBanner
from viewer.ui.message_boxes import ask_discard, show_about, show_warning
from viewer.ui.open_dialog import FILE_FILTER, OpenPairDialog
from viewer.ui.preferences_dialog import open_preferences
from viewer.ui.prepared import PreparedComparison
from viewer.ui.progress_panel import ProgressPanel
from viewer.ui.shortcuts_dialog import ShortcutsDialog
from viewer.ui.status_summary import StatusSummary
from viewer.ui.theme import apply_theme
from viewer.ui.welcome import WelcomeView
from viewer.ui.worker import ComparisonRequest, ComparisonRunner

#: The smallest and largest text size zooming goes to, in points.
ZOOM_LIMITS = (6, 48)
_NEED_COMPARISON = (
    "export", "export_report", "copy_canonical", "close", "swap", "reload", "previous", "next", "first",
    "last", "next_unreviewed", "previous_unreviewed", "reset", "take_all_left", "take_all_right",
    "canonical_md", "open_left", "open_right", "find", "find_next", "find_previous",
)  # fmt: skip
#: The bundled example (present in a source checkout): a web article and its PDF text.
SAMPLE_PAIR = tuple(
    Path(__file__).resolve().parents[2] / "samples" / n for n in ("lavrov-web.md", "lavrov-pdf.txt")
)


class MainWindow(QMainWindow):
    """Welcome page or comparison, with menus, toolbar, status bar and in-window messages."""

    comparison_ready = Signal()
    comparison_failed = Signal(str)

    def __init__(self, settings: QSettings | None = None, *, synchronous: bool = False) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("Variorum")
        self.setAcceptDrops(True)
        self.settings = settings if settings is not None else QSettings()
        self.recent = recent.RecentComparisons(self.settings)
        self.undo_group = QUndoGroup(self)
        self.runner = ComparisonRunner(self, synchronous=synchronous)
        self.session: MergeSession | None = None
        self.prepared: PreparedComparison | None = None
        self.pending: dict[Side, str] = {}
        self.last_error = ""
        self._close_confirmed = False

        self.welcome = WelcomeView(self)
        self.view = ComparisonView(self)
        self.folders = FolderComparison(self)
        # The folder list counts what the comparison shows: not the kinds its legend hides
        # (the preferences' hidden kinds come through this too).
        self.view.panel.hidden_kinds_changed.connect(self.folders.view.set_hidden_kinds)
        self.exports = WindowExports(self)
        self.runner.document_styles = self.view.document_styles
        self.banner = MessageBanner(self)
        self.progress = ProgressPanel(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.folders.view)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        for widget in (self.banner, self.stack):
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        self.setCentralWidget(central)
        self.status = StatusSummary(self)
        bar = self.statusBar()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.status)
        # As tall as it is with the progress shown: showing it then moves nothing.
        self.progress.show()
        bar.setMinimumHeight(bar.sizeHint().height())
        self.progress.hide()

        self.commands = WindowActions(self, self.undo_group)
        self.commands.build_menus()
        self.toolbar = self.commands.build_toolbar()
        self._wire()
        window_settings.restore(self.settings, self, self.commands, self._splitters())
        self.preferences = preferences.load(self.settings)
        self.autosave = Autosaver(self)
        self.watch = SourceWatch(self)
        preferences.apply(self, self.preferences)
        self._refresh_recent()
        self._update_actions()

    # -- what tests and scripts read -------------------------------------------------------

    @property
    def comparison(self) -> Comparison | None:
        return self.prepared.comparison if self.prepared else None

    def path(self, side: Side) -> str | None:
        return self.comparison.variant(side).path if self.comparison else self.pending.get(side)

    # -- wiring ----------------------------------------------------------------------------

    def _wire(self) -> None:
        a = self.commands
        slots: dict[str, Callable[[], object]] = {
            "open": lambda: self.open_dialog(),
            "open_folders": lambda: self.open_dialog(folders=True),
            "open_left": lambda: self.open_side_dialog(Side.LEFT),
            "open_right": lambda: self.open_side_dialog(Side.RIGHT),
            "swap": self.swap_sides,
            "reload": self.reload,
            "cancel": self.runner.cancel,
            "export": self.exports.canonical_dialog,
            "export_report": self.exports.report_dialog,
            "copy_canonical": self.exports.copy,
            "close": lambda: self._confirm_discard(self.close_comparison),
            "folder_list": lambda: self._confirm_discard(self.close_comparison),
            "next_pair": lambda: self.open_adjacent_pair(+1),
            "previous_pair": lambda: self.open_adjacent_pair(-1),
            "quit": self.close,
            "previous": lambda: self.view.step(-1),
            "next": lambda: self.view.step(+1),
            "next_unreviewed": lambda: self._step_unreviewed(+1),
            "previous_unreviewed": lambda: self._step_unreviewed(-1),
            "first": lambda: self._go_end(first=True),
            "last": lambda: self._go_end(first=False),
            "take_left": lambda: self.decide(Choice.LEFT),
            "take_right": lambda: self.decide(Choice.RIGHT),
            "keep_both": lambda: self.decide(Choice.BOTH),
            "keep_neither": lambda: self.decide(Choice.NEITHER),
            "apply_to_kind": self.apply_to_kind,
            "take_all_left": lambda: self.session.decide_all(Choice.LEFT) if self.session else None,
            "take_all_right": lambda: self.session.decide_all(Choice.RIGHT) if self.session else None,
            "reset": lambda: self.session.reset_decisions() if self.session else None,
            "open_samples": lambda: self.open_pair(*(str(p) for p in SAMPLE_PAIR)),
            "preferences": lambda: open_preferences(self),
            "shortcuts": lambda: ShortcutsDialog(a.shortcut_rows(), self).open(),
            "about": lambda: show_about(self),
            "zoom_in": lambda: self.zoom(+1),
            "zoom_out": lambda: self.zoom(-1),
            "zoom_reset": lambda: self.zoom(0),
            "find": self.view.find_bar.open_bar,
            "find_next": lambda: self.view.find_bar.search(),
            "find_previous": lambda: self.view.find_bar.search(backward=True),
        }
        for name, slot in slots.items():
            a[name].triggered.connect(slot)
        a["canonical_md"].toggled.connect(
            lambda on: self.session.set_text_format("md" if on else "txt") if self.session else None
        )
        a["word_wrap"].toggled.connect(self.view.set_word_wrap)
        a["ignore_case"].toggled.connect(self.set_ignore_case)
        a["sync_scroll"].toggled.connect(lambda on: setattr(self.view.scroll_sync, "enabled", on))
        a["show_canonical"].toggled.connect(self.view.set_canonical_visible)
        a["show_panel"].toggled.connect(self.view.set_panel_visible)
        a.theme_group.triggered.connect(lambda action: self.set_theme(str(action.data())))
        a.recent_menu.aboutToShow.connect(
            lambda: recent.fill_menu(a.recent_menu, self.recent.existing_pairs(), self.open_pair)
        )
        self.view.add_side_action(Side.LEFT, a["open_left"])
        self.view.add_side_action(Side.RIGHT, a["open_right"])
        deciding = [a[n] for n in ("take_left", "take_right", "keep_both", "keep_neither", "apply_to_kind")]
        self.view.set_decision_actions(deciding)
        self.view.panel.set_row_actions(deciding)
        self.view.gutter.decision_requested.connect(self._decide_from_gutter)
        self.view.current_changed.connect(lambda _id: self._update_actions())
        self.view.shown_changed.connect(self._update_actions)
        self.view.shown_changed.connect(self._update_decided)
        self.view.files_dropped.connect(lambda side, mime: self.handle_drop(mime, Side(side)))
        self.welcome.add_action_button(a["open"], primary=True)
        self.welcome.add_action_button(a["open_folders"])
        a["open_samples"].setVisible(all(p.is_file() for p in SAMPLE_PAIR))
        if a["open_samples"].isVisible():
            self.welcome.add_action_button(a["open_samples"])
        self.welcome.finish_buttons()
        self.welcome.recent_chosen.connect(self.open_pair)
        self.progress.cancel_requested.connect(self.runner.cancel)
        self.runner.progressed.connect(self.progress.set_fraction)
        self.runner.finished.connect(self._on_compared)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.undo_group.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))

    # -- opening ---------------------------------------------------------------------------

    def open_pair(self, left: str, right: str) -> None:
        """Compare two files, or two folders' files (the path the command line, dialogs, drops
        and recent list share)."""
        folders = Path(left).is_dir(), Path(right).is_dir()
        if all(folders):
            self._confirm_discard(lambda: self._open_folders(str(left), str(right)))
        elif any(folders):
            folder, other = (left, right) if folders[0] else (right, left)
            show_warning(
                self,
                "Cannot compare",
                f"{folder} is a folder but {other} is not.",
                "Choose two files, or two folders to compare their files pair by pair.",
                name="error_dialog",
            )
        else:
            self._confirm_discard(lambda: self._start(ComparisonRequest(str(left), str(right))))

    def open_adjacent_pair(self, step: int) -> None:
        """Compare the next (or previous) pair of the folder list, after the one shown."""
        if self.folders.pairing is not None:
            self._confirm_discard(lambda: self._step_pair(step))

    def _step_unreviewed(self, delta: int) -> None:
        went = self.view.step_unreviewed(delta)
        if went is None:
            self.statusBar().showMessage("You have decided every difference shown.", 8000)
        elif went:
            end = "last" if delta > 0 else "first"
            self.statusBar().showMessage(f"Went round past the {end} difference.", 5000)

    def _step_pair(self, step: int) -> None:
        if not self.folders.view.step(step):
            self.statusBar().showMessage(
                f"That was the {'last' if step > 0 else 'first'} pair of the folder list.", 6000
            )

    def _open_folders(self, left: str, right: str) -> None:
        self.runner.cancel()
        self.pending.clear()
        self.welcome.set_pending(None)
        if self.folders.open(left, right):
            self.recent.add(left, right)
            self._refresh_recent()
            self._show(None)
            self.folders.view.tree.setFocus()

    def open_side(self, side: Side, path: str) -> None:
        """Replace one side; without a comparison yet, keep it until the other file comes."""
        if Path(path).is_dir():
            self.banner.show_message(
                f"{Path(path).name or path} is a folder: to compare two folders' files pair by pair,"
                " open both with File ▸ Open Two Folders or drop both on the window.",
                "error",
            )
            return
        if self.comparison is None:
            self.pending[side] = str(path)
            if len(self.pending) == 2:
                self.open_pair(self.pending[Side.LEFT], self.pending[Side.RIGHT])
                return
            self.welcome.set_pending(self.pending.get(Side.LEFT) or self.pending.get(Side.RIGHT))
            self.banner.show_message(
                f"{Path(path).name} will be the {side.value} file: now open or drop the other."
            )
            return
        other = self.comparison.variant(side.other)
        request = (
            ComparisonRequest(str(path), other) if side is Side.LEFT else ComparisonRequest(other, str(path))
        )
        self._confirm_discard(lambda: self._start(request))

    def _start(self, request: ComparisonRequest) -> None:
        options = CompareOptions(ignore_case=self.preferences.ignore_case)
        request = dataclasses.replace(request, options=options)
        self.banner.dismiss()
        self.runner.start(request)
        if self.runner.busy:
            self.progress.start(request.label())
        self._update_actions()

    def open_dialog(self, left: str = "", right: str = "", *, folders: bool = False) -> OpenPairDialog:
        if folders and self.folders.pairing is not None:
            left, right = left or self.folders.pairing.left_root, right or self.folders.pairing.right_root
        elif not folders:
            left, right = left or self.path(Side.LEFT) or "", right or self.path(Side.RIGHT) or ""
        dialog = OpenPairDialog(left, right, self, folders=folders)
        dialog.accepted.connect(lambda: self.open_pair(*dialog.paths()))
        dialog.open()
        return dialog

    def open_side_dialog(self, side: Side) -> None:
        start = self.path(side) or ""
        path, _ = QFileDialog.getOpenFileName(self, f"Choose the {side.value} file", start, FILE_FILTER)
        if path:
            self.open_side(side, path)

    def swap_sides(self) -> None:
        listed = self.folders.pairing
        if self.comparison is None and listed is not None:
            self._open_folders(listed.right_root, listed.left_root)
        if self.comparison is not None:
            c = self.comparison
            self._confirm_discard(lambda: self._start(ComparisonRequest(c.right, c.left)))

    def reload(self) -> None:
        """Read both files again; decisions on differences that still exist are kept. (On the
        folder list: read both folders again.)"""
        if self.stack.currentWidget() is self.folders.view:
            self.folders.refresh()
            return
        left, right = self.path(Side.LEFT), self.path(Side.RIGHT)
        if self.comparison is not None and left and right:
            self.watch.prepare_reload()
            self._start(ComparisonRequest(left, right))

    def compare_again(self) -> None:
        """Compare the variants shown once more (the options changed), without reading the
        files again; decisions on differences that still exist are kept."""
        if self.comparison is not None:
            self.watch.prepare_reload()
            self._start(ComparisonRequest(self.comparison.left, self.comparison.right))

    def set_ignore_case(self, on: bool) -> None:
        if on != self.preferences.ignore_case:
            prefs = dataclasses.replace(self.preferences, ignore_case=on)
            preferences.save(self.settings, prefs)
            preferences.apply(self, prefs)

    def close_comparison(self) -> None:
        """Close the comparison: back to the folder list if it came from one, else (or on the
        folder list) to the start page."""
        self.runner.cancel()
        if self.comparison is None:
            self.folders.close()
        self._show(None)

    def handle_drop(self, mime: QMimeData, side: Side | None = None) -> bool:
        """Open what was dropped (two files: compare; one on a pane: replace it); else say why not."""
        outcome = classify_drop(mime)
        if outcome.problem:
            self.banner.show_message(outcome.problem, "error")
            return False
        if len(outcome.paths) == 2:
            self.open_pair(*outcome.paths)
        elif side is not None or self.comparison is None:
            target = side or (Side.RIGHT if Side.LEFT in self.pending else Side.LEFT)
            self.open_side(target, outcome.paths[0])
        else:
            self.banner.show_message(
                "To replace one side, drop the file on the left or the right pane;"
                " to compare, drop two files."
            )
            return False
        return True

    # -- results of the worker -------------------------------------------------------------

    def _on_compared(self, prepared: PreparedComparison) -> None:
        self.progress.finish()
        if self.folders.pairing is not None:
            self.statusBar().showMessage("Ctrl+W goes back to the folder list.", 8000)
        self.pending.clear()
        self.welcome.set_pending(None)
        self._show(prepared)
        paths = (self.path(Side.LEFT) or "", self.path(Side.RIGHT) or "")
        # A pair opened from the folder list is reached through the folders' own recent entry.
        if all(Path(p).is_file() for p in paths) and self.folders.pair_of(*paths) is None:
            self.recent.add(*paths)
            self._refresh_recent()
        ids = self.view.navigable_ids()
        if ids:
            self.view.set_current(ids[0])
        self.comparison_ready.emit()

    def _on_failed(self, message: str) -> None:
        self.progress.finish()
        self.last_error = message
        self._update_actions()
        informative = "The comparison shown before is unchanged." if self.comparison else ""
        show_warning(self, "Cannot compare", message, informative, name="error_dialog")
        self.comparison_failed.emit(message)

    def _on_cancelled(self) -> None:
        self.progress.finish()
        self._update_actions()
        # In the status bar, not the banner: a banner would move the panes (see ProgressPanel).
        self.statusBar().showMessage("Comparison cancelled: the window shows what it showed before.", 8000)

    def _show(self, prepared: PreparedComparison | None) -> None:
        old = self.session
        self.prepared = prepared
        self.session = None
        if prepared is not None:
            self.session = MergeSession.for_prepared(prepared, self, self.preferences.policy())
            self.undo_group.addStack(self.session.undo_stack)
            self.undo_group.setActiveStack(self.session.undo_stack)
            self.session.changed.connect(self._update_actions)
            self.session.decisions_changed.connect(self._update_decided)
            self.commands["canonical_md"].setChecked(prepared.text_format == "md")
        self.view.show_comparison(prepared, self.session)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        listed = self.folders.pairing
        self.stack.setCurrentWidget(self.view if prepared else self.folders.view if listed else self.welcome)
        self.status.show_comparison(prepared.comparison if prepared else None)
        names = f"{prepared.comparison.left.name} ↔ {prepared.comparison.right.name} — " if prepared else ""
        if listed and not prepared:
            names = f"{self.folders.view.title.text()} — "
            self.statusBar().clearMessage()
            self.folders.view.tree.setFocus()
        self.setWindowTitle(f"{names}Variorum[*]")
        self.setWindowModified(False)
        self._update_actions()
        self._update_decided()

    # -- merging ---------------------------------------------------------------------------

    def decide(self, choice: Choice) -> None:
        if self.session is None:
            return
        if self.view.current_id is None:
            self.banner.show_message("Select a difference first: Alt+Down goes to the next one.")
            return
        self.session.decide([self.view.current_id], choice)

    def _decide_from_gutter(self, difference_id: str, choice: str) -> None:
        self.view.set_current(difference_id, scroll=False)
        self.decide(Choice(choice))

    def apply_to_kind(self) -> None:
        if self.session is not None and self.view.current_id is not None and self.comparison is not None:
            d = self.comparison.by_id(self.view.current_id)
            self.session.decide_kind(d.kind, self.session.decision(d.id).choice)

    def _go_end(self, first: bool) -> None:
        ids = self.view.navigable_ids()
        if ids:
            self.view.set_current(ids[0] if first else ids[-1])

    # -- view ------------------------------------------------------------------------------

    def zoom(self, step: int) -> None:
        """The panes' text a point larger or smaller (kept as the font size preference); 0: the
        desktop's size again."""
        size = 0
        if step:
            size = max(ZOOM_LIMITS[0], min(ZOOM_LIMITS[1], self.view.left_view.font().pointSize() + step))
            if size == self.font().pointSize():
                size = 0  # the desktop's own size: it follows the desktop again
        prefs = dataclasses.replace(self.preferences, font_size=size)
        preferences.save(self.settings, prefs)
        preferences.apply(self, prefs)

    # -- state of actions, settings, closing -------------------------------------------------

    def _update_actions(self) -> None:
        has = self.session is not None
        current = has and self.view.current_id is not None
        for name in ("take_left", "take_right", "keep_both", "keep_neither", "apply_to_kind"):
            self.commands[name].setEnabled(current)
        for name in _NEED_COMPARISON:
            self.commands[name].setEnabled(has)
        listed = self.folders.pairing is not None
        self.commands["close"].setEnabled(has or listed)
        self.commands["reload"].setEnabled(has or listed)
        self.commands["swap"].setEnabled(has or listed)
        self.commands["folder_list"].setVisible(listed)
        self.commands["folder_list"].setEnabled(listed and has)
        for name in ("next_pair", "previous_pair"):
            self.commands[name].setEnabled(listed)
        self.commands["cancel"].setEnabled(self.runner.busy)
        if has:
            self.status.show_position(*self.view.position())

    def _update_decided(self) -> None:
        """The decided count: on a new comparison, and when the decisions or the kinds shown change."""
        self.status.show_reviewed(*(self.view.decided() if self.session is not None else (0, 0)))

    def set_theme(self, theme: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.settings.setValue("view/theme", theme)
        self.commands.themes[theme].setChecked(True)
        self.commands.refresh_icons()
        self.view.refresh_theme()

    def _splitters(self) -> dict[str, QSplitter]:
        return {"variants_splitter": self.view.vertical, "panel_splitter": self.view.horizontal}

    def _refresh_recent(self) -> None:
        self.welcome.set_recent(self.recent.existing_pairs())

    def _confirm_discard(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after the user agrees to drop decisions that were not exported."""
        if self.session is None or not self.session.is_modified:
            then()
        else:

            def export_then() -> None:
                # Not on when the export left the hand edits out: its warning is to be read here.
                if self.exports.canonical_dialog():
                    then()

            ask_discard(self, self.autosave.discarding(then), export_then)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._close_confirmed and self.session is not None and self.session.is_modified:
            event.ignore()
            self._confirm_discard(self._close_now)
            return
        self.runner.shutdown()
        self.folders.close()
        window_settings.save(self.settings, self, self.commands, self._splitters())
        super().closeEvent(event)

    def _close_now(self) -> None:
        self._close_confirmed = True
        self.close()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if can_accept(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if can_accept(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        event.acceptProposedAction()
        self.handle_drop(event.mimeData())
