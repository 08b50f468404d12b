"""Git hooks: tiny POSIX sh shims that keep the state store in step, installed beside the
user's own hooks in a marked section, never in their place.

Each shim skips Python entirely when no task file changed since the commit the store mirrors
(plain ``git diff --quiet``), guards against recursion, calls the absolute path of the
installed executable, and fails open: whatever happens, the user's git command goes on.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from . import config as cfg
from .gitcli import config_get, git_path
from .sections import BEGIN, END, find

HOOKS = ("post-commit", "post-checkout", "post-merge", "post-rewrite")
MANAGERS = {"husky": ".husky", "lefthook": "lefthook", "pre-commit": "pre-commit.com"}

# The shims are real files, readable and reviewable: zyflow_git/resources/hooks/<name>. Each
# skips Python when no task file changed since the commit the store mirrors, guards against
# recursion, calls the absolute executable and fails open.
SCRIPTS = Path(__file__).resolve().parent / "resources" / "hooks"


def hooks_dir(cwd: Path) -> Path:
    """Where git looks for hooks here (honours core.hooksPath and worktrees)."""
    return git_path("hooks", cwd)


def shim(name: str, exe: str, patterns: tuple[str, ...]) -> str:
    """Our section of hook ``name``: its script with the executable and the pathspecs filled in."""
    specs = " ".join(shlex.quote(s) for s in cfg.pathspecs(patterns))
    script = (SCRIPTS / name).read_text(encoding="utf-8")
    body = script.replace("@EXE@", shlex.quote(exe)).replace("@PATHSPECS@", specs)
    return f"{BEGIN}\n{body}{END}\n"


def manager_of(top: Path) -> str | None:
    """The hook manager that owns this repository's hooks, if any."""
    hooks_path = config_get("core.hooksPath", top) or ""
    if ".husky" in hooks_path:
        return "husky"
    if any((top / f).exists() for f in ("lefthook.yml", ".lefthook.yml", "lefthook.yaml")):
        return "lefthook"
    folder = hooks_dir(top)
    for name in HOOKS:
        f = folder / name
        if f.exists():
            text = f.read_text(encoding="utf-8", errors="replace")
            if "lefthook" in text:
                return "lefthook"
    return None


# The line a hook manager's committed configuration runs: whoever clones has zyflow-git on PATH
# or is told once per hook that task state is not kept in step; it never fails the git command.
PORTABLE = ('if command -v zyflow-git >/dev/null 2>&1; then zyflow-git hook {hook} {args} || true; '
            'else echo "zyflow-git is not on PATH: task state not kept in step" >&2; fi')


def manager_snippet(manager: str, exe: str) -> str:
    """What to add to a hook manager's configuration instead of touching its hooks: meant to be
    committed, so it names no path of this machine (``exe`` is said, not written in)."""
    if manager == "husky":
        return "\n".join(f"# .husky/{h}\n" + PORTABLE.format(hook=h, args='"$@"') for h in HOOKS)
    return "# lefthook.yml\n" + "\n".join(
        f"{h}:\n  commands:\n    zyflow-git:\n      run: " + PORTABLE.format(hook=h, args="{0}") for h in HOOKS)


def is_shell_script(text: str) -> bool:
    first = text.splitlines()[0] if text else ""
    return first.startswith("#!") and any(s in first for s in ("/sh", "bash", "dash", "zsh", "env sh"))


def install_hook(folder: Path, name: str, body: str) -> str:
    """Put our section into hook ``name``: "created", "updated", "unchanged" or "skipped"
    (a link, or a foreign hook that is not a shell script: we never rewrite or rename it)."""
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        return "skipped"  # never write through a link (nor replace the user's link with a copy)
    if not path.exists():
        path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
        os.chmod(path, 0o755)
        return "created"
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    found = find(text)
    if found is not None:
        lines, start, end = found
        new = "".join(lines[:start]) + body + "".join(lines[end + 1:])
        if new == text:
            return "unchanged"
        _write(path, new)
        return "updated"
    if not is_shell_script(text):
        return "skipped"
    # After the shebang, so a user script that ends with `exit` still lets ours run.
    first, _, rest = text.partition("\n")
    _write(path, first + "\n" + body + rest)
    return "updated"


def uninstall_hook(folder: Path, name: str, created: bool) -> str:
    """Take our section out of hook ``name``; delete the file only if we created it and
    nothing else is in it. Returns "removed", "deleted" or "absent"."""
    path = folder / name
    if not path.exists() or path.is_symlink():
        return "absent"  # install never writes into a link
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    found = find(text)
    if found is None:
        return "absent"
    lines, start, end = found
    new = "".join(lines[:start]) + "".join(lines[end + 1:])
    if created and new.strip() in ("#!/bin/sh", ""):
        path.unlink()
        return "deleted"
    _write(path, new)
    return "removed"


def _write(path: Path, text: str) -> None:
    from .fsio import write_atomic

    write_atomic(path, text.encode("utf-8", "surrogateescape"))


def reachable(top: Path) -> dict[str, dict[str, object]]:
    """Per hook: whether git will run our section (file present, executable, section inside)."""
    folder = hooks_dir(top)
    out: dict[str, dict[str, object]] = {}
    for name in HOOKS + ("prepare-commit-msg",):
        path = folder / name
        if name not in HOOKS and not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        out[name] = {
            "path": str(path),
            "installed": BEGIN in text,
            "executable": path.exists() and os.access(path, os.X_OK),
        }
        out[name]["ok"] = bool(out[name]["installed"] and out[name]["executable"])
    return out
