"""Progress in the status bar while a comparison runs: what is being compared, how far it is, Cancel.

It lives in the status bar, whose height it never changes, so that starting or cancelling a
long comparison does not move the panes: a move would lay out and repaint the whole window
while the comparison keeps the interpreter busy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QToolButton, QWidget

#: The longest the "Comparing …" label gets, in pixels; longer file names are elided in the middle.
LABEL_WIDTH = 360


class ProgressPanel(QWidget):
    """Progress of the running comparison; Cancel stops it and keeps what was shown before."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress_panel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(8)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(160)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop this comparison (Esc); the window keeps what it showed before")
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, what: str) -> None:
        text = f"Comparing {what}…"
        self.label.setToolTip(text)
        self.label.setText(
            self.label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, LABEL_WIDTH)
        )
        self.bar.setValue(0)
        self.show()

    def set_fraction(self, fraction: float) -> None:
        self.bar.setValue(int(1000 * max(0.0, min(1.0, fraction))))

    def finish(self) -> None:
        self.hide()
