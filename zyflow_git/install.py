"""Install and uninstall zyflow-git in a repository: merge driver config, .gitattributes, hooks.

Everything install adds is recorded in ``<git dir>/zyflow/install.json`` so that uninstall
removes exactly that and nothing else.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import config as cfg
from .fsio import write_atomic
from .gitcli import config_get, git, git_path, toplevel
from .sections import BEGIN, replace_section

Say = Callable[[str], None]

DRIVER_NAME = "zyflow-git structured task-list merge"


def executable() -> str:
    """Absolute path of the installed ``zyflow-git`` script (GUI clients have another PATH)."""
    for candidate in (Path(sys.argv[0]), Path(sys.executable).parent / "zyflow-git"):
        if candidate.name in ("zyflow-git", "git-zyflow") and candidate.is_file():
            script = candidate.absolute().parent / "zyflow-git"  # git-zyflow's sibling
            return str(script if script.is_file() else candidate.absolute())
    found = shutil.which("zyflow-git")
    if found:
        return str(Path(found).absolute())
    return f"{sys.executable} -m zyflow_git"


# git 2.44 passes the conflict labels it would write itself (%S ancestor, %X ours, %Y theirs:
# HEAD, a branch, a commit's subject during a rebase); older gits get the fixed ones.
LABELS_SINCE = (2, 44)


def driver_command(exe: str, labels: bool = False) -> str:
    """The ``merge.zyflow.driver`` value: the driver, and git's line merge if the driver is gone.

    git runs this with sh. Exit 1 from the driver means conflicts (markers written); any other
    failure (127: executable missing, a broken venv) falls back to ``git merge-file`` so a merge
    never silently keeps ours alone. With ``labels`` the markers carry git's own labels.
    """
    head = shlex.quote(exe) if " -m " not in exe else exe
    head = head.replace("%", "%%")  # git expands %O, %A, ... in the command, and %% to %
    names = ("%X", "%S", "%Y") if labels else ("ours", "base", "theirs")
    return (
        f"{head} merge-driver %O %A %B %L %P{' %S %X %Y' if labels else ''} || {{ rc=$?; [ $rc -eq 1 ] && exit 1; "
        "echo \"zyflow-git: merge driver unavailable (exit $rc); used git merge-file\" >&2; "
        f"git merge-file --marker-size=%L -L {names[0]} -L {names[1]} -L {names[2]} %A %O %B; }}"
    )


def git_version(cwd: Path | None = None) -> tuple[int, ...]:
    """The installed git's version (2, 39, 5), or () when it cannot be read."""
    import re

    found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", git("version", cwd=cwd, check=False).stdout.decode())
    return tuple(int(n) for n in found.groups() if n is not None) if found else ()


def driver_executable(command: str) -> str | None:
    """The executable a configured driver command runs."""
    try:
        words = shlex.split(command.split("||")[0])
    except ValueError:
        return None
    return words[0].replace("%%", "%") if words else None


def expand_driver(command: str, values: dict[str, str]) -> str:
    """The command as git runs it: %O %A %B %L %P replaced, %% made %, any other % kept."""
    import re

    return re.sub(r"%([%OABLP])", lambda m: "%" if m.group(1) == "%" else values[m.group(1)], command)


@dataclass
class InstallRecord:
    """What install added, so uninstall can take exactly that away."""

    config_keys: list[str] = field(default_factory=list)
    attributes_file: str | None = None
    attributes_created: bool = False
    toml_created: str | None = None
    attributes_newline_added: bool = False  # the file lacked a final newline before our section
    attributes_section_added: bool | None = None  # False: the section was committed, not ours to remove
    hooks: dict[str, str] = field(default_factory=dict)  # hook name -> "created" | "section"
    shared: list[list[str]] = field(default_factory=list)  # [key, value] lines of install --share

    @classmethod
    def load(cls, path: Path) -> "InstallRecord":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(self.__dict__, indent=2).encode())


def record_path(cwd: Path | None = None) -> Path:
    return git_path("zyflow/install.json", cwd)


def attribute_lines(patterns: tuple[str, ...]) -> list[str]:
    return [f"{p} merge=zyflow" for p in patterns]


def install_driver(cwd: Path | None = None, out: Say = print, presets: tuple[str, ...] | None = None) -> InstallRecord:
    """Register the merge driver and the attributes; idempotent. Everything is read and
    checked before anything is written, so a refusal leaves the repository as it was.
    A new ``.zyflow.toml`` gets the patterns of ``presets``, or of those detected."""
    top = toplevel(cwd)
    rec_path = record_path(cwd)
    record = InstallRecord.load(rec_path)
    toml = top / cfg.CONFIG_NAME
    creating = not os.path.lexists(toml)  # a dangling link is not "no file": load() refuses links
    if creating:
        chosen = _choose_presets(top, presets, out)
        document = cfg.default_document(chosen)
        conf = cfg.Config(tuple(document["merge"]["patterns"]))  # type: ignore[index]
    else:
        conf = cfg.load(top)
        if presets:
            wanted = [p for name in presets for p in cfg.PRESETS[name][1] if p not in conf.patterns]
            if wanted:
                out(f"{toml} exists and is yours: add {', '.join(repr(p) for p in wanted)} to merge.patterns, "
                    "then run install again")
    attrs = top / ".gitattributes"
    existed = os.path.lexists(attrs)
    old = _read_attributes(attrs) if existed else ""
    new = replace_section(old, attribute_lines(conf.patterns))
    if creating:
        data = cfg.dumps(document).encode()
        write_atomic(toml, data)
        record.toml_created = data.decode()
        out(f"wrote {toml}")
    # The driver before the name: git dies on a merge whose driver has a name but no command.
    git("config", "merge.zyflow.driver", driver_command(executable(), git_version(top) >= LABELS_SINCE), cwd=top)
    git("config", "merge.zyflow.name", DRIVER_NAME, cwd=top)
    for key in ("merge.zyflow.driver", "merge.zyflow.name"):
        if key not in record.config_keys:
            record.config_keys.append(key)
    if record.attributes_section_added is None:
        record.attributes_section_added = BEGIN not in old  # a committed section is the repository's
    if new != old:
        if old and not old.endswith("\n") and BEGIN not in old:
            record.attributes_newline_added = True
        write_atomic(attrs, new.encode("utf-8", "surrogateescape"))
        out(f"updated {attrs}")
    record.attributes_file = str(attrs)
    if not existed:
        record.attributes_created = True
    record.save(rec_path)
    _warm_pattern_cache()
    out(f"merge driver registered: merge.zyflow.driver -> {executable()}")
    return record


def _warm_pattern_cache() -> None:
    """Compile the package's patterns into its cache (``patterncache``) when this interpreter
    has none yet (writing it imports every module: ~0.2 s), so that the first merge and hook
    already start without ``re``; a cache is a shortcut, so nothing here fails."""
    try:
        from .patterncache import has_cache, write_cache

        if not has_cache():
            write_cache()
    except Exception:  # noqa: BLE001 - a read-only install: the driver compiles as it always did
        pass


def _choose_presets(top: Path, presets: tuple[str, ...] | None, out: Say) -> tuple[str, ...]:
    """The presets asked for, or those whose files the repository has (said either way)."""
    if presets:
        out("presets: " + ", ".join(cfg.PRESETS[name][0] for name in presets))
        return presets
    listed = git("ls-files", "-z", cwd=top, check=False).stdout.split(b"\0")
    found = cfg.detect_presets([p.decode("utf-8", "surrogateescape") for p in listed if p])
    if found:
        out("detected: " + ", ".join(f"{cfg.PRESETS[name][0]} ({n} file{'s' * (n != 1)})" for name, n in found.items()))
    return tuple(found)


MAX_ATTRIBUTES_BYTES = 1024 * 1024


def _read_attributes(path: Path) -> str:
    """.gitattributes as text; a link is refused (writing would copy its target into a file
    the next commit publishes), as is anything but a regular file of sane size."""
    from .fsio import read_regular

    return read_regular(path, MAX_ATTRIBUTES_BYTES).decode("utf-8", "surrogateescape")


def install_hooks(cwd: Path | None = None, out: Say = print) -> InstallRecord:
    """Put our sections into post-commit, post-checkout, post-merge and post-rewrite."""
    from .hooks import HOOKS, hooks_dir, install_hook, manager_of, manager_snippet, shim

    top = toplevel(cwd)
    rec_path = record_path(cwd)
    record = InstallRecord.load(rec_path)
    exe = executable()
    manager = manager_of(top)
    if manager is not None:
        out(f"hooks are managed by {manager}: add this to its configuration instead")
        out(manager_snippet(manager, exe))
        return record
    conf = cfg.load(top)
    folder = hooks_dir(top)
    names = HOOKS + (("prepare-commit-msg",) if conf.trailers else ())
    for name in names:
        result = install_hook(folder, name, shim(name, exe, conf.patterns))
        if result == "created" or (result != "skipped" and name not in record.hooks):
            record.hooks[name] = "created" if result == "created" else "section"
        if result == "skipped":
            out(f"{folder / name} is a link or not a shell script; left alone. Call `{exe} hook {name}` from it.")
        elif result != "unchanged":
            out(f"{result} {folder / name}")
    record.save(rec_path)
    return record


def uninstall_hooks(cwd: Path | None = None, out: Say = print) -> None:
    from .hooks import HOOKS, hooks_dir, uninstall_hook

    top = toplevel(cwd)
    record = InstallRecord.load(record_path(cwd))
    folder = hooks_dir(top)
    for name in HOOKS + ("prepare-commit-msg",):
        result = uninstall_hook(folder, name, record.hooks.get(name) == "created")
        if result != "absent":
            out(f"{result} {folder / name}" if result == "deleted" else f"removed our section from {folder / name}")


def uninstall_driver(cwd: Path | None = None, out: Say = print) -> None:
    """Remove the driver config, our .gitattributes section and an untouched default .zyflow.toml."""
    top = toplevel(cwd)
    rec_path = record_path(cwd)
    record = InstallRecord.load(rec_path)
    # The name first: git fails a merge whose driver has a name but no command, never one
    # with a command and no name. Keys of the user's own (merge.zyflow.recursive) stay.
    removed = False
    for key in ("merge.zyflow.name", "merge.zyflow.driver"):
        if config_get(key, top) is not None:
            git("config", "--unset-all", key, cwd=top, check=False)
            removed = True
    if removed:
        if not git("config", "--get-regexp", r"^merge\.zyflow\.", cwd=top, check=False).stdout.strip():
            git("config", "--remove-section", "merge.zyflow", cwd=top, check=False)
        out("removed merge.zyflow.driver and merge.zyflow.name from git config")
    attrs = top / ".gitattributes"
    if record.attributes_section_added is False and os.path.lexists(attrs):
        out(f"left the zyflow-git section of {attrs}: it was committed, not added by this install "
            "(remove it in a commit if the repository should stop using the driver)")
    elif os.path.lexists(attrs) and not attrs.is_symlink():
        old = _read_attributes(attrs)
        new = replace_section(old, None)
        if new != old and record.attributes_newline_added and new.endswith(("\r\n", "\n")):
            new = new[: -2 if new.endswith("\r\n") else -1]
        if new != old:
            if not new.strip() and record.attributes_created:
                attrs.unlink()
                out(f"removed {attrs}")
            else:
                write_atomic(attrs, new.encode("utf-8", "surrogateescape"))
                out(f"updated {attrs}")
    unshare(top, record, out)
    toml = top / cfg.CONFIG_NAME
    if record.toml_created and toml.exists() and toml.read_text(encoding="utf-8") == record.toml_created:
        toml.unlink()
        out(f"removed {toml}")
    if rec_path.exists():
        os.unlink(rec_path)


def mcp_snippets(exe: str, top: str) -> str:
    """How to register ``zyflow-git mcp`` for this repository with Claude Code, Codex and
    Cursor, with the absolute paths filled in."""
    import json
    import shlex

    import tomli_w

    args = ["mcp", "--repo", top]
    command = exe.split(" ") if " " in exe and not Path(exe).exists() else [exe]
    toml = tomli_w.dumps({"mcp_servers": {"zyflow-git": {"command": command[0], "args": command[1:] + args}}})
    cursor = json.dumps({"mcpServers": {"zyflow-git": {"command": command[0], "args": command[1:] + args}}}, indent=2)
    return (
        "MCP server for agents (zyflow-git mcp):\n"
        "  Claude Code (run in this repository):\n"
        f"    claude mcp add zyflow-git -- {shlex.join(command + args)}\n"
        "  Codex (~/.codex/config.toml, or .codex/config.toml in a trusted project):\n"
        + "".join(f"    {line}\n" for line in toml.splitlines())
        + "  Cursor (.cursor/mcp.json):\n"
        + "".join(f"    {line}\n" for line in cursor.splitlines())
    )


def share(remote: str | None, cwd: Path | None = None, out: Say = print) -> None:
    """Make plain ``git fetch`` and ``git push`` carry the runtime log to and from ``remote``
    (default: the branch's remote, else origin), saying each line it adds; idempotent."""
    from .reconcile import Repo
    from .remotes import default_remote, share_config

    repo = Repo(cwd)
    remote = remote or default_remote(repo)
    rec_path = record_path(cwd)
    record = InstallRecord.load(rec_path)
    existing = git("config", "--get-all", f"remote.{remote}.push", cwd=repo.top, check=False).stdout.decode().split()
    for key, value in share_config(remote):
        have = git("config", "--get-all", key, cwd=repo.top, check=False).stdout.decode().split("\n")
        if value in have:
            continue
        if key.endswith(".push") and value == "HEAD" and existing:
            continue  # the user's own push refspecs already say what a plain push sends
        git("config", "--add", key, value, cwd=repo.top)
        record.shared.append([key, value])
        why = {"HEAD": "(so a plain `git push` still pushes the current branch)"}.get(value, "")
        out(f"git config --add {key} {value} {why}".rstrip())
    record.save(rec_path)
    out(f"plain `git fetch {remote}` and `git push {remote}` now carry refs/zyflow/runtime; "
        "`zyflow-git uninstall` removes these lines")


def unshare(top: Path, record: InstallRecord, out: Say) -> None:
    """Remove exactly the config lines ``install --share`` added."""
    for key, value in record.shared:
        if git("config", "--fixed-value", "--unset", key, value, cwd=top, check=False).returncode == 0:
            out(f"git config --unset {key} {value}")
    record.shared = []
