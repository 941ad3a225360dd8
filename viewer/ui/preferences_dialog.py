"""Edit ▸ Preferences: text font, wrapping, theme, and per kind whether it shows and how it merges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.core import CANONICAL_DEFAULTS, DifferenceKind, Side
from viewer.look import KIND_ORDER
from viewer.ui import preferences
from viewer.ui.palette import KIND_STYLES, kind_icon
from viewer.ui.preferences import AUTOMATIC_RULES, RULE_LABELS, Preferences, rules_for

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

THEME_LABELS = {"system": "System colours", "light": "Light", "dark": "Dark"}
_Button = QDialogButtonBox.StandardButton


class PreferencesDialog(QDialog):
    """The preferences as controls; OK and Apply hand them to whoever listens to `applied`."""

    applied = Signal(object)  # Preferences

    def __init__(self, prefs: Preferences, desktop_font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.setWindowTitle("Preferences")
        self._desktop_font = QFont(desktop_font)

        self.font_box = QFontComboBox(self)
        self.font_box.setObjectName("font_family")
        self.font_box.setToolTip("The font of the two variants and of the canonical text")
        self.size_box = QSpinBox(self)
        self.size_box.setObjectName("font_size")
        self.size_box.setRange(6, 48)
        self.size_box.setSuffix(" pt")
        self.wrap_box = QCheckBox("Wrap &long lines at the pane's width", self)
        self.theme_box = QComboBox(self)
        for theme, label in THEME_LABELS.items():
            self.theme_box.addItem(label, theme)
        self.case_box = QCheckBox("&Ignore letter case (THE and the are one word)", self)
        self.case_box.setObjectName("ignore_case")
        self.case_box.setToolTip("Compare words regardless of upper and lower case")
        self.prefer_box = QComboBox(self)
        self.prefer_box.addItem("Left file", Side.LEFT.value)
        self.prefer_box.addItem("Right file", Side.RIGHT.value)
        self.prefer_box.setToolTip("Where wording, moved text and typography come from unless you decide")

        text = QGroupBox("Appearance", self)
        form = QFormLayout(text)
        form.addRow("Text &font:", self.font_box)
        form.addRow("&Size:", self.size_box)
        form.addRow("", self.wrap_box)
        form.addRow("&Theme:", self.theme_box)
        merging = QGroupBox("Merging", self)
        merge_form = QFormLayout(merging)
        merge_form.addRow("", self.case_box)
        merge_form.addRow("&Wording from:", self.prefer_box)
        note = QLabel(
            "Your own decisions always stay as you made them; these rules decide the rest, "
            "in open comparisons too (one undo step)."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        merge_form.addRow(note)
        left_column = QVBoxLayout()
        left_column.addWidget(text)
        left_column.addWidget(merging)
        left_column.addStretch(1)

        kinds = QGroupBox("Kinds of difference", self)
        grid = QGridLayout(kinds)
        grid.setVerticalSpacing(3)
        for column, title in enumerate(("Kind", "Shown", "When you have not decided")):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        self.shown_boxes: dict[DifferenceKind, QCheckBox] = {}
        self.rule_boxes: dict[DifferenceKind, QComboBox] = {}
        for row, kind in enumerate(KIND_ORDER, start=1):
            style = KIND_STYLES[kind]
            name = QLabel(style.label)
            name.setToolTip(f"{style.label}: {kind.description}")
            icon = QLabel()
            icon.setPixmap(kind_icon(kind).pixmap(16, 16))
            cell = QHBoxLayout()
            cell.addWidget(icon)
            cell.addWidget(name, 1)
            shown = QCheckBox(self)
            shown.setObjectName(f"shown_{kind.value}")
            shown.setToolTip(f"Show {style.label.lower()} differences in the panes and the list")
            rule = QComboBox(self)
            rule.setObjectName(f"rule_{kind.value}")
            for r in rules_for(kind):
                suffix = " (default)" if r == CANONICAL_DEFAULTS[kind] else ""
                rule.addItem(RULE_LABELS[r] + suffix, r)
                if r == "auto":
                    rule.setItemData(rule.count() - 1, AUTOMATIC_RULES[kind], Qt.ItemDataRole.ToolTipRole)
            grid.addLayout(cell, row, 0)
            grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(rule, row, 2)
            self.shown_boxes[kind] = shown
            self.rule_boxes[kind] = rule
        grid.setColumnStretch(2, 1)

        columns = QHBoxLayout()
        columns.addLayout(left_column, 1)
        columns.addWidget(kinds, 1)
        self.buttons = QDialogButtonBox(
            _Button.RestoreDefaults | _Button.Ok | _Button.Cancel | _Button.Apply, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.buttons)
        self.set_values(prefs)

    def set_values(self, prefs: Preferences) -> None:
        font = prefs.font(self._desktop_font)
        self.font_box.setCurrentFont(font)
        self.size_box.setValue(max(6, font.pointSize()))
        self.wrap_box.setChecked(prefs.word_wrap)
        self.theme_box.setCurrentIndex(self.theme_box.findData(prefs.theme))
        self.prefer_box.setCurrentIndex(self.prefer_box.findData(prefs.prefer.value))
        self.case_box.setChecked(prefs.ignore_case)
        for kind in KIND_ORDER:
            self.shown_boxes[kind].setChecked(kind not in prefs.hidden_kinds)
            box = self.rule_boxes[kind]
            box.setCurrentIndex(max(0, box.findData(prefs.rule(kind))))

    def values(self) -> Preferences:
        family = self.font_box.currentFont().family()
        size = self.size_box.value()
        return Preferences(
            # The desktop's own font is kept as "" so it follows the desktop if that changes.
            font_family="" if family == self._desktop_font.family() else family,
            font_size=0 if size == self._desktop_font.pointSize() else size,
            word_wrap=self.wrap_box.isChecked(),
            theme=str(self.theme_box.currentData()),
            prefer=Side(str(self.prefer_box.currentData())),
            kind_rules={
                kind: str(box.currentData())
                for kind, box in self.rule_boxes.items()
                if box.currentData() != CANONICAL_DEFAULTS[kind]
            },
            hidden_kinds=frozenset(k for k, box in self.shown_boxes.items() if not box.isChecked()),
            ignore_case=self.case_box.isChecked(),
        )

    def accept(self) -> None:
        self.applied.emit(self.values())
        super().accept()

    def _on_clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.standardButton(button)
        if role == _Button.Apply:
            self.applied.emit(self.values())
        elif role == _Button.RestoreDefaults:
            self.set_values(Preferences())


def open_preferences(window: MainWindow) -> PreferencesDialog:
    """Show the dialog for a window; OK and Apply save the preferences and apply them at once."""
    for shown in window.findChildren(PreferencesDialog):
        if shown.isVisible():
            shown.raise_()
            shown.activateWindow()
            return shown
    dialog = PreferencesDialog(window.preferences, window.font(), window)
    dialog.finished.connect(dialog.deleteLater)

    def applied(prefs: Preferences) -> None:
        preferences.save(window.settings, prefs)
        preferences.apply(window, prefs)

    dialog.applied.connect(applied)
    dialog.open()
    return dialog
