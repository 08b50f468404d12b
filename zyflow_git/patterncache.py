"""The package's regular expressions as compiled code, kept beside its bytecode.

Importing ``re`` costs the merge driver and every hook ~25 million instructions here (enum,
functools, collections, re's parser and compiler), before each pattern's own compile. This
cache keeps, per (pattern, flags), the arguments ``re`` itself hands to ``_sre.compile``
(flags, code, groups), with ``marshal``, in ``__pycache__`` beside this module: one file per
interpreter (its name holds the cache tag and exact version, its header the whole
``sys.version`` and ``_sre.MAGIC``, so another build or version reads nothing). A hit builds the pattern with
``_sre`` alone. A miss compiles with ``re`` and adds the patterns of the loaded modules to the
file the way Python writes bytecode: only when ``sys.dont_write_bytecode`` is off, atomically.
An entry is written only when the pattern ``_sre`` builds from it equals ``re.compile``'s
(code, flags, groups), else the pattern is written as one to leave to ``re``; a file that does
not read back whole is ignored. ``install.sh`` fills it (``write_cache``), and ``zyflow-git
install`` where there is none or another version of the package wrote it (``has_cache``).
"""

from __future__ import annotations

import os
import sys

from .core import lazyre

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

_FORMAT = 2  # this module's layout of the file: (header, entries, package version)
# _sre.compile's arguments after the pattern: flags, code, groups - 1, groupindex, indexgroup;
# None for a pattern this interpreter's re does not build that way (so no process tries again)
Entry = tuple
_cache: dict[tuple[str, int], Entry | None] | None = None
_written_for = ""  # the package version that wrote the file read
_ABSENT = ()


def install() -> None:
    """Compile this process's lazy patterns through the cache."""
    lazyre.use_compiler(compiled)


def compiled(pattern: str, flags: int) -> "re.Pattern[str]":
    """The pattern from the cache, or compiled by ``re`` (and then the cache brought up to date)."""
    entry = _entries().get((pattern, flags), _ABSENT)
    if entry:
        import _sre

        try:
            return _sre.compile(pattern, *entry)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - a damaged entry: re compiles it, as without a cache
            pass
    import re

    made = re.compile(pattern, flags)
    if entry is _ABSENT and not sys.dont_write_bytecode:
        _add(lazyre.made())
    return made


def cache_file() -> str:
    """The file of this interpreter: the cache tag and the exact version in its name (3.11.7 and
    3.11.8 sharing a package each keep their own instead of rewriting one in turn)."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    return os.path.join(folder, f"zyflow-patterns.{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal")


def _header() -> tuple[object, ...]:
    import _sre

    return (_FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE)


def _entries() -> dict[tuple[str, int], Entry | None]:
    """The cache for this interpreter (empty when there is none, or it is another's or damaged)."""
    global _cache, _written_for
    if _cache is None:
        _cache = {}
        import marshal

        try:
            with open(cache_file(), "rb") as fh:
                header, entries, version = marshal.loads(fh.read())
            if header == _header() and type(entries) is dict:
                _cache, _written_for = entries, version
        except (OSError, ValueError, EOFError, TypeError):
            pass
    return _cache


def has_cache() -> bool:
    """Whether this interpreter has a cache, written by this version of the package (an
    upgrade's new patterns would otherwise wait for a process allowed to write bytecode)."""
    return bool(_entries()) and _written_for == _version()


def _version() -> str:
    from . import __version__

    return __version__


def entry_of(pattern: str, flags: int) -> Entry | None:
    """What ``_sre.compile`` takes after the pattern to build ``re.compile(pattern, flags)``,
    or None where this interpreter's ``re`` does not build patterns that way (then the pattern
    is never cached). Uses ``re``'s compiler, and holds its answer to ``re.compile``'s."""
    import re

    import _sre

    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        built = _sre.compile(pattern, *entry)
    except Exception:  # noqa: BLE001 - another version's internals: no cache, re as always
        return None
    wanted = re.compile(pattern, flags)
    if built != wanted or built.groups != wanted.groups or dict(built.groupindex) != dict(wanted.groupindex):
        return None
    return entry


def _add(keys: list[tuple[str, int]], rewrite: bool = False) -> None:
    """Write the cache with ``keys`` added (None for those ``entry_of`` cannot build); never
    fails: a cache is only ever a shortcut. Where the folder cannot be written (a system-wide
    install) nothing is computed: every process of such an install compiles with ``re``, as
    before. ``rewrite``: write even when nothing was added (to record this version)."""
    path = cache_file()
    folder = os.path.dirname(path)
    if not os.access(folder if os.path.isdir(folder) else os.path.dirname(folder), os.W_OK):
        return
    entries = dict(_entries())
    added = False
    for key in keys:
        if key not in entries and type(key[0]) is str:
            entries[key] = entry_of(*key)
            added = True
    if not added and not rewrite:
        return
    import marshal
    from _thread import get_ident

    tmp = f"{path}.{os.getpid()}.{get_ident()}.tmp"  # a file per writer (a server's threads too)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(marshal.dumps((_header(), entries, _version())))  # type: ignore[arg-type]
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    global _cache, _written_for
    _cache, _written_for = entries, _version()


def write_cache() -> int:
    """Import every module of the package and cache all its lazy patterns, even when
    ``sys.dont_write_bytecode`` is on (as ``compileall`` writes bytecode). Returns how many
    patterns the cache holds as compiled code."""
    import importlib
    import pkgutil

    package = sys.modules[__package__ or "zyflow_git"]
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if info.name.endswith(".__main__") or info.name.startswith(tuple(f"{package.__name__}.{n}" for n in ("board", "mcpserver", "cli"))):
            continue  # the entry point (it runs), and the faces that import web and protocol stacks
        importlib.import_module(info.name)
    _add(lazyre.made(), rewrite=True)
    return sum(1 for entry in _entries().values() if entry)


if __name__ == "__main__":  # python -m zyflow_git.patterncache: the package's own module, not this copy
    from zyflow_git import patterncache

    print(f"zyflow-git: {patterncache.write_cache()} patterns cached in {patterncache.cache_file()}")
