"""``.zyflow.toml``: the task-file patterns and options of a repository."""

from __future__ import annotations

import os

from .core.globs import MAX_PATTERNS, PathMatcher, check_pattern
from .core.record import Record
from .errors import BadInput

CONFIG_NAME = ".zyflow.toml"
# The task-file layouts of the tools people use: name -> (what it is, patterns). `install`
# detects them (see docs/format.md); the default patterns already cover the tasks.md ones.
PRESETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "openspec": ("OpenSpec", ("/openspec/changes/*/tasks.md", "/openspec/changes/archive/**/tasks.md")),
    "spec-kit": ("spec-kit", ("/specs/*/tasks.md",)),
    "kiro": ("Kiro", ("/.kiro/specs/*/tasks.md",)),
    "backlog": ("Backlog.md", ("/backlog/tasks/*.md", "/backlog/drafts/*.md", "/backlog/completed/*.md")),
    "gsd": ("GSD", ("/.planning/*.md",)),
}
# Front-matter rules a preset writes (the same as the built-in defaults, written down).
PRESET_RULES: dict[str, dict[str, object]] = {
    "backlog": {"status": {"order": ["To Do", "In Progress", "Done"]}, "updated_date": "max", "labels": "union",
                "dependencies": "union"},
    "gsd": {"last_updated": "max", "last_activity": "max"},
}
MAX_CONFIG_BYTES = 256 * 1024
DEFAULT_PATTERNS = ("tasks.md", "**/tasks.md")


class Config(Record):
    """Task-file patterns (gitattributes syntax), whether to add commit trailers, the raw table."""

    __slots__ = ("patterns", "trailers", "extra")

    def __init__(self, patterns: tuple[str, ...] = DEFAULT_PATTERNS, trailers: bool = False,
                 extra: dict[str, object] | None = None) -> None:
        self.patterns = patterns
        self.trailers = trailers
        self.extra = extra or {}


def load(top: str | os.PathLike[str], cache_dir: str | None = None) -> Config:
    """Read ``.zyflow.toml`` at the work tree's top (defaults when absent).

    With ``cache_dir`` (the hooks' path), the patterns are kept in ``config-cache`` keyed by
    the file's size and mtime: tomllib costs ~11 ms to import, a tenth of a hook's budget. The
    cache is lines (key, trailers, patterns: check_pattern allows no white space in a pattern),
    not JSON, so that a read of a fresh store imports neither json nor re.
    """
    path = os.path.join(top, CONFIG_NAME)
    try:
        st = os.lstat(path)  # never through a link: a clone could point it at /dev/zero or a secret
    except FileNotFoundError:
        return Config()
    if cache_dir is not None:
        cache = os.path.join(cache_dir, "config-cache")
        key = f"{st.st_mtime_ns}:{st.st_size}"
        try:
            with open(cache, encoding="utf-8") as fh:
                saved = fh.read().split("\n")
            if saved[0] == key and saved[1] in ("0", "1") and saved[-1] == "":
                return Config(tuple(saved[2:-1]), saved[1] == "1")
        except (OSError, ValueError, IndexError):
            pass
        conf = load(top)
        try:
            from .fsio import write_atomic

            os.makedirs(cache_dir, exist_ok=True)
            write_atomic(cache, "".join(f"{line}\n" for line in (key, str(int(conf.trailers)), *conf.patterns)).encode())
        except OSError:
            pass
        return conf
    import tomllib

    from .fsio import read_regular

    raw = read_regular(path, MAX_CONFIG_BYTES)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise BadInput(f"{path}: {err}") from None
    except RecursionError:
        raise BadInput(f"{path}: nested too deeply") from None
    merge = data.get("merge", {})
    patterns = merge.get("patterns", list(DEFAULT_PATTERNS)) if isinstance(merge, dict) else None
    if not isinstance(patterns, list):
        raise BadInput(f"{path}: merge.patterns must be a list of patterns")
    if len(patterns) > MAX_PATTERNS:
        raise BadInput(f"{path}: merge.patterns has {len(patterns)} patterns; at most {MAX_PATTERNS}")
    for pattern in patterns:
        why = check_pattern(pattern)
        if why is not None:
            raise BadInput(f"{path}: merge.patterns: {str(pattern)[:80]!r} {why}")
    from .mergerules import parse_rules

    parse_rules(merge.get("front_matter"), str(path))  # checked here, used by the merge driver
    audit = data.get("audit", {})
    trailers = audit.get("trailers", data.get("trailers", False)) if isinstance(audit, dict) else False
    return Config(tuple(patterns), bool(trailers), data)


def matcher(patterns: tuple[str, ...]) -> PathMatcher:
    """Matches repository paths the way .gitattributes matches these patterns: a pattern
    without "/" matches a file name at any depth, one with "/" the whole path."""
    return PathMatcher(patterns)


def pathspecs(patterns: tuple[str, ...]) -> list[str]:
    """The same patterns as git pathspecs (for ``git diff --quiet A B -- <pathspecs>``)."""
    return [f":(glob){p.lstrip('/')}" if "/" in p.rstrip("/") else f":(glob)**/{p}" for p in patterns]


def detect_presets(paths: list[str]) -> dict[str, int]:
    """The presets whose files the repository has: name -> how many of its files match."""
    found = {}
    for name, (_, patterns) in PRESETS.items():
        m = matcher(patterns)
        count = sum(1 for p in paths if m.match(p))
        if count:
            found[name] = count
    return found


def default_document(presets: tuple[str, ...] = ()) -> dict[str, object]:
    """What ``install`` writes when a repository has no ``.zyflow.toml``: the default patterns,
    and those of the presets (with their front-matter rules) not already covered."""
    patterns = list(DEFAULT_PATTERNS)
    covered = matcher(DEFAULT_PATTERNS)
    rules: dict[str, object] = {}
    for name in presets:
        for pattern in PRESETS[name][1]:
            probe = pattern.lstrip("/").replace("**/", "").replace("*", "x")
            if pattern not in patterns and not covered.match(probe):
                patterns.append(pattern)
        rules.update(PRESET_RULES.get(name, {}))
    merge: dict[str, object] = {"patterns": patterns}
    if rules:
        merge["front_matter"] = rules
    return {"merge": merge, "audit": {"trailers": False}}


def dumps(data: dict[str, object]) -> str:
    import tomli_w

    header = "# zyflow-git settings: which files are task lists (gitattributes patterns), and options.\n"
    return header + tomli_w.dumps(data)
