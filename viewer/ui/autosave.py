"""Unsaved merge work written to the user's data folder every few seconds, and offered back later."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from viewer.core import Comparison, LoadError, content_hash, decisions_to_json, match_decisions
from viewer.core.session_store import AutosaveRecord, AutosaveStore
from viewer.desktop import data_home
from viewer.ui.action_banner import ActionBanner, add_banner
from viewer.ui.background import BackgroundWork
from viewer.ui.canonical_edits import Patch, changed_region
from viewer.ui.merge_background import BACKGROUND_MERGE_CHARS
from viewer.ui.merge_session import MergeSession
from viewer.ui.restore_prompt import RestoreResult, describe_record, describe_restore

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

#: How long unsaved work may wait before it is written (a setting, so it can be shortened).
INTERVAL_KEY = "autosave/interval_ms"
DEFAULT_INTERVAL_MS = 3000
#: Work on comparisons at least this long is written in the worker thread.
BACKGROUND_WRITE_CHARS = BACKGROUND_MERGE_CHARS


def autosave_dir() -> Path:
    """Where autosaves live: the user's XDG data folder."""
    return data_home() / "variorum" / "autosave"


def pair_paths(comparison: Comparison) -> tuple[str, str] | None:
    """The two source paths, or None for variants that were never files (nothing to key on)."""
    left, right = comparison.left.path, comparison.right.path
    return (str(Path(left).absolute()), str(Path(right).absolute())) if left and right else None


def _recorder(
    session: MergeSession, hashes: tuple[str, str] | None = None
) -> Callable[[], AutosaveRecord | None]:
    """What the record of the session's work, as it is now, needs; it can be made in another thread."""
    c = session.comparison
    state = session.state
    text = session.text

    def record() -> AutosaveRecord | None:
        paths = pair_paths(c)
        if paths is None:
            return None
        left_hash, right_hash = hashes or (content_hash(c.left), content_hash(c.right))
        return AutosaveRecord(
            left_path=paths[0],
            right_path=paths[1],
            left_hash=left_hash,
            right_hash=right_hash,
            decisions=decisions_to_json(c, state.overrides, (left_hash, right_hash)),
            patches=tuple((p.start, p.end, p.text) for p in state.patches),
            text_format=state.text_format,
            policy=state.policy,
            text=text,
            saved_at=time.time(),
        )

    return record


def restore(session: MergeSession, record: AutosaveRecord) -> RestoreResult:
    """Put a record's decisions, hand edits, format and policy back, as one undo step."""
    matched = match_decisions(session.comparison, record.decisions)
    patches = tuple(Patch(start, end, text) for start, end, text in record.patches)

    def put_back(patches: tuple[Patch, ...]) -> None:
        session.replace_state(
            matched.decisions, patches, record.text_format, record.policy, label="Restore autosaved work"
        )

    before = session.undo_stack.index()
    put_back(patches)
    exact = session.text == record.text
    if not exact and record.text:
        # The decisions now merge differently (another version, say): the saved text wins,
        # kept as one hand edit over the stretch that differs.
        start, old_end, new_end = changed_region(session.canonical.text, record.text)
        if session.undo_stack.index() != before:
            session.undo_stack.undo()
        put_back((Patch(start, old_end, record.text[start:new_end]),))
    return RestoreResult(len(matched.decisions), matched.dropped, bool(record.patches), exact)


class Autosaver(QObject):
    """Writes the window's unsaved work when it changes (debounced), on close, and offers it back."""

    def __init__(self, window: MainWindow, store: AutosaveStore | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store or AutosaveStore(autosave_dir())
        self.store.prune()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(_interval(window.settings.value(INTERVAL_KEY)))
        self.timer.timeout.connect(self.flush)
        self.prompt = ActionBanner("restore_prompt", window)
        add_banner(window, self.prompt)
        self.offered: tuple[MergeSession, AutosaveRecord] | None = None
        self._written: MergeSession | None = None  # whose work the file on disk holds
        self._own: set[Path] = set()  # files this window wrote: its own work is never offered back
        self._discarded: MergeSession | None = None
        self._hashes: tuple[Comparison, tuple[str, str]] | None = None
        self._clean_point: tuple[MergeSession, int] | None = None
        self._failed = False
        self._writer = BackgroundWork(self)
        self._write_lock = threading.Lock()
        self._latest = 0  # the number of the newest write or removal
        window.undo_group.indexChanged.connect(self._on_change)
        window.undo_group.cleanChanged.connect(self._on_change)
        window.comparison_ready.connect(self.offer_restore)
        window.stack.currentChanged.connect(self._on_page_changed)
        window.installEventFilter(self)

    # -- writing ---------------------------------------------------------------------------

    def flush(self, *, wait: bool = False) -> None:
        """Write the current session's unsaved work (nothing when there is none).

        The work of a long comparison is written in the worker thread unless `wait` is set.
        """
        self.timer.stop()
        session = self.window.session
        if session is None or not session.is_modified or session is self._discarded:
            return
        paths = pair_paths(session.comparison)
        if paths is None:
            return
        # Marked at once: the comparison may be opened again before the write lands.
        self._own.add(self.store.path_for(*paths))
        record = _recorder(session, self._known_hashes(session.comparison))
        comparison = session.comparison
        with self._write_lock:
            self._latest += 1
            number = self._latest

        def write() -> tuple[AutosaveRecord | None, Path | LoadError | None]:
            made = record()
            if made is None:
                return None, None
            with self._write_lock:
                if number != self._latest:
                    return made, None  # newer work (or a discard) came since: this one must not land
                try:
                    return made, self.store.save(made)
                except LoadError as exc:
                    return made, exc

        def written(outcome: tuple[AutosaveRecord | None, Path | LoadError | None]) -> None:
            made, result = outcome
            if made is not None and self._known_hashes(comparison) is None:
                self._hashes = (comparison, (made.left_hash, made.right_hash))
            if isinstance(result, LoadError):
                if not self._failed:
                    self.window.banner.show_message(
                        f"Cannot autosave ({result}). Export your work to keep it.", "warning"
                    )
                self._failed = True
            elif result is not None:
                self._own.add(result)
                self._failed = False
                self._written = session

        long_text = len(comparison.left.text) + len(comparison.right.text) >= BACKGROUND_WRITE_CHARS
        if wait or not long_text:
            written(write())
        else:
            self._writer.request(write, written)

    def discard(self) -> None:
        """The user chose to drop the current work: forget its autosave too."""
        self.timer.stop()
        session = self.window.session
        if session is not None:
            self._remove(session)
            self._discarded = session

    def discarding(self, then: Callable[[], None]) -> Callable[[], None]:
        """`then`, preceded by discarding the autosave (for the Discard answer of a question)."""

        def run() -> None:
            self.discard()
            then()

        return run

    def _remove(self, session: MergeSession) -> None:
        paths = pair_paths(session.comparison)
        if paths is not None:
            self._remove_paths(*paths)
            self._own.discard(self.store.path_for(*paths))
        self._written = None

    def _remove_paths(self, left: str, right: str) -> None:
        """Remove an autosave; a write still under way in the worker will not bring it back."""
        with self._write_lock:
            self._latest += 1
            self.store.remove(left, right)

    def _on_change(self, *_args: object) -> None:
        session = self.window.session
        if session is None:
            return
        # An export moves the stack's clean point; undoing back to it does not.
        clean_index = session.undo_stack.cleanIndex()
        previous, self._clean_point = self._clean_point, (session, clean_index)
        exported = previous is not None and previous[0] is session and previous[1] != clean_index
        if session.is_modified:
            if session is self._discarded:
                self._discarded = None  # changed again after the discard: worth keeping
            if not self.timer.isActive():
                self.timer.start()
        elif exported and self._written is session:
            # Exported: the file on disk now holds the work. Undoing back to the start is no
            # reason to forget it: the autosave stays until an export or a discard.
            self.timer.stop()
            self._remove(session)

    def _hashes_of(self, comparison: Comparison) -> tuple[str, str]:
        known = self._known_hashes(comparison)
        if known is None:
            known = (content_hash(comparison.left), content_hash(comparison.right))
            self._hashes = (comparison, known)
        return known

    def _known_hashes(self, comparison: Comparison) -> tuple[str, str] | None:
        hashes = self._hashes
        return hashes[1] if hashes is not None and hashes[0] is comparison else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.flush(wait=True)
        return False

    # -- offering it back ------------------------------------------------------------------

    def saved_record(self) -> AutosaveRecord | None:
        """The autosave for the pair on screen, if it was made on these very contents."""
        session = self.window.session
        paths = pair_paths(session.comparison) if session else None
        if session is None or paths is None:
            return None
        record = self.store.load(*paths)
        if record is None or not record.matches(*self._hashes_of(session.comparison)):
            return None
        return record

    def offer_restore(self) -> None:
        """After a comparison opens: offer its unsaved work from before, if there is some."""
        record = self.saved_record()
        session = self.window.session
        paths = pair_paths(session.comparison) if session else None
        if record is None or session is None or paths is None or self.store.path_for(*paths) in self._own:
            self.offered = None
            self.prompt.dismiss()
            return
        self.offered = (session, record)
        self.prompt.offer(
            describe_record(record),
            [("restore", "&Restore", self.restore_offered), ("discard", "&Discard", self.discard_offered)],
        )

    def restore_offered(self) -> None:
        if self.offered is None or self.offered[0] is not self.window.session:
            return
        session, record = self.offered
        self.offered = None
        self.prompt.dismiss()
        result = restore(session, record)
        level = "info" if result.exact and not result.dropped else "warning"
        self.window.banner.show_message(describe_restore(result, record), level)

    def discard_offered(self) -> None:
        if self.offered is None:
            return
        session, record = self.offered
        self.offered = None
        self.prompt.dismiss()
        self._remove_paths(record.left_path, record.right_path)
        if session is self.window.session and session.is_modified:
            self.timer.start()  # the work done since opening is still worth saving

    def _on_page_changed(self) -> None:
        if self.window.session is None:
            self.offered = None
            self.prompt.dismiss()


def _interval(value: object) -> int:
    try:
        return max(50, int(str(value)))
    except ValueError:
        return DEFAULT_INTERVAL_MS
