"""No lost work: merges are autosaved, offered back on reopening, and survive a killed process."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.helpers import PDF, ROOT, TIMEOUT, WEB, type_at_end
from viewer.core import (
    Choice,
    Decision,
    compare,
    content_hash,
    decisions_to_json,
    load_variant,
)
from viewer.core.session_store import AutosaveRecord
from viewer.ui.autosave import INTERVAL_KEY, autosave_dir
from viewer.ui.decisions_file import apply_on_open
from viewer.ui.main_window import MainWindow


def saved(window: MainWindow) -> AutosaveRecord | None:
    return window.autosave.store.load(str(WEB.absolute()), str(PDF.absolute()))


def take_left_on_d3(window: MainWindow) -> None:
    """The one decision these tests make: the left side for difference d3."""
    window.view.set_current("d3")
    window.commands["take_left"].trigger()


def new_window(qtbot: QtBot, settings: QSettings) -> MainWindow:
    other = MainWindow(settings)
    qtbot.addWidget(other)
    other.show()
    return other


def open_samples(window: MainWindow, qtbot: QtBot, left: Path = WEB, right: Path = PDF) -> None:
    with qtbot.waitSignal(window.comparison_ready, timeout=TIMEOUT):
        window.open_pair(str(left), str(right))


def test_decisions_are_autosaved_after_the_interval(opened: MainWindow, qtbot: QtBot) -> None:
    assert opened.autosave.timer.interval() == 3000
    opened.autosave.timer.setInterval(50)
    take_left_on_d3(opened)
    assert saved(opened) is None  # not at once: typing would write on every key
    qtbot.waitUntil(lambda: saved(opened) is not None, timeout=TIMEOUT)
    record = saved(opened)
    assert record is not None
    assert opened.session is not None
    assert [e["id"] for e in record.decisions["decisions"]] == ["d3"]
    assert record.left_hash == content_hash(load_variant(WEB))
    assert record.text == opened.session.text
    assert autosave_dir() == Path(os.environ["XDG_DATA_HOME"]) / "variorum" / "autosave"


def test_a_clean_export_removes_the_autosave(opened: MainWindow, tmp_path: Path) -> None:
    take_left_on_d3(opened)
    opened.autosave.flush()
    assert saved(opened) is not None
    assert opened.exports.canonical_to(str(tmp_path / "out.md"))
    assert saved(opened) is None


def test_closing_writes_at_once_and_discarding_removes(opened: MainWindow) -> None:
    take_left_on_d3(opened)
    opened.close()
    assert saved(opened) is not None  # written before the question, whatever the answer
    box = opened.findChild(QMessageBox, "confirm_discard")
    assert box is not None
    box.button(QMessageBox.StandardButton.Discard).click()
    assert saved(opened) is None
    assert not opened.isVisible()


def test_a_change_of_comparison_writes_at_once(opened: MainWindow, qtbot: QtBot) -> None:
    take_left_on_d3(opened)
    with qtbot.waitSignal(opened.comparison_ready, timeout=TIMEOUT):
        opened.reload()
    record = saved(opened)
    assert record is not None
    assert record.decision_count == 1
    assert not opened.autosave.prompt.isVisible()  # its own work, carried over: nothing to offer


def test_reopening_the_pair_offers_decisions_and_hand_edits_back(
    opened: MainWindow, qtbot: QtBot, settings: QSettings
) -> None:
    take_left_on_d3(opened)
    type_at_end(opened, qtbot, " Fin.")
    assert opened.session is not None
    expected_state, expected_text = opened.session.state, opened.session.text
    opened.autosave.flush()

    other = new_window(qtbot, settings)
    open_samples(other, qtbot)
    prompt = other.autosave.prompt
    assert prompt.isVisible()
    assert "1 decision and hand edits" in prompt.text
    assert other.session is not None
    assert not other.session.is_user_decided("d3")
    prompt.buttons["restore"].click()
    assert not prompt.isVisible()
    assert other.session.state == expected_state
    assert other.session.text == expected_text
    assert other.view.canonical.toPlainText() == expected_text
    assert "Restored 1 decision" in other.banner.text
    other.commands["undo"].trigger()  # the restore is one undo step
    assert not other.session.is_user_decided("d3")
    other.session.mark_exported()


def test_discard_in_the_prompt_removes_the_autosave(
    opened: MainWindow, qtbot: QtBot, settings: QSettings
) -> None:
    take_left_on_d3(opened)
    opened.autosave.flush()
    other = new_window(qtbot, settings)
    open_samples(other, qtbot)
    other.autosave.prompt.buttons["discard"].click()
    assert saved(other) is None
    assert not other.autosave.prompt.isVisible()
    assert other.session is not None
    assert not other.session.is_modified


def test_work_on_other_contents_is_not_offered(
    window: MainWindow, qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    left, right = tmp_path / "web.md", tmp_path / "pdf.txt"
    shutil.copy(WEB, left)
    shutil.copy(PDF, right)
    open_samples(window, qtbot, left, right)
    take_left_on_d3(window)
    window.autosave.flush()
    right.write_text(PDF.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    other = new_window(qtbot, settings)
    open_samples(other, qtbot, left, right)
    assert not other.autosave.prompt.isVisible()


def test_a_json_export_opens_again_with_its_decisions(
    opened: MainWindow, qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    take_left_on_d3(opened)
    target = tmp_path / "merged.json"
    assert opened.exports.canonical_to(str(target))
    other = new_window(qtbot, settings)
    apply_on_open(other, str(target))
    open_samples(other, qtbot)
    assert other.session is not None
    assert other.session.decision("d3").choice is Choice.LEFT
    assert other.session.is_user_decided("d3")
    assert "1 decision applied from merged.json" in other.banner.text
    other.session.mark_exported()


@pytest.mark.slow
def test_a_killed_process_leaves_its_last_autosave_to_restore(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    left, right = tmp_path / "web.md", tmp_path / "pdf.txt"
    shutil.copy(WEB, left)
    shutil.copy(PDF, right)
    comparison = compare(load_variant(left), load_variant(right))
    decisions = {
        "d1": Decision(Choice.CUSTOM, "A title of our own"),
        "d3": Decision(Choice.LEFT),
        "d8": Decision(Choice.LEFT),
    }
    decisions_file = tmp_path / "decisions.json"
    decisions_file.write_text(json.dumps(decisions_to_json(comparison, decisions)), encoding="utf-8")
    # The app's own settings file (XDG_CONFIG_HOME is this test's): autosave every 200 ms.
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "Variorum" / "Variorum.conf"
    config.parent.mkdir(parents=True)
    section, key = INTERVAL_KEY.split("/")
    config.write_text(f"[{section}]\n{key}=200\n", encoding="utf-8")

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "viewer", "--decisions", str(decisions_file), str(left), str(right)]
    app = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    store = window.autosave.store
    try:
        deadline = time.monotonic() + 30
        record = None
        while app.poll() is None and time.monotonic() < deadline:
            record = store.load(str(left), str(right))
            if record is not None and record.decision_count == len(decisions):
                break
            time.sleep(0.05)  # polling another process's file, well under the 200 ms interval
        problem = app.stderr.read() if app.poll() is not None else ""
        assert record is not None, f"no autosave; stderr: {problem}"
        app.send_signal(signal.SIGKILL)
        assert app.wait(timeout=10) == -signal.SIGKILL
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        assert app.stderr is not None
        app.stderr.close()
    last = store.load(str(left), str(right))
    assert last == record

    open_samples(window, qtbot, left, right)
    assert window.autosave.prompt.isVisible()
    window.autosave.prompt.buttons["restore"].click()
    assert window.session is not None
    assert dict(window.session.state.overrides) == decisions
    assert window.session.text == last.text
    assert window.session.text.startswith("A title of our own")


def test_a_text_the_decisions_no_longer_give_is_kept_as_a_hand_edit(
    opened: MainWindow, qtbot: QtBot, settings: QSettings
) -> None:
    take_left_on_d3(opened)
    opened.autosave.flush()
    record = saved(opened)
    assert record is not None
    # As if another version merged the same decisions into other words.
    changed = dataclasses.replace(record, text=record.text.replace("strategic cooperation", "close ties"))
    opened.autosave.store.save(changed)
    other = new_window(qtbot, settings)
    open_samples(other, qtbot)
    other.autosave.prompt.buttons["restore"].click()
    assert other.session is not None
    assert other.session.text == changed.text
    assert other.session.has_hand_edits
    assert other.session.decision("d3").choice is Choice.LEFT
    assert "kept as one hand edit" in other.banner.text
    assert other.banner.level == "warning"
    other.session.mark_exported()


def test_undoing_back_to_the_start_keeps_the_autosave(opened: MainWindow) -> None:
    take_left_on_d3(opened)
    opened.autosave.flush()
    opened.commands["undo"].trigger()
    assert opened.session is not None
    assert not opened.session.is_modified
    assert saved(opened) is not None  # until an export or a discard: undo is no decision to lose it
