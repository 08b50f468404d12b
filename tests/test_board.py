"""Issue 17: the board, driven in a real headless browser (Debian's chromium through Playwright)
against the real `zyflow-git board` process serving a real repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from .gitutil import ZYFLOW, Repo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed, so the browser tests are skipped "
                "(`./install.sh --test` installs it when run as root: apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

# What this machine's closed network needs (else chromium keeps calling home and stalls).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PATH = "openspec/changes/login/tasks.md"
PLAN = ("# Tasks\n\n## 1. Setup\n\n- [ ] 1.1 Create users table\n- [x] 1.2 Password hashing\n"
        "- [ ] 1.3 Login endpoint\n- [ ] 1.4 <script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">\n")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo.installed(tmp_path, {PATH: PLAN})


@pytest.fixture
def served(repo: Repo) -> Iterator[str]:
    proc = subprocess.Popen([ZYFLOW, "board", "--as", "tester"], cwd=repo.root, env=repo.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("zyflow-git board: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        yield line.split(": ", 1)[1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def card(page: Any, label: str) -> Any:
    return page.locator(".card", has=page.locator(".label", has_text=label))


def column_of(page: Any, label: str) -> str:
    return str(card(page, label).evaluate("c => c.closest('.column').dataset.status"))


def tasks(repo: Repo) -> dict[str, dict]:
    return {t["label"]: t for t in json.loads(repo.zyflow("tasks", "--json").stdout)}


def test_the_board_lists_the_tasks_in_columns_with_progress(browser: Any, served: str) -> None:
    page = browser.new_page()
    page.goto(served)
    assert page.locator(".card").count() == 4
    assert column_of(page, "1.1") == "todo" and column_of(page, "1.2") == "done"
    assert page.locator(".progress li").inner_text().endswith("1/4")
    assert page.locator(".column[data-status=done] .count").inner_text() == "1"
    page.close()


def test_claiming_a_card_moves_it_and_the_cli_sees_it(browser: Any, served: str, repo: Repo) -> None:
    page = browser.new_page()
    page.goto(served)
    card(page, "1.3").locator("button.claim").click()
    page.wait_for_function("() => document.querySelector('.column[data-status=in_progress] .card') !== null")
    assert column_of(page, "1.3") == "in_progress" and "@tester" in card(page, "1.3").inner_text()
    t = tasks(repo)["1.3"]
    assert (t["status"], t["assignee"]) == ("in_progress", "tester")
    card(page, "1.1").locator("button.check").click()
    page.wait_for_function("() => document.querySelectorAll('.column[data-status=done] .card').length === 2")
    assert "- [x] 1.1 Create users table" in repo.read(PATH)
    page.close()


def test_a_commit_from_the_shell_appears_without_a_reload(browser: Any, served: str, repo: Repo) -> None:
    page = browser.new_page()
    page.goto(served)
    page.wait_for_function("() => document.body.dataset.connected === '1'")
    page.evaluate("() => { window.sameDocument = true; }")
    repo.write(PATH, repo.read(PATH) + "- [ ] 1.5 Added from the shell\n")
    repo.commit("shell adds 1.5")
    page.wait_for_selector("text=Added from the shell", timeout=10_000)
    repo.zyflow("claim", f"{PATH}#1.1", "--as", "agent-7")  # a claim from the CLI, too
    page.wait_for_selector(".column[data-status=in_progress] >> text=@agent-7", timeout=10_000)
    assert page.evaluate("() => window.sameDocument") is True, "updated in place, not reloaded"
    page.close()


def test_a_stale_cards_action_shows_the_conflict_and_the_fresh_card(browser: Any, served: str, repo: Repo) -> None:
    page = browser.new_page()
    page.goto(served + "&live=0")  # a page that does not refresh itself: its cards go stale
    old = card(page, "1.1").get_attribute("data-version")
    repo.zyflow("set", f"{PATH}#1.1", "--note", "changed elsewhere")
    card(page, "1.1").locator("button.claim").click()
    page.wait_for_selector(".notice")
    assert "changed since you loaded it" in page.locator(".notice").inner_text()
    fresh = card(page, "1.1").get_attribute("data-version")
    assert fresh != old and fresh == tasks(repo)["1.1"]["version"]
    assert tasks(repo)["1.1"]["assignee"] is None, "nothing was overwritten"
    page.close()


def test_a_malicious_title_is_text(browser: Any, served: str) -> None:
    page = browser.new_page()
    page.goto(served)
    assert "<script>window.pwned=1</script>" in card(page, "1.4").inner_text()
    href = card(page, "1.4").locator(".title a").get_attribute("href")
    page.goto(served.split("/?")[0] + href)  # the task's own page
    assert "<img src=x" in page.locator("h1").inner_text()
    assert page.evaluate("() => window.pwned") is None
    page.close()


def _request(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers or {}), timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as err:
        return err.code


def test_requests_without_the_token_or_from_elsewhere_are_refused(served: str, repo: Repo) -> None:
    base, query = served.split("/?")
    token = urllib.parse.parse_qs(query)["token"][0]
    assert _request(served) == 200
    assert _request(base + "/") == 403
    assert _request(base + "/?token=wrong") == 403
    assert _request(served, headers={"Host": "evil.example:80"}) == 403
    tid = tasks(repo)["1.1"]["id"]
    assert _request(base + "/act", {"task": tid, "action": "claim", "as": "x"}) == 403
    assert _request(base + "/act?token=" + token, {"task": tid, "action": "claim", "as": "x"}) == 403, "the token belongs in the body"
    assert _request(base + "/act", {"token": token, "task": tid, "action": "claim", "as": "x"},
                    {"Origin": "http://evil.example"}) == 403
    assert _request(base + "/static/..%2f..%2fapp.py?token=" + token) == 404
    assert _request(base + "/static/board.js?token=" + token) == 200
    assert tasks(repo)["1.1"]["assignee"] is None


def test_task_page_branches_page_and_an_unknown_task(browser: Any, served: str, repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(PATH, repo.read(PATH).replace("- [ ] 1.1", "- [x] 1.1"))
    repo.commit("feature checks 1.1")
    repo.git("checkout", "-q", "main")
    page = browser.new_page()
    base = served.split("/?")[0]
    query = served.split("/?")[1]
    page.goto(f"{base}/branches?{query}")
    assert "checked on feature" in page.locator("main").inner_text()
    tid = tasks(repo)["1.2"]["id"]
    page.goto(f"{base}/task/{tid}?{query}")
    assert "Password hashing" in page.locator("h1").inner_text()
    assert "added" in page.locator(".timeline").inner_text()
    response = page.goto(f"{base}/task/tnope?{query}")
    assert response is not None and response.status == 404
    page.close()


def test_cards_are_grouped_by_task_file_and_filtered(browser: Any, served: str, repo: Repo) -> None:
    repo.write("openspec/changes/billing/tasks.md", "# Tasks\n\n- [ ] 1.1 Invoices\n")
    repo.commit("billing")
    page = browser.new_page()
    page.goto(served)
    groups = page.locator(".column[data-status=todo] h3.group").all_inner_texts()
    assert groups == ["openspec/changes/billing/tasks.md", PATH]
    page.locator(".progress a", has_text="billing").click()
    assert page.locator(".card").count() == 1 and "Invoices" in page.locator(".card").inner_text()
    page.close()
