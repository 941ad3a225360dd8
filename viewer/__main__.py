"""`python -m viewer` is the `variorum` command."""

import sys

from viewer.cli import main

sys.exit(main())
