"""Manual pages from the click commands, so they never drift from ``--help``.

``python -m zyflow_git.manpage man/`` writes ``zyflow-git.1`` and ``git-zyflow.1`` (what
``git zyflow --help`` shows: git turns it into ``git help zyflow``, which runs ``man git-zyflow``).
The package ships them into ``share/man/man1`` beside the ``bin`` on PATH, where ``man`` looks;
a test checks that the shipped pages equal what this module writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_CODES = (("0", "ok (a clean merge)"), ("1", "conflicts left, or a check found problems"),
              ("2", "usage error or bad input"), ("3", "internal error, or the state store cannot be written"),
              ("4", "stale: the task changed since the version expected (--expect), or someone else holds it"), ("130", "interrupted"))


def _roff(text: str) -> str:
    """Text safe in roff: backslashes escaped, no line starting with a control character."""
    out = []
    for line in text.replace("\\", "\\e").splitlines():
        out.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(out)


def render(name: str) -> str:
    """The manual page of ``name`` (zyflow-git or git-zyflow)."""
    from . import cli as cli_module

    group = cli_module.cli
    ctx = click.Context(group, info_name=name)
    program = "git zyflow" if name == "git-zyflow" else "zyflow-git"
    lines = [f'.TH {name.upper()} 1 "" "zyflow-git" "zyflow-git manual"',
             ".SH NAME", f"{name} \\- git as the single source of truth for Markdown task lists",
             ".SH SYNOPSIS", f".B {program}", "\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]...",
             ".SH DESCRIPTION", _roff(group.help or ""),
             "A structured merge driver for task files, a SQLite store kept in step by git hooks, runtime "
             "state recorded in git (refs/zyflow/runtime), and history as the event log. "
             "See README.md and docs/ in the source for the whole story.",
             ".SH COMMANDS"]
    for sub_name in group.list_commands(ctx):
        command = group.get_command(ctx, sub_name)
        if command is None:
            continue
        with click.Context(command, info_name=f"{program} {sub_name}", parent=ctx) as sub_ctx:
            usage = " ".join(command.collect_usage_pieces(sub_ctx))
            lines += [".TP", f".B {program} {sub_name}" + (f" {_roff(usage)}" if usage else ""),
                      _roff((command.help or "").strip())]
            for param in command.get_params(sub_ctx):
                record = param.get_help_record(sub_ctx)
                if record is not None and not record[0].endswith("--help"):
                    lines += [".RS", ".TP", f".B {_roff(record[0])}", _roff(record[1]), ".RE"]
    lines += [".SH EXIT STATUS"]
    for code, meaning in EXIT_CODES:
        lines += [".TP", f".B {code}", meaning]
    lines += [".SH SEE ALSO", "git(1), gitattributes(5), githooks(5)", ""]
    return "\n".join(lines)


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in ("zyflow-git", "git-zyflow"):
        path = folder / f"{name}.1"
        path.write_text(render(name), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for written in write(Path(sys.argv[1] if len(sys.argv) > 1 else "man")):
        print(written)
