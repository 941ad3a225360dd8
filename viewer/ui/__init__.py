"""The comparison window (PySide6): one widget per module, wired together by MainWindow."""
