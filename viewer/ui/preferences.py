"""The user's preferences, kept in QSettings, and how they reach an open window."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont

from viewer.core import CANONICAL_DEFAULTS, DifferenceKind, MergePolicy, Side
from viewer.core.merge import KIND_RULES
from viewer.ui.theme import THEMES

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

#: Typography differences (curly quotes, dashes, ligatures) are noise for most readers.
DEFAULT_HIDDEN = frozenset({DifferenceKind.TYPOGRAPHY})
#: The same keys the View menu uses, so the menu and the dialog always agree.
KEYS = {
    "font_family": "appearance/font_family",
    "font_size": "appearance/font_size",
    "word_wrap": "view/word_wrap",
    "theme": "view/theme",
    "prefer": "merge/prefer",
    "kind_rules": "merge/kind_rules",
    "hidden_kinds": "view/hidden_kinds",
    "ignore_case": "compare/ignore_case",
}
RULE_LABELS = {
    "prefer": "Preferred side",
    "marked": "Side with the markup",
    "auto": "Automatic",
    "left": "Left",
    "right": "Right",
    "both": "Keep both",
    "neither": "Leave out",
}


#: What the automatic rule does, for the kinds that have one.
AUTOMATIC_RULES = {
    DifferenceKind.BREAK: "Joined where the break cuts a sentence in two, kept otherwise",
    DifferenceKind.CITATION: (
        "The printed reference where the other side has the source's key (or nothing), else the"
        " preferred side's"
    ),
    DifferenceKind.WORDING: (
        "The preferred side's, except where its text has a hole (a lone comma, a sentence begun"
        " in lower case) that the other side's few more words fill"
    ),
}


def rules_for(kind: DifferenceKind) -> tuple[str, ...]:
    """The rules that make sense for a kind ("auto" only where a rule for it exists)."""
    return tuple(r for r in KIND_RULES if r != "auto" or CANONICAL_DEFAULTS[kind] == "auto")


@dataclass(frozen=True, slots=True)
class Preferences:
    """Font, wrapping, theme, whether letter case counts, how undecided differences are merged
    and which are shown."""

    font_family: str = ""  # "" is the desktop's font
    font_size: int = 0  # 0 is the desktop's size
    word_wrap: bool = True
    theme: str = "system"
    prefer: Side = Side.LEFT
    kind_rules: Mapping[DifferenceKind, str] = field(default_factory=dict)
    hidden_kinds: frozenset[DifferenceKind] = DEFAULT_HIDDEN
    #: Letter case alone is no difference (THE and the are one word).
    ignore_case: bool = False

    def rule(self, kind: DifferenceKind) -> str:
        return self.kind_rules.get(kind, CANONICAL_DEFAULTS[kind])

    def policy(self) -> MergePolicy:
        """The merge policy for differences the user has not decided."""
        changed = {k: r for k, r in self.kind_rules.items() if r != CANONICAL_DEFAULTS[k]}
        return MergePolicy("canonical", self.prefer, changed)

    def font(self, base: QFont) -> QFont:
        """The text font: `base` (the desktop's) with the chosen family and size."""
        font = QFont(base)
        if self.font_family:
            font.setFamily(self.font_family)
        if self.font_size > 0:
            font.setPointSize(self.font_size)
        return font


def _text(settings: QSettings, name: str, default: str) -> str:
    value = settings.value(KEYS[name])
    return default if value is None else str(value)


def _json(settings: QSettings, name: str, default: object) -> object:
    try:
        return json.loads(_text(settings, name, json.dumps(default)))
    except ValueError:
        return default


def load(settings: QSettings) -> Preferences:
    """The saved preferences; anything missing or unreadable takes its default."""
    d = Preferences()
    try:
        size = int(_text(settings, "font_size", "0"))
    except ValueError:
        size = 0
    rules: dict[DifferenceKind, str] = {}
    raw_rules = _json(settings, "kind_rules", {})
    for kind in DifferenceKind:
        rule = raw_rules.get(kind.value) if isinstance(raw_rules, dict) else None
        if rule in rules_for(kind) and rule != CANONICAL_DEFAULTS[kind]:
            rules[kind] = str(rule)
    raw_hidden = _json(settings, "hidden_kinds", sorted(k.value for k in DEFAULT_HIDDEN))
    values = {k.value for k in DifferenceKind}
    hidden = (
        frozenset(DifferenceKind(k) for k in raw_hidden if k in values)
        if isinstance(raw_hidden, list)
        else DEFAULT_HIDDEN
    )
    theme = _text(settings, "theme", d.theme)
    return Preferences(
        font_family=_text(settings, "font_family", ""),
        font_size=max(0, size),
        word_wrap=_text(settings, "word_wrap", "true").lower() not in ("false", "0"),
        theme=theme if theme in THEMES else d.theme,
        prefer=Side.RIGHT if _text(settings, "prefer", "left") == "right" else Side.LEFT,
        kind_rules=rules,
        hidden_kinds=hidden,
        ignore_case=_text(settings, "ignore_case", "false").lower() in ("true", "1"),
    )


def save(settings: QSettings, prefs: Preferences) -> None:
    values: dict[str, object] = {
        "font_family": prefs.font_family,
        "font_size": prefs.font_size,
        "word_wrap": prefs.word_wrap,
        "theme": prefs.theme,
        "prefer": prefs.prefer.value,
        "kind_rules": json.dumps({k.value: r for k, r in sorted(prefs.kind_rules.items())}),
        "hidden_kinds": json.dumps(sorted(k.value for k in prefs.hidden_kinds)),
        "ignore_case": prefs.ignore_case,
    }
    for name, value in values.items():
        settings.setValue(KEYS[name], value)
    settings.sync()


def apply(window: MainWindow, prefs: Preferences) -> None:
    """Bring the window in line with the preferences, including an open comparison (compared
    again when letter case starts or stops counting)."""
    recompare = prefs.ignore_case != window.preferences.ignore_case
    window.preferences = prefs
    window.commands["ignore_case"].setChecked(prefs.ignore_case)
    view = window.view
    font = prefs.font(window.font())
    for pane in (view.left_view, view.right_view, view.canonical):
        pane.setFont(font)
    window.commands["word_wrap"].setChecked(prefs.word_wrap)
    if not window.commands.themes[prefs.theme].isChecked():
        window.set_theme(prefs.theme)
    bar = view.panel.filter_bar
    for kind in bar.hidden_kinds ^ prefs.hidden_kinds:
        bar.set_kind_shown(kind, kind not in prefs.hidden_kinds)
    if window.session is not None:
        window.session.set_policy(prefs.policy(), "Default decisions from Preferences")
    if recompare:
        window.compare_again()
