"""Two folders in the window: their pairs listed and compared in the background, one pair
opened at a time, and every pair merged into a folder at once."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.batch import write_index
from viewer.core import CompareOptions, LoadError, MergePolicy
from viewer.core.folders import (
    FilePair,
    FolderPairing,
    PairOutcome,
    check_folder,
    check_output_folder,
    output_names,
    pair_folders,
)
from viewer.core.written import KEPT_CHANGED, KEPT_EXPORT
from viewer.desktop import written_dir
from viewer.ui.folder_scan import FolderScan
from viewer.ui.folder_view import FolderView
from viewer.ui.message_boxes import show_warning

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

FORMATS = (
    ("txt", "Plain text (.txt)"),
    ("md", "Markdown (.md)"),
    ("json", "JSON with every difference (.json)"),
)


class FolderComparison(QObject):
    """The folder list of a window, and the background work behind it."""

    #: A scan (comparing, or merging into a folder) ended: (outcomes, merged-into folder or "").
    scan_finished = Signal(object, str)
    # From the thread reading the folders: (reading number, FolderPairing or LoadError).
    _paired = Signal(int, object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = FolderView(window)
        self.scan = FolderScan(self)
        self.pairing: FolderPairing | None = None
        self.merging_into = ""
        self.reporting_into = ""
        #: The last index.html written for these folders.
        self.index = ""
        #: Where Merge All last wrote for these folders: a pair's own export is offered there too.
        self.merged_into = ""
        self.merged_format = ""
        #: Where each pair's canonical text is, as this session knows it: ("merged", "exported"
        #: or "changed" (since Merge All wrote it), path). Kept while the same two folders are
        #: listed.
        self.canonical: dict[FilePair, tuple[str, str]] = {}
        #: Which open() is reading its folders (an older one's result is dropped).
        self._reading = 0
        #: Folders read, their rows going into the list, not yet compared.
        self.listing = False
        self._paired.connect(self._on_paired)
        self.scan.outcome.connect(self._outcome)
        self.scan.progressed.connect(self._progressed)
        self.scan.finished.connect(self._finished)
        self.view.pair_activated.connect(window.open_pair)
        self.view.refresh_requested.connect(self.refresh)
        self.view.merge_requested.connect(self.merge_dialog)
        self.view.reports_requested.connect(self.reports_dialog)
        self.view.open_index_requested.connect(self.open_index)
        self.view.stop_requested.connect(self.stop)

    def open(self, left: str, right: str) -> bool:
        """List and compare two folders' pairs; False (with a message shown) if they are not
        folders that can be read.

        The folders are read in a thread (thousands of files take a few tenths of a second),
        their rows go into the list over several turns of the event loop, then the pairs are
        compared in the background: the window stays responsive throughout."""
        try:
            for root in (left, right):
                check_folder(root)
        except LoadError as exc:
            show_warning(self.window, "Cannot compare the folders", str(exc), name="error_dialog")
            return False
        if self.pairing is None or (self.pairing.left_root, self.pairing.right_root) != (left, right):
            # Other folders: nothing merged or exported for them yet.
            self.canonical, self.merged_into, self.merged_format, self.index = {}, "", "", ""
            self.view.set_index("")
        self.scan.cancel()
        # Listed at once, empty, until the folders are read: the window shows what it opens.
        self._show_unread(left, right)
        self.listing = True
        self.merging_into = self.reporting_into = ""
        self.view.set_busy(True)
        self.view.set_activity("reading the folders…")
        threading.Thread(
            target=self._read, args=(self._reading, left, right), name="folder-read", daemon=True
        ).start()
        return True

    def _show_unread(self, left: str, right: str) -> None:
        """List the two folders with no pair yet; a reading or listing under way is dropped
        (its result when it comes, its next turns of filling the list)."""
        self._reading += 1
        self.listing = False
        self.pairing = FolderPairing(left, right, (), (), ())
        self.view.show_pairing(self.pairing)

    @property
    def busy(self) -> bool:
        """The folders are being read, listed, compared, merged or reported on."""
        return self.listing or self.scan.busy

    def _read(self, reading: int, left: str, right: str) -> None:
        try:
            found: FolderPairing | LoadError = pair_folders(left, right)
        except LoadError as exc:
            found = exc
        with contextlib.suppress(RuntimeError):  # the window is gone
            self._paired.emit(reading, found)

    def _on_paired(self, reading: int, found: FolderPairing | LoadError) -> None:
        if reading != self._reading:
            return  # other folders since, or the list was closed
        if isinstance(found, LoadError):
            self.listing = False
            self.view.set_busy(False)
            self.view.set_note(f"Cannot read the folders: {found}")
            show_warning(self.window, "Cannot compare the folders", str(found), name="error_dialog")
            return
        self.pairing = found
        self.view.show_pairing(found, self._listed)

    def _listed(self) -> None:
        self.listing = False
        assert self.pairing is not None
        for row, pair in enumerate(self.pairing.pairs):
            if pair in self.canonical:
                self.view.set_canonical(row, *self.canonical[pair])
        self._start()

    def exported(self, left: str, right: str, path: str) -> None:
        """Note that a listed pair's canonical text was exported (from its comparison) to path."""
        pair = self.pair_of(left, right)
        if pair is not None and self.pairing is not None:
            self.canonical[pair] = ("exported", path)
            self.view.set_canonical(self.pairing.pairs.index(pair), "exported", path)

    def _outcome(self, row: int, outcome: PairOutcome) -> None:
        self.view.set_outcome(row, outcome)
        if outcome.output and self.merging_into:
            state = _KEPT_STATES.get(outcome.kept, "merged")
            self.canonical[outcome.pair] = (state, outcome.output)
            self.view.set_canonical(row, state, outcome.output)

    def pair_of(self, left: str, right: str) -> FilePair | None:
        """The pair of the list these two files are, if they are one."""
        if self.pairing is not None:
            for pair in self.pairing.pairs:
                if self.pairing.paths(pair) == (left, right):
                    return pair
        return None

    def export_target(self, left: str, right: str, fmt: str) -> tuple[str, str] | None:
        """Where to offer a listed pair's export, as (folder, file name): where Merge All writes
        it (into the last Merge All folder, or a "canonical" folder beside the left folder),
        under the same name, so that a reviewed pair replaces its merge by default. The folder
        offered is the nearest one that exists; never a compared folder. None for files that
        are not a pair of the list."""
        pair = self.pair_of(left, right)
        if pair is None or self.pairing is None:
            return None
        top = Path(self.merged_into or Path(self.pairing.left_root).resolve().parent / "canonical")
        # Named among all the pairs, as Merge All names them (two could want one name).
        relative = Path(output_names(self.pairing.pairs, fmt)[self.pairing.pairs.index(pair)])
        for folder in (top / relative.parent, top):
            if folder.is_dir():
                return str(folder), relative.name
        return str(top.parent), relative.name

    def refresh(self) -> None:
        """Read both folders again and compare every pair."""
        if self.pairing is not None:
            self.open(self.pairing.left_root, self.pairing.right_root)

    def close(self) -> None:
        self._show_unread("", "")
        self.scan.cancel()
        self.pairing = None
        self.view.set_busy(False)

    def stop(self) -> None:
        if self.listing:
            assert self.pairing is not None
            # The pairing as listed (none of its pairs), not as read: Merge All, Alt+PgDown and
            # the export names go by what the list shows.
            self._show_unread(self.pairing.left_root, self.pairing.right_root)
            self.view.set_busy(False)
            self.view.set_note("Stopped reading the folders: F5 reads them again.")
            return
        self.scan.cancel()
        self.view.set_busy(False)
        doing = (
            f"merging into {self.merging_into}"
            if self.merging_into
            else f"reporting into {self.reporting_into}"
            if self.reporting_into
            else "comparing"
        )
        self.view.set_note(f"Stopped {doing}: the pairs not listed with a result were not done.")

    def merge_dialog(self) -> QDialog | None:
        """Ask where (and in which format) to write every pair's canonical text, then write them."""
        if self.pairing is None or not self.pairing.pairs:
            return None
        dialog = MergeAllDialog(self.pairing, self.window)
        dialog.accepted.connect(lambda: self.merge_all(*dialog.choice()))
        dialog.open()
        return dialog

    def reports_dialog(self) -> QDialog | None:
        """Ask where to write every pair's HTML report and an index over them, then write them."""
        if self.pairing is None or not self.pairing.pairs:
            return None
        dialog = MergeAllDialog(self.pairing, self.window, reports=True)
        dialog.accepted.connect(lambda: self.write_reports(dialog.choice()[0]))
        dialog.open()
        return dialog

    def write_reports(self, folder: str) -> bool:
        """Write each pair's HTML report into `folder`, then index.html over them."""
        if self.pairing is None or not self._may_write(folder, "Cannot write the reports there"):
            return False
        self.reporting_into = folder
        self._start(report_into=folder)
        return True

    def open_index(self) -> None:
        if self.index:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.index))

    def _may_write(self, folder: str, title: str) -> bool:
        """Whether the folder can take what is written for the pairs (else a message says why)."""
        assert self.pairing is not None
        try:
            check_output_folder(folder, self.pairing)
        except LoadError as exc:
            show_warning(self.window, title, str(exc), "Nothing was written.", name="error_dialog")
            return False
        return True

    def merge_all(self, folder: str, fmt: str) -> bool:
        """Write each pair's canonical text into `folder`, decided as the preferences say; a file
        already there that holds the user's export, or changed since Merge All wrote it, is kept."""
        if self.pairing is None or not self._may_write(folder, "Cannot merge into that folder"):
            return False
        self.merging_into = folder
        self.merged_into = folder
        self.merged_format = fmt
        self._start((self.window.preferences.policy(), fmt, folder), written=str(written_dir()))
        return True

    def _start(
        self,
        merge_into: tuple[MergePolicy, str, str] | None = None,
        report_into: str = "",
        written: str | None = None,
    ) -> None:
        """Compare every pair, with the window's options (and merge or report on each)."""
        assert self.pairing is not None
        options = CompareOptions(ignore_case=self.window.preferences.ignore_case)
        self.view.set_busy(bool(self.pairing.pairs))
        self.scan.start(self.pairing, options, merge_into, report_into=report_into, written=written)

    def _progressed(self, done: int, total: int) -> None:
        doing = "merging" if self.merging_into else "reporting on" if self.reporting_into else "comparing"
        self.view.set_progress(done, total, doing)

    def _finished(self) -> None:
        self.view.set_busy(False)
        # In the pairing's order (they arrive as the workers finish).
        outcomes: list[PairOutcome] = [self.view.outcomes[row] for row in sorted(self.view.outcomes)]
        reports, self.reporting_into = self.reporting_into, ""
        if reports and self.pairing is not None:
            try:
                self.index = write_index(self.pairing, outcomes, reports)
            except LoadError as exc:
                show_warning(self.window, "Cannot write the index", str(exc), name="error_dialog")
            else:
                written = sum(1 for o in outcomes if o.output)
                self.view.set_note(f"Wrote {written:,} reports and {self.index}.")
                self.view.set_index(self.index)
        folder, self.merging_into = self.merging_into, ""
        if folder:
            self.view.set_note(merge_note(outcomes, folder))
            failed = [o.error for o in outcomes if o.error]
            if failed:
                show_warning(
                    self.window,
                    "Some pairs were not merged",
                    f"{len(failed):,} of {len(outcomes):,} pairs could not be merged.",
                    "\n".join(failed[:10]) + ("\n…" if len(failed) > 10 else ""),
                    name="merge_errors",
                )
        self.scan_finished.emit(outcomes, folder)


class MergeAllDialog(QDialog):
    """The folder to write every pair's canonical text into, and its format (or, with
    `reports`, the folder for every pair's HTML report)."""

    def __init__(
        self, pairing: FolderPairing, parent: QWidget | None = None, *, reports: bool = False
    ) -> None:
        super().__init__(parent)
        self.reports = reports
        self.setWindowTitle("Report on all pairs" if reports else "Merge all pairs")
        self.setObjectName("reports_dialog" if reports else "merge_all_dialog")
        default = "reports" if reports else "canonical"
        self.folder = QLineEdit(str(Path(pairing.left_root).resolve().parent / default))
        self.folder.setMinimumWidth(380)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.format = QComboBox()
        for code, text in FORMATS:
            self.format.addItem(text, code)
        form = QFormLayout()
        label = QLabel("&Into the folder:")
        label.setBuddy(self.folder)
        form.addRow(label, row)
        if reports:
            self.format.hide()
        else:
            form.addRow("&Format:", self.format)
        note = QLabel(
            f"Each of the {len(pairing.pairs):,} pairs gets an HTML page of its differences, under"
            " the left file's name, and index.html lists them all. Files already there with those"
            " names are replaced; the compared folders are never written."
            if reports
            else f"Each of the {len(pairing.pairs):,} pairs is merged with every difference decided as"
            " Preferences ▸ Merging says, and written under the left file's name. Files already"
            " there with those names are replaced, except your exports and files changed since"
            " Merge All wrote them; the compared folders are never written."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        ok = QDialogButtonBox.StandardButton.Ok
        buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(ok).setText("Write Reports" if reports else "Merge All")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.folder.textChanged.connect(lambda text: buttons.button(ok).setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, str]:
        return self.folder.text().strip(), "html" if self.reports else str(self.format.currentData())

    def _browse(self) -> None:
        what = "the reports" if self.reports else "the canonical texts"
        folder = QFileDialog.getExistingDirectory(self, f"Folder for {what}", self.folder.text())
        if folder:
            self.folder.setText(folder)


#: The Canonical column's state for a file Merge All kept, by why it kept it.
_KEPT_STATES = {KEPT_EXPORT: "exported", KEPT_CHANGED: "changed"}


def merge_note(outcomes: list[PairOutcome], folder: str) -> str:
    """What a Merge All did, in a line: how many files it wrote, and which it kept."""
    written = sum(1 for o in outcomes if o.output and not o.kept)
    exports = sum(1 for o in outcomes if o.kept == KEPT_EXPORT)
    changed = sum(1 for o in outcomes if o.kept == KEPT_CHANGED)
    note = f"Wrote {written:,} canonical texts into {folder}"
    kept = []
    if exports:
        kept.append(f"{exports:,} of your exports")
    if changed:
        files, it = ("files", "them") if changed > 1 else ("file", "it")
        kept.append(f"{changed:,} {files} changed since Merge All wrote {it}")
    if kept:
        note += f"; kept {' and '.join(kept)} (delete a file to have it written again)"
    return note + "."
