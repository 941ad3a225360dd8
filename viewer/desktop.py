"""A freedesktop entry and icon, so file managers offer "Open with Variorum"."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

APP_ID = "variorum"
MIME_TYPES = ("text/plain", "text/markdown", "text/x-markdown", "text/x-rst", "text/html", "application/pdf")
ICON_SOURCE = Path(__file__).resolve().parent.parent / "resources" / "variorum.svg"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def written_dir() -> Path:
    """Where the records of written canonical texts live (see viewer.core.written)."""
    return data_home() / "variorum" / "written"


def entry_path() -> Path:
    return data_home() / "applications" / f"{APP_ID}.desktop"


def icon_path() -> Path:
    return data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def launcher() -> str:
    """The command the entry runs: the installed script if on PATH, else this interpreter."""
    script = shutil.which("variorum")
    if script:
        return shlex.quote(script)
    return f"{shlex.quote(sys.executable)} -m viewer"


def desktop_entry() -> str:
    """The text of the .desktop file."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Variorum\n"
        "GenericName=Document Variant Comparison\n"
        "Comment=Compare variants of one document and merge them into one canonical text\n"
        f"Exec={launcher()} %F\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "Categories=Office;TextTools;Utility;\n"
        f"MimeType={';'.join(MIME_TYPES)};\n"
        "Keywords=diff;compare;merge;variant;text;pdf;markdown;\n"
        "StartupNotify=true\n"
    )


def install_desktop() -> str:
    """Write the entry and the icon under the user's XDG data folder."""
    entry, icon = entry_path(), icon_path()
    entry.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(".desktop.tmp")
    tmp.write_text(desktop_entry(), encoding="utf-8")
    tmp.replace(entry)
    shutil.copyfile(ICON_SOURCE, icon)
    _refresh(entry.parent)
    return f"installed {entry} and {icon}"


def uninstall_desktop() -> str:
    """Remove what install_desktop wrote."""
    removed = []
    for path in (entry_path(), icon_path()):
        if path.exists():
            path.unlink()
            removed.append(str(path))
    _refresh(entry_path().parent)
    return "removed " + " and ".join(removed) if removed else "nothing to remove"


def _refresh(applications: Path) -> None:
    """Let the desktop see the change now, where the tool for it exists."""
    tool = shutil.which("update-desktop-database")
    if tool and applications.is_dir():
        import subprocess

        subprocess.run([tool, str(applications)], check=False, capture_output=True)
