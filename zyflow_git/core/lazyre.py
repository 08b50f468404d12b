"""Regular expressions compiled on first use.

Compiling a pattern runs re's parser and compiler in Python (0.1-1 ms each); the merge driver
starts once per conflicted file, and most of its patterns serve constructs a given file never
has (fences, tables, setext headings, ordered lists). A lazy pattern costs nothing until a
line needs it, and after its first use its methods are the compiled pattern's own. Even ``re``
is imported at the first use (with enum, functools and collections, ~15 ms): a read of a fresh
store (``tasks``) and most hooks use no pattern at all.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

_METHODS = ("match", "fullmatch", "search", "findall", "finditer", "sub", "split")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> object:
        """First use: compile, and keep the compiled pattern's methods as this object's own."""
        import re

        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """``re.compile(pattern, flags)``, done at the pattern's first use."""
    return _Lazy(pattern, flags)  # type: ignore[return-value]
