"""What an event says of its commit: author, email, date and subject, for a walk's commits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .tasklist import display


def iso(when: int, offset: int) -> str:
    """A commit time (seconds, zone offset in minutes) as ISO 8601 with its own zone."""
    return datetime.fromtimestamp(when, timezone(timedelta(minutes=offset))).isoformat()


def stamp_of(name: str, email: str, when: int, offset: int, message: str) -> tuple[str, ...]:
    """Author, email, date, subject (the message's first line), as events show them."""
    return (display(name), display(email), iso(when, offset), display(message.split("\n", 1)[0].strip()))


def commit_stamps(root: str, shas: list[str]) -> dict[str, tuple[str, ...]]:
    """The stamp of each of ``shas``, from one git log (a record that does not read as one,
    say a malformed date, is left out: the caller asks pygit2 for that commit)."""
    from .gitcli import git

    out = git("log", "--no-walk=unsorted", "--stdin", "-z", "--date=raw", "--format=%H%x1f%an%x1f%ae%x1f%ad%x1f%B",
              cwd=root, input="".join(f"{sha}\n" for sha in shas).encode()).stdout
    stamps: dict[str, tuple[str, ...]] = {}
    for record in out.split(b"\0"):
        fields = record.split(b"\x1f", 4)
        if len(fields) < 5:
            continue
        sha, name, email, date, message = (f.decode("utf-8", "replace") for f in fields)
        when, _, zone = date.partition(" ")
        try:
            offset = (-1 if zone.startswith("-") else 1) * (int(zone[1:3]) * 60 + int(zone[3:5]))
            stamps[sha.strip()] = stamp_of(name, email, int(when), offset, message)
        except (ValueError, OverflowError, OSError):
            continue
    return stamps
