"""Sources that change on disk while open: a banner to reload, keeping the decisions that still
apply; a warning when a source is deleted or becomes unreadable (the comparison stays)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from viewer.core import LoadError, MergePolicy, Variant, decisions_to_json, load_variant, match_decisions
from viewer.ui import canonical_edits as edits
from viewer.ui.action_banner import ActionBanner, add_banner
from viewer.ui.autosave import pair_paths
from viewer.ui.merge_session import MergeSession
from viewer.ui.restore_prompt import describe_dropped, plural

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

#: Editors save in bursts (write, rename, chmod): look once they are done.
SETTLE_MS = 150
#: (modification time, size, inode) of a readable file; None when it is gone or unreadable.
Stamp = tuple[int, int, int] | None


def stamp(path: str) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or not os.access(path, os.R_OK):
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


@dataclass(frozen=True, slots=True)
class CarryOver:
    """Work to carry across a reload: decisions by content, hand edits on the old merged text."""

    paths: tuple[str, str]
    decisions: dict[str, Any]
    patches: edits.Patches
    base_text: str
    text_format: str
    policy: MergePolicy


def carry_over_of(session: MergeSession) -> CarryOver | None:
    paths = pair_paths(session.comparison)
    if paths is None:
        return None
    state = session.state
    _shown = session.text  # the merged text the hand edits sit on must be the current one
    return CarryOver(
        paths,
        decisions_to_json(session.comparison, state.overrides),
        state.patches,
        session.canonical.text,
        state.text_format,
        state.policy,
    )


def apply_carry_over(session: MergeSession, carry: CarryOver) -> tuple[str, bool]:
    """Re-apply carried work to a fresh session: what happened in words, and whether any was lost."""
    matched = match_decisions(session.comparison, carry.decisions)
    lost_edits = session.replace_state(
        matched.decisions,
        carry.patches,
        carry.text_format,
        carry.policy,
        label="Keep the decisions from before the reload",
        patches_base=carry.base_text,
    )
    parts = [f"Reloaded: {plural(len(matched.decisions), 'decision')} kept."]
    if matched.dropped:
        n = len(matched.dropped)
        whose = "whose difference is" if n == 1 else "whose differences are"
        parts.append(f"Dropped {plural(n, 'decision')} {whose} gone: {describe_dropped(matched.dropped)}.")
    if lost_edits:
        parts.append(f"{plural(lost_edits, 'hand edit')} on changed text dropped.")
    return " ".join(parts), bool(matched.dropped or lost_edits)


def _reads_the_same(path: str, variant: Variant) -> bool:
    """Whether a touched text file still has the text on screen (extracted kinds: assume not)."""
    if variant.source_kind != "text":
        return False
    try:
        return load_variant(path).text == variant.text
    except LoadError:
        return False


def _names(paths: list[str]) -> str:
    return " and ".join(Path(p).name for p in paths)


class SourceWatch(QObject):
    """Watches both sources of the comparison on screen (and their folders, for rename-saves)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._schedule)
        self.watcher.directoryChanged.connect(self._schedule)
        self.banner = ActionBanner("source_banner", window)
        add_banner(window, self.banner)
        self.carry: CarryOver | None = None
        self.changed: list[str] = []
        self.missing: list[str] = []
        self._variants: dict[str, Variant] = {}
        self._stamps: dict[str, Stamp] = {}
        self._reported: dict[str, Stamp] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.check)
        window.comparison_ready.connect(self._on_ready)
        window.comparison_failed.connect(self._forget_carry)
        window.runner.cancelled.connect(self._forget_carry)
        window.stack.currentChanged.connect(self._on_page_changed)

    # -- reloading -------------------------------------------------------------------------

    def prepare_reload(self) -> None:
        """Before reading the sources again: keep the work, to re-apply what still fits."""
        session = self.window.session
        self.carry = carry_over_of(session) if session is not None else None
        self.window.autosave.flush()
        self.banner.dismiss()

    def _forget_carry(self, *_args: object) -> None:
        self.carry = None

    def _on_ready(self) -> None:
        carry, self.carry = self.carry, None
        session = self.window.session
        if session is None:
            return
        if carry is not None and pair_paths(session.comparison) == carry.paths:
            message, lost = apply_carry_over(session, carry)
            self.window.banner.show_message(message, "warning" if lost else "info", 0 if lost else None)
        self.watch([session.comparison.left, session.comparison.right])

    # -- watching --------------------------------------------------------------------------

    def watch(self, variants: list[Variant]) -> None:
        """Watch these sources from now on (forgetting the ones before)."""
        for paths in (self.watcher.files(), self.watcher.directories()):
            if paths:
                self.watcher.removePaths(paths)
        self._variants = {str(Path(v.path).absolute()): v for v in variants if v.path}
        self._stamps = {p: stamp(p) for p in self._variants}
        self._reported = dict(self._stamps)
        self.changed, self.missing = [], []
        self.banner.dismiss()
        folders = {str(Path(p).parent) for p in self._variants}
        for path in [*self._variants, *folders]:
            if os.path.exists(path):
                self.watcher.addPath(path)

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def check(self) -> None:
        """Compare the sources with what was read; show or update the banner."""
        self._timer.stop()
        watched = set(self.watcher.files())
        changed, missing = [], []
        for path, variant in self._variants.items():
            now = stamp(path)
            if now is not None and path not in watched:
                self.watcher.addPath(path)  # a save by rename replaced the watched file
            if now == self._stamps[path]:
                continue
            if now is None:
                missing.append(path)
            elif self._stamps[path] is not None and _reads_the_same(path, variant):
                self._stamps[path] = now  # touched, or saved without a change
            else:
                changed.append(path)
        current = {p: stamp(p) for p in self._variants}
        if current == self._reported and self.banner.isHidden():
            return  # the user dismissed exactly this state already
        self._reported = current
        self.changed, self.missing = changed, missing
        self._report()

    def _report(self) -> None:
        if self.missing:
            verb = "was" if len(self.missing) == 1 else "were"
            self.banner.offer(
                f"{_names(self.missing)} {verb} deleted or can no longer be read. The comparison stays "
                "on screen as it was read, and you can still export the merged text.",
                [],
                "warning",
            )
        elif self.changed:
            verb = "has" if len(self.changed) == 1 else "have"
            self.banner.offer(
                f"{_names(self.changed)} {verb} changed on disk. Reload to compare the new version; "
                "decisions on differences that still exist are kept.",
                [("reload", "&Reload", self.window.reload)],
                "warning",
            )
        else:
            self.banner.dismiss()

    def _on_page_changed(self) -> None:
        if self.window.session is None:
            self.watch([])
