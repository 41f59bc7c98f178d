#!/usr/bin/env python
"""Django's command-line utility; identical to the ``krisenwissen`` console command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from krisenwissen.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
