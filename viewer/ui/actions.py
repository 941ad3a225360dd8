"""Every command of the window as a QAction (text, shortcut, tool tip, icon), its menus and toolbar."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QIcon,
    QKeySequence,
    QPainter,
    QPixmap,
    QUndoGroup,
)
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar, QWidget

_SP = QStyle.StandardPixmap


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """How one command looks: menu text, short toolbar text, shortcuts and an explanation."""

    name: str
    text: str
    tip: str
    shortcuts: tuple[str, ...] = ()
    icon_text: str = ""
    icon: str | _SP | None = None
    checkable: bool = False


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "open",
        "&Open Two Files…",
        "Choose the two files to compare",
        ("Ctrl+O",),
        "Open",
        _SP.SP_DialogOpenButton,
    ),
    ActionSpec(
        "open_folders",
        "Open Two F&olders…",
        "Compare two folders of variants, pair by pair",
        ("Ctrl+Shift+O",),
        "Folders",
        _SP.SP_DirOpenIcon,
    ),
    ActionSpec(
        "folder_list",
        "&Back to the Folder List",
        "Close this comparison and show the folders' pairs again (Ctrl+W)",
        (),
        "Folder list",
        _SP.SP_FileDialogListView,
    ),
    ActionSpec("open_left", "Replace &Left File…", "Compare another file on the left side", (), "Open…"),
    ActionSpec("open_right", "Replace &Right File…", "Compare another file on the right side", (), "Open…"),
    ActionSpec("swap", "S&wap Sides", "Exchange the left and right files"),
    ActionSpec(
        "reload",
        "Re&load Files",
        "Read both files again and compare them",
        ("F5",),
        "Reload",
        _SP.SP_BrowserReload,
    ),
    ActionSpec("cancel", "Cancel Comparison", "Stop the comparison that is running", ("Esc",)),
    ActionSpec(
        "export",
        "&Export Canonical…",
        "Save the merged text as .txt, .md or .json",
        ("Ctrl+S",),
        "Export",
        _SP.SP_DialogSaveButton,
    ),
    ActionSpec(
        "export_report",
        "Export &Report…",
        "Save every difference shown, with context and its decision, as an HTML page to share",
        ("Ctrl+Shift+R",),
    ),
    ActionSpec(
        "copy_canonical",
        "&Copy Canonical Text",
        "Copy the whole merged text to the clipboard",
        ("Ctrl+Shift+C",),
    ),
    ActionSpec("close", "Close Co&mparison", "Close this comparison and show the start page", ("Ctrl+W",)),
    ActionSpec("quit", "&Quit", "Quit Variorum", ("Ctrl+Q",)),
    ActionSpec(
        "previous",
        "&Previous Difference",
        "Go to the previous difference",
        ("Alt+Up",),
        "Previous",
        "▲",
    ),
    ActionSpec("next", "&Next Difference", "Go to the next difference", ("Alt+Down",), "Next", "▼"),
    ActionSpec(
        "next_pair",
        "Next &Pair in the Folders",
        "Compare the next pair of the folder list",
        ("Alt+PgDown",),
    ),
    ActionSpec(
        "previous_pair",
        "Previous P&air in the Folders",
        "Compare the previous pair of the folder list",
        ("Alt+PgUp",),
    ),
    ActionSpec(
        "next_unreviewed",
        "Next &Unreviewed Difference",
        "Go to the next difference you have not decided (after the last, the first)",
        ("Alt+Shift+Down",),
    ),
    ActionSpec(
        "previous_unreviewed",
        "Pre&vious Unreviewed Difference",
        "Go to the previous difference you have not decided (before the first, the last)",
        ("Alt+Shift+Up",),
    ),
    ActionSpec("first", "&First Difference", "Go to the first difference", ("Alt+Home",)),
    ActionSpec("last", "&Last Difference", "Go to the last difference", ("Alt+End",)),
    ActionSpec(
        "take_left", "Take &Left", "Use the left text for this difference", ("Alt+Left",), "Take left", "◀"
    ),
    ActionSpec(
        "take_right",
        "Take &Right",
        "Use the right text for this difference",
        ("Alt+Right",),
        "Take right",
        "▶",
    ),
    ActionSpec("keep_both", "Keep &Both", "Use both texts, left then right", ("Alt+B",), "Both", "+"),
    ActionSpec(
        "keep_neither",
        "Keep &Neither",
        "Leave this difference out of the merged text",
        ("Alt+N",),
        "Neither",
        "✕",
    ),
    ActionSpec(
        "apply_to_kind",
        "&Apply to All of This Kind",
        "Give every difference of this kind the same decision",
        ("Ctrl+Shift+A",),
        "All of kind",
    ),
    ActionSpec("take_all_left", "Take Everything from the Le&ft", "Use the left text for every difference"),
    ActionSpec(
        "take_all_right", "Take Everything from the Ri&ght", "Use the right text for every difference"
    ),
    ActionSpec("reset", "R&eset All Decisions", "Go back to the default decision for every difference"),
    ActionSpec(
        "canonical_md",
        "Canonical Text as &Markdown",
        "Keep links, emphasis and headings as Markdown in the merged text",
        checkable=True,
    ),
    ActionSpec(
        "word_wrap", "&Wrap Long Lines", "Wrap lines at the pane's width (best for prose)", checkable=True
    ),
    ActionSpec(
        "sync_scroll", "&Synchronise Scrolling", "Keep corresponding text level in both panes", checkable=True
    ),
    ActionSpec(
        "ignore_case",
        "Ignore Letter &Case",
        "Compare words regardless of upper and lower case (THE and the are one word)",
        checkable=True,
    ),
    ActionSpec("zoom_in", "Zoom &In", "Make the text of the panes larger", ("Ctrl++", "Ctrl+=")),
    ActionSpec("zoom_out", "Zoom &Out", "Make the text of the panes smaller", ("Ctrl+-",)),
    ActionSpec("zoom_reset", "&Actual Size", "The desktop's text size again", ("Ctrl+0",)),
    ActionSpec(
        "show_canonical", "Show &Canonical Pane", "Show the merged text below the variants", checkable=True
    ),
    ActionSpec(
        "show_panel",
        "Show &Differences List",
        "Show the list of differences beside the panes",
        checkable=True,
    ),
    ActionSpec("find", "&Find…", "Find text in the pane last clicked", ("Ctrl+F",)),
    ActionSpec("find_next", "Find &Next", "Go to the next match of the text looked for", ("F3",)),
    ActionSpec("find_previous", "Find Pre&vious", "Go to the previous match", ("Shift+F3",)),
    ActionSpec(
        "preferences",
        "&Preferences…",
        "Font, theme, default decisions and the kinds shown",
        ("Ctrl+,",),
    ),
    ActionSpec("open_samples", "Open the &Sample Comparison", "Compare the two bundled sample articles"),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", "List every keyboard shortcut", ("F1",)),
    ActionSpec("about", "&About Variorum", "What Variorum is and which version this is"),
)

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "open",
            "open_folders",
            "open_left",
            "open_right",
            "@recent",
            "-",
            "swap",
            "reload",
            "-",
            "export",
            "export_report",
            "copy_canonical",
            "-",
            "folder_list",
            "close",
            "quit",
        ),
    ),
    ("&Edit", ("undo", "redo", "-", "find", "find_next", "find_previous", "-", "preferences")),
    (
        "&View",
        (
            "word_wrap",
            "sync_scroll",
            "ignore_case",
            "-",
            "zoom_in",
            "zoom_out",
            "zoom_reset",
            "-",
            "show_canonical",
            "show_panel",
            "-",
            "@theme",
        ),
    ),
    (
        "&Go",
        (
            "previous",
            "next",
            "first",
            "last",
            "-",
            "previous_unreviewed",
            "next_unreviewed",
            "-",
            "next_pair",
            "previous_pair",
        ),
    ),
    (
        "&Merge",
        (
            "take_left",
            "take_right",
            "keep_both",
            "keep_neither",
            "-",
            "apply_to_kind",
            "take_all_left",
            "take_all_right",
            "reset",
            "-",
            "canonical_md",
        ),
    ),
    ("&Help", ("open_samples", "-", "shortcuts", "about")),
)
TOOLBAR = (
    "open",
    "folder_list",
    "-",
    "previous",
    "next",
    "-",
    "take_left",
    "take_right",
    "keep_both",
    "keep_neither",
    "apply_to_kind",
    "-",
    "undo",
    "redo",
    "-",
    "export",
)


def glyph_icon(glyph: str, widget: QWidget) -> QIcon:
    """A toolbar icon drawn from a character, in the text colour of the widget's palette."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    font = QFont(widget.font())
    font.setPixelSize(22)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(widget.palette().color(widget.palette().ColorRole.ButtonText)))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


class WindowActions(QObject):
    """Creates the actions once; the window connects them to what they do."""

    def __init__(self, window: QMainWindow, undo_group: QUndoGroup) -> None:
        super().__init__(window)
        self.window = window
        self.by_name: dict[str, QAction] = {}
        for spec in SPECS:
            self.by_name[spec.name] = self._make(spec)
        undo = undo_group.createUndoAction(window, "&Undo")
        redo = undo_group.createRedoAction(window, "&Redo")
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        undo.setIconText("Undo")
        redo.setIconText("Redo")
        undo.setIcon(QIcon.fromTheme("edit-undo", glyph_icon("↶", window)))
        redo.setIcon(QIcon.fromTheme("edit-redo", glyph_icon("↷", window)))
        undo.setToolTip("Undo the last decision or edit (Ctrl+Z)")
        redo.setToolTip("Redo (Ctrl+Shift+Z)")
        self.by_name["undo"], self.by_name["redo"] = undo, redo
        self.theme_group = QActionGroup(self)
        self.themes: dict[str, QAction] = {}
        for theme, label in (("system", "&System Colours"), ("light", "&Light"), ("dark", "&Dark")):
            action = QAction(label, self.theme_group)
            action.setCheckable(True)
            action.setData(theme)
            self.themes[theme] = action
        self.recent_menu = QMenu("Open &Recent", window)
        self._glyphs = {spec.name: spec.icon for spec in SPECS if isinstance(spec.icon, str)}
        self._glyphs.update(undo="↶", redo="↷")
        for action in self.by_name.values():
            window.addAction(action)  # shortcuts work even with the menu bar hidden

    def refresh_icons(self) -> None:
        """Redraw the glyph icons in the current palette's text colour (after a theme change)."""
        for name, glyph in self._glyphs.items():
            icon = glyph_icon(glyph, self.window)
            if name in ("undo", "redo"):
                icon = QIcon.fromTheme(f"edit-{name}", icon)
            self.by_name[name].setIcon(icon)

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def _make(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self.window)
        action.setObjectName(f"action_{spec.name}")
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        shortcut = f" ({spec.shortcuts[0]})" if spec.shortcuts else ""
        action.setToolTip(spec.tip + shortcut)
        action.setStatusTip(spec.tip)
        if spec.icon_text:
            action.setIconText(spec.icon_text)
        if isinstance(spec.icon, str):
            action.setIcon(glyph_icon(spec.icon, self.window))
        elif spec.icon is not None:
            action.setIcon(self.window.style().standardIcon(spec.icon))
        action.setCheckable(spec.checkable)
        return action

    def build_menus(self) -> None:
        bar = self.window.menuBar()
        for title, names in MENUS:
            menu = bar.addMenu(title)
            for name in names:
                if name == "-":
                    menu.addSeparator()
                elif name == "@recent":
                    menu.addMenu(self.recent_menu)
                elif name == "@theme":
                    theme_menu = menu.addMenu("&Theme")
                    for action in self.themes.values():
                        theme_menu.addAction(action)
                else:
                    menu.addAction(self.by_name[name])

    def build_toolbar(self) -> QToolBar:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for name in TOOLBAR:
            if name == "-":
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.by_name[name])
        return toolbar

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(menu, command, shortcuts) for every action that has a shortcut, in menu order."""
        rows = []
        for title, names in MENUS:
            for name in names:
                action = self.by_name.get(name)
                if action is None or not action.shortcuts():
                    continue
                keys = ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                )
                rows.append((title.replace("&", ""), action.text().replace("&", ""), keys))
        return rows
