"""The board's web app (Starlette): pages, actions, live updates, and the guards around them.

- Only this machine: uvicorn listens on 127.0.0.1; a request whose Host is not
  ``127.0.0.1:PORT`` or ``localhost:PORT`` is refused (no DNS rebinding).
- Every request carries the random token printed with the URL (a query parameter; a form field
  for POST). State changes are POST only, with the token in the body and, when the browser
  sends one, an Origin of this server: another site can neither read nor forge them.
- Only two fixed files are served from the package (``static/``); no path reaches the disk.
- Every action goes through ``actions`` with the card's version as the expected version; a stale
  one shows "changed since you loaded it" beside the fresh card, never a silent overwrite.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, AsyncIterator, Callable
from urllib.parse import parse_qsl, urlencode

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import StaleVersion, ZyflowError
from . import html

STATIC = {"board.css": "text/css; charset=utf-8", "board.js": "text/javascript; charset=utf-8"}
POLL_SECONDS = 0.4


class Board:
    """One repository's board: its token, port, and the library calls behind each page."""

    def __init__(self, top: Path, port: int, token: str | None = None, name: str | None = None) -> None:
        self.top, self.port = top, port
        self.token = token or secrets.token_urlsafe(18)
        self.name = name or ""
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?{urlencode({'token': self.token})}"

    # -- the library, one fresh store per request (as a command opens it) --------------------------

    def _with(self, work: Callable[[Any, Any], Any]) -> Any:
        from ..taskview import session

        with session(self.top) as (repo, conn):
            return work(repo, conn)

    def tasks(self) -> list[dict[str, Any]]:
        from ..queries import list_tasks
        from ..selectors import View

        return self._with(lambda repo, conn: [t.as_dict() for t in list_tasks(View(repo, conn))])

    def task(self, task_id: str) -> dict[str, Any]:
        from ..queries import show
        from ..selectors import View

        return self._with(lambda repo, conn: show(View(repo, conn), task_id))  # type: ignore[no-any-return]

    def branches(self) -> dict[str, Any]:
        from ..branches import compare

        return self._with(lambda repo, conn: compare(repo, conn))  # type: ignore[no-any-return]

    def act(self, form: dict[str, str]) -> None:
        from .. import actions

        task, expect, name, action = form.get("task", ""), form.get("version") or None, form.get("as", ""), form.get("action")

        def work(repo: Any, conn: Any) -> Any:
            if action == "claim":
                return actions.claim(repo, conn, task, name or self.name, expect=expect)
            if action == "release":
                return actions.release(repo, conn, task, expect=expect)
            if action in ("check", "uncheck"):
                return actions.check(repo, conn, task, action == "check", expect=expect)
            if action == "status":
                return actions.set_task(repo, conn, task, status=form.get("status"), expect=expect)
            from ..errors import BadInput

            raise BadInput(f"unknown action {action!r}")

        self._with(work)

    def signature(self) -> tuple[Any, ...]:
        """What changes when the board would: HEAD, the runtime log's tip, the task files' stats."""
        from ..gitcli import git

        heads = git("rev-parse", "HEAD", "refs/zyflow/runtime", cwd=self.top, check=False).stdout
        listed = git("ls-files", "-z", "-c", "-o", "--exclude-standard", "--", "*.md", cwd=self.top, check=False).stdout
        stats = []
        for name in sorted(p for p in listed.split(b"\0") if p):
            try:
                st = os.lstat(os.path.join(self.top, os.fsdecode(name)))
                stats.append((name, st.st_mtime_ns, st.st_size))
            except OSError:
                stats.append((name, 0, 0))
        return heads, tuple(stats)


def build(board: Board) -> Starlette:
    """The Starlette app for ``board``."""

    def guard(request: Request, token: str | None) -> Response | None:
        if request.headers.get("host", "") not in board.hosts:
            return PlainTextResponse("refused: this board answers on 127.0.0.1 only", status_code=403)
        if token is None or not secrets.compare_digest(token, board.token):
            return PlainTextResponse("refused: the token is missing or wrong (use the URL zyflow-git board printed)",
                                     status_code=403)
        return None

    def name_of(request: Request) -> str:
        return request.query_params.get("as") or board.name

    def here(request: Request) -> str:
        query = {k: v for k, v in request.query_params.items() if k not in ("fragment",)}
        return f"{request.url.path}?{urlencode(query)}"

    def render(request: Request, body: str, title: str, status: int = 200) -> Response:
        if request.query_params.get("fragment"):
            return HTMLResponse(body, status_code=status)
        live = request.query_params.get("live") != "0"
        return HTMLResponse(html.page(title, board.token, body, live=live, name=name_of(request)), status_code=status)

    def board_body(request: Request, notice: str = "") -> str:
        q = request.query_params
        return html.board(board.tasks(), board.token, name_of(request), q.get("file"), q.get("assignee"), here(request), notice)

    def index(request: Request) -> Response:
        return guard(request, request.query_params.get("token")) or render(request, board_body(request), "board")

    def task(request: Request) -> Response:
        refused = guard(request, request.query_params.get("token"))
        if refused:
            return refused
        try:
            item = board.task(request.path_params["task_id"])
        except ZyflowError as err:
            return render(request, f'<p class="notice" role="alert">{html.esc(err)}</p>', "not found", 404)
        return render(request, html.task_page(item, board.token, name_of(request), here(request)), item["title"])

    def branches(request: Request) -> Response:
        refused = guard(request, request.query_params.get("token"))
        return refused or render(request, html.branches_page(board.branches(), board.token), "branches")

    async def act(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        refused = guard(request, form.get("token"))
        if refused:
            return refused
        origin = request.headers.get("origin")
        if origin is not None and origin not in {f"http://{h}" for h in board.hosts}:
            return PlainTextResponse("refused: a request from another site", status_code=403)
        back = form.get("back", "/")
        if not back.startswith("/") or back.startswith("//"):
            back = "/?" + urlencode({"token": board.token})
        try:
            await anyio.to_thread.run_sync(board.act, form)
        except StaleVersion as err:
            notice = f"changed since you loaded it: {err}. The card below is as it is now."
            return await anyio.to_thread.run_sync(lambda: _again(request, back, notice, 409))
        except ZyflowError as err:
            message = str(err)
            return await anyio.to_thread.run_sync(lambda: _again(request, back, message, 400))
        return RedirectResponse(back, status_code=303)

    def _again(request: Request, back: str, notice: str, status: int) -> Response:
        """The page the action came from, fresh, with a notice (no redirect: the notice stays)."""
        path, _, query = back.partition("?")
        params = dict(parse_qsl(query))
        name = params.get("as") or board.name
        if path.startswith("/task/"):
            try:
                item = board.task(path.removeprefix("/task/"))
                body = html.task_page(item, board.token, name, back, notice)
            except ZyflowError:
                body = f'<p class="notice" role="alert">{html.esc(notice)}</p>'
        else:
            body = html.board(board.tasks(), board.token, name, params.get("file"), params.get("assignee"), back, notice)
        return HTMLResponse(html.page("board", board.token, body, live=params.get("live") != "0", name=name),
                            status_code=status)

    async def events(request: Request) -> Response:
        refused = guard(request, request.query_params.get("token"))
        if refused:
            return refused

        async def stream() -> AsyncIterator[str]:
            last = await anyio.to_thread.run_sync(board.signature)
            yield "retry: 1000\n\n"
            quiet = 0.0
            while not await request.is_disconnected():
                await anyio.sleep(POLL_SECONDS)
                now = await anyio.to_thread.run_sync(board.signature)
                quiet += POLL_SECONDS
                if now != last:
                    last, quiet = now, 0.0
                    yield "event: change\ndata: 1\n\n"
                elif quiet >= 15:
                    quiet = 0.0
                    yield ": still here\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    def static(request: Request) -> Response:
        refused = guard(request, request.query_params.get("token"))
        if refused:
            return refused
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", status_code=404)
        data = (Path(__file__).parent / "static" / name).read_bytes()
        return Response(data, media_type=STATIC[name])

    routes = [Route("/", index), Route("/task/{task_id}", task), Route("/branches", branches),
              Route("/act", act, methods=["POST"]), Route("/events", events), Route("/static/{name}", static)]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])


class SecurityHeaders:
    """Plain ASGI: every response says no framing, no sniffing, and scripts from here only."""

    HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
               (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; "
                b"connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'")]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + self.HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


def serve(top: Path, port: int = 0, open_browser: bool = False, name: str | None = None,
          say: Callable[[str], None] = print) -> None:
    """Listen on 127.0.0.1 (``port`` 0: a free one), print the URL, serve until interrupted."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as err:
        from ..errors import BadInput

        raise BadInput(f"cannot listen on 127.0.0.1:{port}: {err.strerror}") from None
    sock.listen(128)  # connections wait in the backlog from the moment the URL is printed
    board = Board(top, sock.getsockname()[1], name=name)
    say(f"zyflow-git board: {board.url}")
    if open_browser:
        import webbrowser

        webbrowser.open(board.url)
    config = uvicorn.Config(build(board), log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
