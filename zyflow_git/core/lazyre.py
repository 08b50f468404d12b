"""Regular expressions compiled on first use.

Compiling a pattern runs re's parser and compiler in Python (0.1-1 ms each); the merge driver
starts once per conflicted file, and most of its patterns serve constructs a given file never
has (fences, tables, setext headings, ordered lists). A ``Lazy`` pattern costs nothing until
a line needs it.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterator


class Lazy:
    """The methods of a compiled pattern, compiling it at the first call."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled().match(string, pos)

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(string)

    def search(self, string: str) -> re.Match[str] | None:
        return self.compiled().search(string)

    def findall(self, string: str) -> list[str]:
        return self.compiled().findall(string)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        return self.compiled().sub(repl, string)
