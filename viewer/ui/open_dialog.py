"""Choosing the two files of a comparison in one dialog (or both at once in the file chooser)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core import Side
from viewer.core.folders import DOCUMENT_SUFFIXES

FILE_FILTER = f"Documents ({' '.join('*' + suffix for suffix in DOCUMENT_SUFFIXES)});;All files (*)"


class OpenPairDialog(QDialog):
    """Two path fields with Browse buttons; picking two files in one chooser fills both."""

    def __init__(
        self, left: str = "", right: str = "", parent: QWidget | None = None, *, folders: bool = False
    ) -> None:
        super().__init__(parent)
        self.folders = folders
        self.setWindowTitle("Open two folders to compare" if folders else "Open two files to compare")
        self.setObjectName("open_pair_dialog")
        self.edits: dict[Side, QLineEdit] = {}
        grid = QGridLayout()
        for row, side in enumerate(Side):
            label = QLabel(f"&{side.value.capitalize()}:")
            edit = QLineEdit(left if side is Side.LEFT else right)
            edit.setPlaceholderText(
                ("e.g. the folder of web versions" if folders else "e.g. the web version (.md, .html)")
                if side is Side.LEFT
                else ("e.g. the folder of PDF versions" if folders else "e.g. the PDF version (.pdf, .txt)")
            )
            edit.setMinimumWidth(420)
            edit.textChanged.connect(self._update_ok)
            label.setBuddy(edit)
            browse = QPushButton("Browse…")
            browse.setToolTip(
                "Choose a folder" if folders else "Choose a file; choose two at once to fill both fields"
            )
            browse.clicked.connect(lambda _checked=False, s=side: self.browse(s))
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(browse, row, 2)
            self.edits[side] = edit
        swap = QPushButton("⇅ Swap")
        swap.setToolTip(f"Exchange the left and right {'folders' if folders else 'files'}")
        swap.clicked.connect(self.swap)
        grid.addWidget(swap, 2, 2)
        hint = QLabel(
            "Files pair by name (ch1.md with ch1.pdf); you can also drop two folders on the window."
            if folders
            else "Tip: you can also drop two files on the window."
        )
        hint.setEnabled(False)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Compare")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self._update_ok()
        if left and not right:
            self.edits[Side.RIGHT].setFocus()

    def paths(self) -> tuple[str, str]:
        return self.edits[Side.LEFT].text().strip(), self.edits[Side.RIGHT].text().strip()

    def browse(self, side: Side) -> None:
        start = self.edits[side].text() or self.edits[side.other].text()
        if self.folders:
            folder = QFileDialog.getExistingDirectory(
                self, f"Choose the {side.value} folder", str(Path(start).parent) if start else ""
            )
            if folder:
                self.edits[side].setText(folder)
            return
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            f"Choose the {side.value} file (or both files)",
            str(Path(start).parent) if start else "",
            FILE_FILTER,
        )
        if len(files) >= 2:
            self.edits[Side.LEFT].setText(files[0])
            self.edits[Side.RIGHT].setText(files[1])
        elif files:
            self.edits[side].setText(files[0])

    def swap(self) -> None:
        left, right = self.paths()
        self.edits[Side.LEFT].setText(right)
        self.edits[Side.RIGHT].setText(left)

    def _update_ok(self) -> None:
        left, right = self.paths()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(left and right))
