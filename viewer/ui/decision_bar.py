"""The bar above the canonical pane: the current difference, and buttons to decide it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from viewer.core import Difference
from viewer.core.describe import style_change
from viewer.ui.merge_session import CHOICE_LABELS, MergeSession
from viewer.ui.palette import KIND_STYLES, kind_icon


class DecisionBar(QFrame):
    """Names the current difference and its decision; the buttons are the window's actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        self._layout = layout
        self.buttons: list[QToolButton] = []
        self.show_difference(None, None, 0, 0)

    def set_actions(self, actions: list[QAction]) -> None:
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self._layout.addWidget(button)
            self.buttons.append(button)

    def show_difference(
        self, session: MergeSession | None, d: Difference | None, number: int, total: int
    ) -> None:
        if session is None or d is None:
            self.icon.clear()
            self.label.setText(
                "Select a difference (Alt+Down) to decide what the canonical text takes from it."
                if total
                else "No difference selected."
            )
            return
        style = KIND_STYLES[d.kind]
        decision = session.decision(d.id)
        whose = "your choice" if session.is_user_decided(d.id) else "default"
        self.icon.setPixmap(kind_icon(d.kind, 18).pixmap(18, 18))
        choice = CHOICE_LABELS[decision.choice].lower()
        styles = style_change(session.comparison, d.id)
        what = f"{style.label} ({styles})" if styles else style.label
        self.label.setText(f"{number} of {total} · {what} · {choice} ({whose})")
        tip = f"{style.label}: {d.kind.description}.\nThe canonical text now: {choice}."
        self.label.setToolTip(tip)
        self.icon.setToolTip(tip)
