"""What the commands print: text with control characters made visible, JSON with them escaped.

Task titles, author names, commit subjects and paths come from repositories others wrote; raw,
an escape sequence in them could clear the screen, retitle the window or write the clipboard
(OSC 52), even through a pipe into a terminal. Text output shows them as ``\\x1b``; JSON keeps
the data, escaped as JSON escapes (C1 controls and bidirectional overrides too, which
``json.dumps`` leaves raw).
"""

from __future__ import annotations

import json
import re

import click

# C0 but tab and newline, DEL, C1, and the bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def echo(text: object = "", err: bool = False) -> None:
    """click.echo for text meant for a terminal."""
    click.echo(printable(str(text)), err=err)


def echo_json(data: object, indent: int | None = 2) -> None:
    """Print ``data`` as JSON; control characters escaped as JSON escapes them."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    click.echo(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
