"""Regular expressions compiled on first use.

Compiling a pattern runs re's parser and compiler in Python (0.1-1 ms each), and importing
``re`` brings enum, functools and collections (~8 ms here); the merge driver and the hooks
start once per file inside other people's git commands. A lazy pattern costs nothing until a
line needs it; after its first use its methods are the compiled pattern's own.

What compiles it is ``re.compile``, unless the process's entry chose another that gives the
same pattern (``patterncache``: from compiled code kept beside the package, without ``re``).
Every lazy pattern made is listed (``made``), so that such a cache can hold them all.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Callable

_METHODS = ("match", "fullmatch", "search", "findall", "finditer", "sub", "split")


def _re_compile(pattern: str, flags: int) -> "re.Pattern[str]":
    import re

    return re.compile(pattern, flags)


_compile: Callable[[str, int], re.Pattern[str]] = _re_compile
_MADE: list[_Lazy] = []


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> object:
        """First use: compile, and keep the compiled pattern's methods as this object's own."""
        compiled = _compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """``re.compile(pattern, flags)``, done at the pattern's first use (flags as numbers, or
    inline: ``(?i)``; naming ``re.I`` would import ``re``)."""
    made_now = _Lazy(pattern, flags)
    _MADE.append(made_now)
    return made_now  # type: ignore[return-value]


def made() -> list[tuple[str, int]]:
    """(pattern, flags) of every lazy pattern made so far (by the modules loaded)."""
    return [(p.pattern, p.flags) for p in _MADE]


def use_compiler(compile_: Callable[[str, int], re.Pattern[str]]) -> None:
    """Compile the patterns not yet used with ``compile_``, which must return what
    ``re.compile`` would."""
    global _compile
    _compile = compile_
