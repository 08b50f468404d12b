"""``python -m zyflow_git``."""

from .entry import script

script()
