"""Task-file patterns: a documented glob grammar, checked as data, matched without backtracking.

A pattern comes from ``.zyflow.toml``, which a cloned repository controls, and ends up in
.gitattributes, in the hook scripts (as pathspecs) and in every sync. So it is validated as
data (no control characters, no shell or attribute syntax) and matched component by component
with a linear-time wildcard match: a regex of repeated ``**/`` backtracked for minutes.

Grammar: path components separated by ``/``; ``*`` any run of characters within a component,
``?`` one character, a component ``**`` any number of components. A pattern without ``/``
matches a file name at any depth (``tasks.md``); one with ``/`` matches from the top
(``docs/**/tasks.md``; a leading ``/`` is allowed). As in .gitattributes.
"""

from __future__ import annotations

from .lazyre import lazy

MAX_PATTERNS = 64
MAX_PATTERN_LENGTH = 256
# Forbidden anywhere: white space and control characters, and what means something to a
# shell, to .gitattributes (quoting, attributes, negation, comments) or to a pathspec magic.
_FORBIDDEN = lazy(r"[\s\x00-\x1f\x7f\"'\\`$;|&<>(){}\[\]!#:]")


def check_pattern(pattern: object) -> str | None:
    """Why ``pattern`` is not a valid task-file pattern, or None when it is."""
    if not isinstance(pattern, str) or not pattern:
        return "must be a non-empty string"
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is longer than {MAX_PATTERN_LENGTH} characters"
    bad = _FORBIDDEN.search(pattern)
    if bad is not None:
        return f"holds {bad.group()!r}, which is not part of the pattern grammar (see docs/format.md)"
    parts = pattern.strip("/").split("/")
    if "" in parts or any(p in (".", "..") for p in parts):
        return "has an empty, '.' or '..' component"
    if any("**" in p and p != "**" for p in parts):
        return "uses '**' inside a component (only a whole component may be '**')"
    return None


def components(pattern: str) -> tuple[str, ...]:
    """The pattern as components, anchored at the top; runs of ``**`` collapsed to one."""
    parts = pattern.strip("/").split("/")
    if "/" not in pattern.rstrip("/"):
        parts = ["**", *parts]  # a name: at any depth
    out: list[str] = []
    for p in parts:
        if not (p == "**" and out and out[-1] == "**"):
            out.append(p)
    return tuple(out)


def name_match(pat: str, name: str) -> bool:
    """``*`` and ``?`` within one component, greedy with one back-off point: O(len * len)
    at worst, never exponential."""
    p = n = 0
    star, mark = -1, 0
    while n < len(name):
        if p < len(pat) and (pat[p] == "?" or (pat[p] != "*" and pat[p] == name[n])):
            p += 1
            n += 1
        elif p < len(pat) and pat[p] == "*":
            star, mark = p, n
            p += 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            n = mark
        else:
            return False
    while p < len(pat) and pat[p] == "*":
        p += 1
    return p == len(pat)


def path_match(pattern: tuple[str, ...], path: str) -> bool:
    """Whether ``path`` matches the components of a pattern: a set of reachable positions
    advanced one path component at a time (O(components * pattern length))."""
    def close(states: set[int]) -> set[int]:
        out = set(states)
        for i in sorted(states):
            while i < len(pattern) and pattern[i] == "**":
                i += 1
                out.add(i)
        return out

    states = close({0})
    for comp in path.split("/"):
        nxt = set()
        for i in states:
            if i < len(pattern):
                if pattern[i] == "**":
                    nxt.add(i)
                elif name_match(pattern[i], comp):
                    nxt.add(i + 1)
        if not nxt:
            return False
        states = close(nxt)
    return len(pattern) in states


class PathMatcher:
    """Matches repository paths against task-file patterns; ``match(path)`` is a bool."""

    __slots__ = ("_patterns", "_suffixes", "_seen")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self._patterns = [components(p) for p in patterns]
        # The literal end of each pattern's last component: a C-speed filter for most paths.
        self._suffixes = tuple(c[-1][max(c[-1].rfind("*"), c[-1].rfind("?")) + 1:] for c in self._patterns)
        self._seen: dict[str, bool] = {}  # a history walk asks about the same paths at every commit

    def match(self, path: str) -> bool:
        if not path.endswith(self._suffixes):
            return False
        known = self._seen.get(path)
        if known is None:
            known = self._seen[path] = any(path_match(p, path) for p in self._patterns)
        return known
