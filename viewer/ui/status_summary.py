"""The status bar's permanent part: which difference is current, counts per kind, files' encodings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from viewer.core import Comparison, Side
from viewer.look import KIND_ORDER
from viewer.ui.palette import KIND_STYLES


def _label(parent: QWidget, tip: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setToolTip(tip)
    return label


class StatusSummary(QWidget):
    """“3 of 12”, “2 of 12 decided”, “title 1 · break 2 …”, and “left: UTF-8, LF · right: CP1252, CRLF”."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.position = _label(self, "The current difference among those shown (Alt+Up / Alt+Down to move)")
        self.reviewed = _label(
            self,
            "How many of the differences shown you have decided (Alt+Shift+Down goes to the next one"
            " you have not)",
        )
        self.counts = _label(self, "How many differences of each kind")
        self.files = _label(self, "Each file's encoding and line endings")
        self.position.setObjectName("status_position")
        self.reviewed.setObjectName("status_reviewed")
        self.counts.setObjectName("status_counts")
        self.files.setObjectName("status_files")
        layout.addWidget(self.position)
        layout.addWidget(self.reviewed)
        layout.addWidget(self.counts)
        layout.addWidget(self.files)

    def show_position(self, number: int, total: int) -> None:
        if total == 0:
            self.position.setText("no differences")
        elif number == 0:
            self.position.setText(f"{total} differences")
        else:
            self.position.setText(f"Difference {number} of {total}")

    def show_reviewed(self, decided: int, total: int) -> None:
        self.reviewed.setText(f"{decided} of {total} decided" if total else "")

    def show_comparison(self, comparison: Comparison | None) -> None:
        if comparison is None:
            self.counts.clear()
            self.files.clear()
            self.position.clear()
            return
        summary = comparison.summary
        parts = [
            f"{KIND_STYLES[k].label.lower()} {summary[k.value]}" for k in KIND_ORDER if summary.get(k.value)
        ]
        counts = " · ".join(parts) if parts else "identical words"
        self.counts.setText(counts + (" (letter case ignored)" if comparison.options.ignore_case else ""))
        files = []
        for side in Side:
            v = comparison.variant(side)
            files.append(f"{side.value}: {v.decoded.encoding_label}, {v.decoded.newline_label}")
        self.files.setText(" · ".join(files))
