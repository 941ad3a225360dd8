"""A helper process that never answers (`python -m tests.stalled_helper PATH` only sleeps):
what a helper stuck on a huge file looks like to the process waiting for it."""

import time

if __name__ == "__main__":
    time.sleep(600)
