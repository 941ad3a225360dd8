"""The folder list under load: open two folders of many small pairs offscreen and time how
long the window's event loop waits while the pairs are listed, and then compared.

    python bench/folder_probe.py --pairs 2000 10000

For each count, a fresh process makes two folders of that many pairs (a short Markdown page
and its plain-text rendering, one link and a heading each), opens them as `variorum DIR_A
DIR_B` does and reports, from a 5 ms probe timer (see gui_probe.py): the longest stall while
the rows go in, the longest while the workers compare the pairs, and how long each took.
`--checkout DIR` measures another checkout's window with the same probe.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_folders(top: Path, count: int) -> tuple[Path, Path]:
    """Two folders of `count` small pairs, named page1 … pageN."""
    left, right = top / "web", top / "pdf"
    left.mkdir(parents=True)
    right.mkdir(parents=True)
    for k in range(1, count + 1):
        (left / f"page{k}.md").write_text(
            f"# Page {k}\n\nA paragraph about [item {k}](http://example.org/{k}) and more.\n",
            encoding="utf-8",
        )
        (right / f"page{k}.txt").write_text(
            f"Page {k}\nA paragraph about\nitem {k} and more.\n", encoding="utf-8"
        )
    return left, right


def measure(count: int, timeout: float) -> dict[str, object]:
    """Run in the child: the phases' stalls and durations for `count` pairs."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bench.gui_probe import Probe
    from viewer.ui.app import open_paths
    from viewer.ui.main_window import MainWindow

    app = QApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        left, right = make_folders(Path(scratch), count)
        settings = QSettings(str(Path(scratch) / "probe.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.resize(1400, 900)
        window.show()
        probe = Probe(app, timeout)
        probe.settle(300)
        folders = window.folders
        finished: list[bool] = []
        folders.scan_finished.connect(lambda *_args: finished.append(True))
        listed = probe.phase(
            "list",
            lambda: open_paths(window, [str(left), str(right)]),
            lambda: not folders.listing and folders.view.tree.topLevelItemCount() == count,
            settle_ms=0,
        )
        compared = probe.phase("compare", lambda: None, lambda: bool(finished))
        window.close()
        return {
            "pairs": count,
            "list_stall": listed["stall"],
            "list_seconds": listed["done"],
            "compare_stall": compared["stall"],
            "compare_seconds": compared["done"],
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the checkout whose window is measured")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.path[:0] = [str(args.checkout.resolve()), str(ROOT)]
        print("RESULT " + json.dumps(measure(args.child, args.timeout)), flush=True)
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    print(f"{'pairs':>7}  {'listing':>9}  {'longest stall':>13}  {'comparing':>9}  {'longest stall':>13}")
    for count in args.pairs:
        start = time.perf_counter()
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(count),
                "--checkout",
                str(args.checkout),
                "--timeout",
                str(args.timeout),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
        if child.returncode or not lines:
            print(
                f"{count:>7}  failed after {time.perf_counter() - start:.0f} s: {child.stderr.strip()[-400:]}"
            )
            continue
        result = json.loads(lines[-1][len("RESULT ") :])

        def seconds(value: float | None) -> str:
            return "timed out" if value is None else f"{value:.2f} s"

        print(
            f"{count:>7}  {seconds(result['list_seconds']):>9}  {result['list_stall'] * 1000:>10.0f} ms"
            f"  {seconds(result['compare_seconds']):>9}  {result['compare_stall'] * 1000:>10.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
