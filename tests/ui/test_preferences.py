"""Preferences: kept in QSettings, edited in a dialog, applied at once to an open comparison."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.helpers import TIMEOUT
from viewer.core import Choice, DifferenceKind, Side
from viewer.ui import preferences
from viewer.ui.app import open_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.preferences import Preferences
from viewer.ui.preferences_dialog import PreferencesDialog
from viewer.ui.theme import apply_theme


def open_dialog(window: MainWindow) -> PreferencesDialog:
    window.commands["preferences"].trigger()
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None
    assert dialog.isVisible()
    return dialog


def press(dialog: PreferencesDialog, button: QDialogButtonBox.StandardButton) -> None:
    dialog.buttons.button(button).click()


def test_edit_menu_opens_preferences_with_ctrl_comma(window: MainWindow) -> None:
    action = window.commands["preferences"]
    assert action.shortcut() == QKeySequence("Ctrl+,")
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert action in edit_menu.actions()
    dialog = open_dialog(window)
    assert dialog.windowTitle() == "Preferences"
    dialog.reject()


def test_preferences_round_trip_through_settings(settings: QSettings) -> None:
    prefs = Preferences(
        font_family="DejaVu Serif",
        font_size=15,
        word_wrap=False,
        theme="dark",
        prefer=Side.RIGHT,
        kind_rules={DifferenceKind.CAPTION: "left", DifferenceKind.BREAK: "both"},
        hidden_kinds=frozenset({DifferenceKind.BREAK, DifferenceKind.FOOTER}),
    )
    preferences.save(settings, prefs)
    assert preferences.load(settings) == prefs
    assert prefs.policy().rule(DifferenceKind.CAPTION) == "left"
    assert prefs.policy().preferred is Side.RIGHT


def test_defaults_hide_typography_and_ignore_damaged_values(settings: QSettings) -> None:
    assert preferences.load(settings) == Preferences()
    assert Preferences().hidden_kinds == {DifferenceKind.TYPOGRAPHY}
    settings.setValue("merge/kind_rules", '{"caption": "sideways", "link": "neither"')
    settings.setValue("view/hidden_kinds", '["nonsense", "break"]')
    settings.setValue("appearance/font_size", "big")
    loaded = preferences.load(settings)
    assert loaded.kind_rules == {}
    assert loaded.hidden_kinds == {DifferenceKind.BREAK}
    assert loaded.font_size == 0


def test_the_window_starts_with_typography_hidden(window: MainWindow) -> None:
    assert window.view.panel.filter_bar.hidden_kinds == {DifferenceKind.TYPOGRAPHY}


def test_apply_changes_font_wrapping_and_kinds_shown_in_the_open_comparison(
    opened: MainWindow, settings: QSettings
) -> None:
    dialog = open_dialog(opened)
    family = QFont("DejaVu Serif").family()
    dialog.font_box.setCurrentFont(QFont(family))
    dialog.size_box.setValue(17)
    dialog.wrap_box.setChecked(False)
    dialog.shown_boxes[DifferenceKind.CAPTION].setChecked(False)
    dialog.shown_boxes[DifferenceKind.TYPOGRAPHY].setChecked(True)
    press(dialog, QDialogButtonBox.StandardButton.Apply)
    for pane in (opened.view.left_view, opened.view.right_view, opened.view.canonical):
        assert pane.font().pointSize() == 17
        assert pane.font().family() == family
    assert not opened.commands["word_wrap"].isChecked()
    assert opened.view.left_view.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
    assert opened.view.panel.filter_bar.hidden_kinds == {DifferenceKind.CAPTION}
    assert "d4" not in opened.view.navigable_ids()
    saved = preferences.load(settings)
    assert (saved.font_size, saved.word_wrap, saved.hidden_kinds) == (17, False, {DifferenceKind.CAPTION})
    dialog.reject()


def test_a_default_decision_per_kind_redecides_only_what_the_user_left_alone(opened: MainWindow) -> None:
    session = opened.session
    assert session is not None
    assert session.decision("d4").choice is Choice.NEITHER  # the caption is left out by default
    opened.view.set_current("d2")
    opened.commands["take_left"].trigger()  # the user's own decision on the byline
    dialog = open_dialog(opened)
    for kind, rule in ((DifferenceKind.CAPTION, "left"), (DifferenceKind.BYLINE, "neither")):
        box = dialog.rule_boxes[kind]
        box.setCurrentIndex(box.findData(rule))
    assert dialog.rule_boxes[DifferenceKind.CAPTION].currentText() == "Left"
    dialog.accept()
    assert not dialog.isVisible()
    assert session.decision("d4").choice is Choice.LEFT
    assert "Russian Foreign Minister Sergei Lavrov" in opened.view.canonical.toPlainText()
    assert session.decision("d2").choice is Choice.LEFT
    opened.commands["undo"].trigger()
    assert session.decision("d4").choice is Choice.NEITHER
    assert session.decision("d2").choice is Choice.LEFT


def test_the_preferred_side_decides_wording(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    left, right = tmp_path / "a.txt", tmp_path / "b.txt"
    left.write_text("The mill stood by the river.\n", encoding="utf-8")
    right.write_text("The mill stood by the stream.\n", encoding="utf-8")
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(left), str(right))
    assert window.session is not None
    assert "river" in window.session.text
    dialog = open_dialog(window)
    dialog.prefer_box.setCurrentIndex(dialog.prefer_box.findData("right"))
    dialog.accept()
    assert "stream" in window.session.text
    assert window.session.is_modified  # the merged text changed: not what was exported
    window.session.mark_exported()
    # A new comparison starts with the preference too.
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.swap_sides()
    assert "river" in window.session.text


def test_the_theme_follows_the_dialog(opened: MainWindow, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        dialog = open_dialog(opened)
        dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
        dialog.accept()
        assert opened.commands.themes["dark"].isChecked()
        view = opened.view.left_view
        qtbot.waitUntil(lambda: view.palette().color(view.palette().ColorRole.Base).lightness() < 128)
        assert opened.settings.value("view/theme") == "dark"
    finally:
        apply_theme(app, "light")
        app.setPalette(before)


def test_restore_defaults_resets_the_controls(opened: MainWindow) -> None:
    dialog = open_dialog(opened)
    dialog.size_box.setValue(30)
    dialog.shown_boxes[DifferenceKind.TYPOGRAPHY].setChecked(True)
    dialog.prefer_box.setCurrentIndex(1)
    press(dialog, QDialogButtonBox.StandardButton.RestoreDefaults)
    assert dialog.values() == Preferences()
    dialog.reject()
    assert opened.view.left_view.font().pointSize() != 30  # nothing applied without OK or Apply


def test_zooming_sizes_every_pane_and_is_kept(opened: MainWindow, qtbot: QtBot, settings: QSettings) -> None:
    view = opened.view
    panes = (view.left_view, view.right_view, view.canonical)
    desktop = opened.font().pointSize()
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    qtbot.keyClick(view.left_view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert [p.font().pointSize() for p in panes] == [desktop + 1] * 3
    opened.commands["zoom_in"].trigger()
    assert preferences.load(settings).font_size == desktop + 2
    for _ in range(3):
        opened.commands["zoom_out"].trigger()
    assert [p.font().pointSize() for p in panes] == [desktop - 1] * 3
    for _ in range(60):
        opened.commands["zoom_out"].trigger()
    assert view.left_view.font().pointSize() == 6  # the smallest
    opened.commands["zoom_reset"].trigger()
    assert [p.font().pointSize() for p in panes] == [desktop] * 3
    assert preferences.load(settings).font_size == 0  # the desktop's size, followed from now on


def write_pair(folder: Path, left: str, right: str) -> list[str]:
    paths = [folder / "left.txt", folder / "right.txt"]
    for path, text in zip(paths, (left, right), strict=True):
        path.write_text(text, encoding="utf-8")
    return [str(p) for p in paths]


CASE_PAIR = ("THE mill stood by the river.\n\nIt was old.\n", "The mill stood by the river.\n\nIt was old.\n")


def test_ignoring_letter_case_compares_again_and_is_kept(
    window: MainWindow, qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    paths = write_pair(tmp_path, *CASE_PAIR)
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        open_paths(window, paths)
    assert window.comparison is not None
    assert [d.kind for d in window.comparison.differences] == [DifferenceKind.WORDING]
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.commands["ignore_case"].trigger()
    assert window.comparison.options.ignore_case
    # Case alone is cosmetic now, like curly quotes: typography, hidden by default.
    assert [d.kind for d in window.comparison.differences] == [DifferenceKind.TYPOGRAPHY]
    assert window.view.navigable_ids() == []
    assert window.status.counts.text().endswith("(letter case ignored)")
    assert preferences.load(settings).ignore_case
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.commands["ignore_case"].trigger()
    assert [d.kind for d in window.comparison.differences] == [DifferenceKind.WORDING]
    assert not preferences.load(settings).ignore_case


def test_a_window_starts_with_the_saved_case_setting(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    preferences.save(settings, Preferences(ignore_case=True))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.commands["ignore_case"].isChecked()
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        open_paths(window, write_pair(tmp_path, *CASE_PAIR))
    assert window.comparison is not None
    assert [d.kind for d in window.comparison.differences] == [DifferenceKind.TYPOGRAPHY]
    window.runner.shutdown()


def test_the_dialog_shows_and_keeps_the_case_setting(window: MainWindow, qtbot: QtBot) -> None:
    window.commands["ignore_case"].setChecked(True)
    dialog = open_dialog(window)
    assert dialog.case_box.isChecked()
    press(dialog, QDialogButtonBox.StandardButton.Ok)
    assert window.preferences.ignore_case
    qtbot.waitUntil(lambda: window.findChild(PreferencesDialog) is None)  # deleted once closed
    dialog = open_dialog(window)
    dialog.case_box.setChecked(False)
    press(dialog, QDialogButtonBox.StandardButton.Ok)
    assert not window.commands["ignore_case"].isChecked()


def test_each_automatic_rule_says_what_it_does(window: MainWindow) -> None:
    dialog = open_dialog(window)
    automatic = {}
    for kind, box in dialog.rule_boxes.items():
        index = box.findData("auto")
        if index >= 0:
            automatic[kind] = box.itemData(index, Qt.ItemDataRole.ToolTipRole)
    assert set(automatic) == {DifferenceKind.BREAK, DifferenceKind.WORDING, DifferenceKind.CITATION}
    assert "cuts a sentence" in automatic[DifferenceKind.BREAK]
    assert "printed reference" in automatic[DifferenceKind.CITATION]
    assert "hole" in automatic[DifferenceKind.WORDING]
    dialog.reject()
