"""`python -m assessment`: see assessment.cli."""

import sys

from .cli import main

sys.exit(main())
