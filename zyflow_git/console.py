"""What the commands print: text with control characters made visible, JSON with them escaped.

Task titles, author names, commit subjects and paths come from repositories others wrote; raw,
an escape sequence in them could clear the screen, retitle the window or write the clipboard
(OSC 52), even through a pipe into a terminal. Text output shows them as ``\\x1b``; JSON keeps
the data, escaped as JSON escapes (C1 controls and bidirectional overrides too, which
``json.dumps`` leaves raw).
"""

from __future__ import annotations

import sys

from .core.lazyre import lazy

# C0 but tab and newline, DEL, C1, and the bidirectional overrides and isolates.
_UNSAFE = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = lazy("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``)."""
    if text.isascii() and text.isprintable():  # the common case, without a regex pass
        return text
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def echo(text: object = "", err: bool = False) -> None:
    """click.echo for text meant for a terminal."""
    import click

    click.echo(printable(str(text)), err=err)


def echo_json(data: object, indent: int | None = 2) -> None:
    """Print ``data`` as JSON; control characters escaped as JSON escapes them. A list of
    objects is printed one object a line (json's C encoder: indenting thousands of task objects
    takes its pure-Python one, ten times slower), anything else indented."""
    import json

    if indent and isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        text = "[\n" + ",\n".join(" " * indent + json.dumps(item, ensure_ascii=False) for item in data) + "\n]"
    else:
        text = json.dumps(data, ensure_ascii=False, indent=indent)
    if not text.isascii() or "\x7f" in text:  # (ASCII holds no C1 control or bidi mark but DEL)
        text = _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


# -- on a terminal: colour, width, pager (git's ways); plain when piped -----------------------------

COLOR = "auto"  # the group's --color: auto, always or never
PAGER = True  # the group's --no-pager turns it off

STYLES: dict[str, dict[str, object]] = {
    "done": {"fg": "green"}, "in_progress": {"fg": "yellow"}, "blocked": {"fg": "red"},
    "review": {"fg": "magenta"}, "todo": {}, "id": {"fg": "cyan"}, "dim": {"dim": True},
    "added": {"fg": "green"}, "removed": {"fg": "red"}, "checked": {"fg": "green"}, "unchecked": {"fg": "yellow"},
    "edited": {"fg": "blue"}, "moved": {"fg": "blue"}, "relabelled": {"fg": "blue"},
    "status": {"fg": "magenta"}, "assigned": {"fg": "magenta"}, "noted": {"fg": "magenta"},
}


def _terminal() -> bool:
    import sys

    return sys.stdout.isatty()


def use_color() -> bool:
    """Colour: --color=always, or on a terminal unless NO_COLOR is set or TERM is dumb (asked
    once per process and option: a table of 2,000 lines asks 2,000 times)."""
    key = COLOR
    if key not in _COLOR_ANSWER:
        _COLOR_ANSWER[key] = _use_color()
    return _COLOR_ANSWER[key]


_COLOR_ANSWER: dict[str, bool] = {}


def _use_color() -> bool:
    import os

    if COLOR == "always":
        return True
    if COLOR == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return _terminal()


def part(text: object, style: str | None = None) -> tuple[str, str | None]:
    """A piece of a line: its text (made printable) and its style."""
    return printable(str(text)), style


def render(parts: list[tuple[str, str | None]], shrink: int | None = None, width: int | None = None) -> str:
    """One line from its parts, coloured where wanted; on a terminal, the part at index
    ``shrink`` (a title) is cut so that the line fits the width and the rest (the path) stays."""
    if width is not None and shrink is not None:
        over = sum(len(t) for t, _ in parts) - width
        if over > 0:
            text, style = parts[shrink]
            keep = max(8, len(text) - over - 1)
            parts = parts[:shrink] + [(text[:keep] + "…" if keep < len(text) else text, style)] + parts[shrink + 1:]
    if not use_color():
        return "".join(t for t, _ in parts)
    import click

    return "".join(click.style(t, **STYLES[s]) if s and STYLES.get(s) else t for t, s in parts)  # type: ignore[arg-type]


def width() -> int | None:
    """The terminal's width, when output goes to one (COLUMNS is honoured), else None."""
    if not _terminal():
        return None
    import shutil  # (imports bz2, lzma and zlib: not for piped output)

    return shutil.get_terminal_size().columns


def show(lines: list[str]) -> None:
    """Print already-safe lines; on a terminal through the pager as git would (GIT_PAGER,
    core.pager, PAGER, then less with LESS=FRX, so short output does not page)."""
    import os

    text = "".join(line + "\n" for line in lines)
    if not (PAGER and _terminal() and lines):
        if use_color():
            import click

            click.echo(text, nl=False, color=True)
        else:
            sys.stdout.write(text)
        return
    import click

    pager = os.environ.get("GIT_PAGER")
    if pager is None:
        from .gitcli import config_get

        try:
            pager = config_get("core.pager")
        except Exception:  # noqa: BLE001 - outside a repository: no core.pager
            pager = None
    pager = pager if pager is not None else os.environ.get("PAGER", "less")
    if pager in ("", "cat"):
        click.echo(text, nl=False, color=use_color())
        return
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    import subprocess  # only for the pager: piped output never pays its import

    try:
        proc = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        click.echo(text, nl=False, color=use_color())
        return
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8", "surrogateescape"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit (q in less)
    proc.wait()
