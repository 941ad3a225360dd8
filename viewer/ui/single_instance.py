"""One window for two files picked one after the other: `variorum A`, then `variorum B`.

A window opened on one file listens on a per-user local socket while it waits for the
other; a second `variorum FILE` hands its file over instead of opening a window of its own.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from viewer.core import Side
from viewer.ui.open_dialog import OpenPairDialog

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

ACCEPTED = b"accepted"
DECLINED = b"declined"
#: A waiting window answers at once; past this the caller opens its own window.
TIMEOUT_MS = 1000
_MAX_REQUEST = 64 * 1024


def socket_path() -> str:
    """The socket's path: in the user's runtime folder (one per login), else in /tmp by user id."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, "variorum-second-file")
    return os.path.join(tempfile.gettempdir(), f"variorum-second-file-{os.getuid()}")


def deliver(paths: Sequence[str], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Offer files to a window waiting for its second file; True if one took them."""
    socket = QLocalSocket()
    socket.connectToServer(socket_path())
    deadline = time.monotonic() + timeout_ms / 1000
    if not socket.waitForConnected(timeout_ms):
        return False
    request = json.dumps({"files": [str(Path(p).absolute()) for p in paths]}).encode() + b"\n"
    socket.write(request)
    socket.flush()
    reply = b""
    while b"\n" not in reply:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0 or not socket.waitForReadyRead(left_ms):
            break
        reply += bytes(socket.readAll().data())
    socket.abort()
    return reply.strip() == ACCEPTED


class SecondFileServer(QObject):
    """Listens while `waiting()` says a window wants its second file; emits what it is given."""

    file_received = Signal(str)

    def __init__(self, waiting: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.waiting = waiting
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def listen(self) -> bool:
        """Take the socket unless a live window already holds it; True when listening."""
        if self.server.isListening():
            return True
        path = socket_path()
        probe = QLocalSocket()
        probe.connectToServer(path)
        if probe.waitForConnected(200):
            probe.abort()
            return False  # another window is waiting: the next file is its to take
        # What is left is a socket file from a window that died: it answers nobody.
        QLocalServer.removeServer(path)
        return self.server.listen(path)

    def close(self) -> None:
        if self.server.isListening():
            self.server.close()

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        self._buffers[socket] = data
        if b"\n" not in data and len(data) < _MAX_REQUEST:
            return
        files = _files_of(data)
        accepted = len(files) == 1 and self.waiting()
        socket.write((ACCEPTED if accepted else DECLINED) + b"\n")
        socket.flush()
        socket.disconnectFromServer()
        if accepted:
            self.file_received.emit(files[0])


def _files_of(data: bytes) -> list[str]:
    try:
        files = json.loads(data.split(b"\n", 1)[0].decode("utf-8")).get("files", [])
    except (ValueError, AttributeError):
        return []
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def is_waiting(window: MainWindow) -> bool:
    """Whether a window shows no comparison and holds exactly one of its two files."""
    return window.comparison is None and len(window.pending) == 1


def take_second_file(window: MainWindow, path: str) -> None:
    """Use a delivered file as the missing side, and bring the window to the front."""
    for dialog in window.findChildren(OpenPairDialog):
        if dialog.isVisible():
            dialog.reject()
    side = Side.RIGHT if Side.LEFT in window.pending else Side.LEFT
    window.open_side(side, path)
    window.raise_()
    window.activateWindow()


def wait_for_second_file(window: MainWindow) -> SecondFileServer:
    """Let a later `variorum FILE` complete this window's comparison, until it has one."""
    server = SecondFileServer(lambda: is_waiting(window), window)
    server.file_received.connect(lambda path: take_second_file(window, path))
    window.comparison_ready.connect(server.close)
    server.listen()
    return server
