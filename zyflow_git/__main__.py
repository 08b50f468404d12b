"""``python -m zyflow_git``."""

import sys

from .entry import main

sys.exit(main())
