"""The board's pages as server-rendered HTML. Every text that comes from a repository (titles,
notes, names, paths, commit subjects) goes through ``esc``: a task titled ``<script>`` is text."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

COLUMNS = (("todo", "To do"), ("in_progress", "In progress"), ("blocked", "Blocked"), ("review", "Review"),
           ("done", "Done"))


def esc(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def link(path: str, token: str, **params: str | None) -> str:
    query = {"token": token, **{k: v for k, v in params.items() if v}}
    return esc(f"{path}?{urlencode(query)}")


def page(title: str, token: str, body: str, *, live: bool = True, name: str = "") -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{esc(title)} · zyflow-git</title>
<link rel="stylesheet" href="{link('/static/board.css', token)}">
</head><body data-token="{esc(token)}" data-live="{'1' if live else '0'}">
<header><a class="home" href="{link('/', token, **{'as': name})}">zyflow-git board</a>
<a href="{link('/branches', token, **{'as': name})}">branches</a>
<span class="live" id="live">{'live' if live else 'static'}</span></header>
<main id="main">{body}</main>
<script src="{link('/static/board.js', token)}"></script>
</body></html>"""


def card(t: dict[str, Any], token: str, name: str, back: str) -> str:
    """One task's card with its actions (each a POST with the token and the card's version)."""
    label = f'<span class="label">{esc(t["label"])}</span> ' if t["label"] else ""
    who = f'<span class="assignee">@{esc(t["assignee"])}</span>' if t["assignee"] else ""
    box = "☑" if t["done"] else "☐"
    actions = []
    if not t["done"]:
        if t["assignee"] is None or t["assignee"] == name:
            if t["status"] != "in_progress" or t["assignee"] != name:
                actions.append(_button("claim", "Claim", t, token, name, back))
        if t["assignee"] is not None:
            actions.append(_button("release", "Release", t, token, name, back))
    actions.append(_button("uncheck" if t["done"] else "check", "Uncheck" if t["done"] else "Check", t, token, name, back))
    statuses = "".join(f'<option value="{k}"{" selected" if k == t["status"] else ""}>{esc(v)}</option>'
                       for k, v in COLUMNS)
    actions.append(f'<form method="post" action="/act" class="status">{_hidden(t, token, name, back, "status")}'
                   f'<select name="status" aria-label="status">{statuses}</select><button>Set</button></form>')
    return (f'<article class="card" id="card-{esc(t["id"])}" data-id="{esc(t["id"])}" data-version="{esc(t["version"])}">'
            f'<div class="title"><span class="box">{box}</span> {label}'
            f'<a href="{link("/task/" + t["id"], token, **{"as": name})}">{esc(t["title"])}</a></div>'
            f'<div class="meta">{who} <span class="file">{esc(t["path"])}</span></div>'
            f'<div class="actions">{"".join(actions)}</div></article>')


def _hidden(t: dict[str, Any], token: str, name: str, back: str, action: str) -> str:
    return (f'<input type="hidden" name="token" value="{esc(token)}">'
            f'<input type="hidden" name="task" value="{esc(t["id"])}">'
            f'<input type="hidden" name="version" value="{esc(t["version"])}">'
            f'<input type="hidden" name="as" value="{esc(name)}">'
            f'<input type="hidden" name="back" value="{esc(back)}">'
            f'<input type="hidden" name="action" value="{esc(action)}">')


def _button(action: str, text: str, t: dict[str, Any], token: str, name: str, back: str) -> str:
    return (f'<form method="post" action="/act" class="{action}">{_hidden(t, token, name, back, action)}'
            f'<button class="{action}">{esc(text)}</button></form>')


def board(tasks: list[dict[str, Any]], token: str, name: str, file: str | None, assignee: str | None,
          back: str, notice: str = "") -> str:
    """Columns by status; a progress bar per task file; filters by file and assignee."""
    files: dict[str, list[dict[str, Any]]] = {}
    for t in tasks:
        files.setdefault(t["path"], []).append(t)
    shown = [t for t in tasks if (file is None or t["path"] == file) and (assignee is None or t["assignee"] == assignee)]
    bars = "".join(
        f'<li><a href="{link("/", token, file=path, **{"as": name})}">{esc(path)}</a> '
        f'<progress max="{len(ts)}" value="{sum(t["done"] for t in ts)}"></progress> '
        f'{sum(t["done"] for t in ts)}/{len(ts)}</li>' for path, ts in files.items())
    people = sorted({t["assignee"] for t in tasks if t["assignee"]})
    who = "".join(f'<a href="{link("/", token, file=file, assignee=p, **{"as": name})}">@{esc(p)}</a> ' for p in people)
    filters = (f'<form class="me" method="get" action="/"><input type="hidden" name="token" value="{esc(token)}">'
               f'<label>acting as <input name="as" value="{esc(name)}" size="12"></label>'
               + (f'<input type="hidden" name="file" value="{esc(file)}">' if file else "")
               + '<button>Use</button></form>'
               + (f'<p class="filter">showing {esc(file or "all files")}{" · @" + esc(assignee) if assignee else ""} · '
                  f'<a href="{link("/", token, **{"as": name})}">show all</a></p>' if file or assignee else "")
               + (f'<p class="people">by assignee: {who}</p>' if who else ""))
    several = len({t["path"] for t in shown}) > 1
    cols = []
    for key, title in COLUMNS:
        mine = [t for t in shown if t["status"] == key]
        parts, group = [], None
        for t in mine:  # grouped by task file (a change), in file order
            if several and t["path"] != group:
                group = t["path"]
                parts.append(f'<h3 class="group">{esc(group)}</h3>')
            parts.append(card(t, token, name, back))
        cols.append(f'<section class="column" data-status="{key}"><h2>{esc(title)} <span class="count">{len(mine)}</span></h2>'
                    f'{"".join(parts)}</section>')
    banner = f'<p class="notice" role="alert">{esc(notice)}</p>' if notice else ""
    return (f'{banner}<ul class="progress">{bars}</ul>{filters}<div class="board" id="board">{"".join(cols)}</div>')


def task_page(item: dict[str, Any], token: str, name: str, back: str, notice: str = "") -> str:
    """A task whole: details, runtime state and its history as a timeline."""
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in (
        ("file", f'{item["path"]}:{item["line"]}'), ("section", " > ".join(item["section"] or [])),
        ("status", item["status"]), ("assignee", item["assignee"] or "-"), ("note", item["note"] or "-"),
        ("version", item["version"]), ("uncommitted", item.get("uncommitted") or "no")))
    details = "".join(f"<li>{esc(d.strip())}</li>" for d in item["details"] if d.strip())
    subtasks = "".join(f'<li>{"☑" if s["done"] else "☐"} {esc(s["label"])} '
                       f'<a href="{link("/task/" + s["id"], token, **{"as": name})}">{esc(s["title"])}</a></li>'
                       for s in item["subtasks"])
    events = "".join(
        f'<li class="event {esc(e["event"])}"><time>{esc(e["date"][:16].replace("T", " "))}</time> '
        f'<b>{esc(e["event"])}</b>'
        + (f' {esc(e.get("old_value") or "-")} → {esc(e.get("value") or "-")}' if "value" in e else "")
        + f' <span class="who">{esc(e["author"])}</span> <code>{esc(e["commit"][:8])}</code> {esc(e["subject"])}</li>'
        for e in item["history"])
    banner = f'<p class="notice" role="alert">{esc(notice)}</p>' if notice else ""
    return (f'{banner}<h1>{esc(item["label"])} {esc(item["title"])}</h1>'
            f'{card(item, token, name, back)}<table class="fields">{rows}</table>'
            + (f"<h2>Details</h2><ul>{details}</ul>" if details else "")
            + (f"<h2>Subtasks</h2><ul>{subtasks}</ul>" if subtasks else "")
            + f'<h2>History</h2><ol class="timeline">{events or "<li>none yet (uncommitted)</li>"}</ol>')


def branches_page(found: dict[str, Any], token: str) -> str:
    """``tasks --branches`` as a table per task file."""
    out = [f'<h1>{esc(found["current"])} beside {len(found["branches"])} branch(es)</h1>']
    for f in found["files"]:
        differing = [t for t in f["tasks"] if t["on"]]
        if not differing and not f["only_on"]:
            continue
        out.append(f'<h2>{esc(f["path"])}</h2><table class="branches"><tr><th>task</th><th>here</th><th>elsewhere</th></tr>')
        for t in differing:
            where = "; ".join(f'{esc(d["change"])} on <b>{esc(b)}</b>' for b, d in t["on"].items())
            out.append(f'<tr><td>{esc(t["label"])} {esc(t["title"])}</td><td>{"☑" if t["done"] else "☐"}</td><td>{where}</td></tr>')
        for o in f["only_on"]:
            out.append(f'<tr><td>{esc(o["label"])} {esc(o["title"])}</td><td>—</td><td>added on <b>{esc(o["branch"])}</b></td></tr>')
        out.append("</table>")
    if len(out) == 1:
        out.append("<p>No differences in the task files.</p>")
    return "".join(out)
