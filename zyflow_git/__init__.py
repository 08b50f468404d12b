"""zyflow-git: git as the single source of truth for Markdown task lists."""

__version__ = "0.1.0"
