"""The user's own files that Merge All must not replace: canonical texts they exported, and
files changed since Merge All wrote them.

Each file Merge All writes, and each canonical text exported from a comparison, leaves a small
record in the user's data folder: the file's path, the hash of its bytes, and who wrote it.
Before Merge All replaces a file already there, it reads that record. A file holding an
export, or changed since it was written (by hand, by another tool), is kept; one that Merge
All wrote and nobody changed since, or one it knows nothing of, is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from viewer.core.loading import LoadError
from viewer.core.output import write_atomic

MERGED = "merged"
EXPORTED = "exported"
#: Why a file already there is kept.
KEPT_EXPORT = "holds your export"
KEPT_CHANGED = "changed since it was written"


def file_hash(path: str | os.PathLike[str]) -> str | None:
    """The SHA-256 of the file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


class WrittenStore:
    """Records of written canonical texts, one JSON file per path, each replaced atomically."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def record_path(self, path: str | os.PathLike[str]) -> Path:
        key = os.path.abspath(path).encode("utf-8", "surrogateescape")
        return self.directory / f"{hashlib.sha256(key).hexdigest()[:24]}.json"

    def note(self, path: str | os.PathLike[str], by: str) -> None:
        """Record the file as it is now on disk, written by `by` (MERGED or EXPORTED). Best
        effort: a record that cannot be written only means the file is not looked after."""
        digest = file_hash(path)
        if digest is None:
            return
        record = {"path": os.path.abspath(path), "sha256": digest, "by": by}
        with contextlib.suppress(OSError, LoadError):
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # ASCII: a name that is not UTF-8 (kept as surrogates) is escaped, not refused.
            write_atomic(self.record_path(path), json.dumps(record))

    def kept(self, path: str | os.PathLike[str]) -> str:
        """Why Merge All must keep the file at `path` ("" when it may be written): it holds an
        export (KEPT_EXPORT), or it changed since it was written (KEPT_CHANGED)."""
        if not os.path.exists(path):
            return ""
        try:
            record = json.loads(self.record_path(path).read_text(encoding="utf-8"))
            recorded = (str(record["path"]), str(record["sha256"]), str(record["by"]))
        except (OSError, ValueError, KeyError, TypeError):
            return ""  # nothing known of it: replaced, as the Merge All dialog says
        if recorded[0] != os.path.abspath(path):
            return ""
        if file_hash(path) != recorded[1]:
            return KEPT_CHANGED
        return KEPT_EXPORT if recorded[2] == EXPORTED else ""

    def prune(self) -> int:
        """Remove the records of files no longer there (deleted, moved); the number removed.
        Best effort, like the records themselves."""
        removed = 0
        try:
            records = list(self.directory.glob("*.json"))
        except OSError:
            return 0
        for record in records:
            try:
                path = json.loads(record.read_text(encoding="utf-8"))["path"]
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not ours to judge: left as it is
            if isinstance(path, str) and not os.path.lexists(path):
                with contextlib.suppress(OSError):
                    record.unlink()
                    removed += 1
        return removed
