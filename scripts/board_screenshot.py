"""Make docs/board.png: the board of the demo repository, in Debian's chromium (headless).

Usage: .venv/bin/python scripts/board_screenshot.py   (needs chromium and playwright, as the tests)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "zyflow-git")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main() -> int:
    out = subprocess.run([EXE, "demo", "--keep"], capture_output=True, text=True, check=True).stdout
    repo = Path(out.rsplit("The demo repository is at ", 1)[1].strip())
    try:
        subprocess.run([EXE, "claim", "openspec/changes/add-login/tasks.md#2.3", "--as", "agent-2"], cwd=repo,
                       check=True, capture_output=True)
        subprocess.run([EXE, "set", "openspec/changes/add-login/tasks.md#2.4", "--status", "blocked", "--note",
                        "waits for the session design"], cwd=repo, check=True, capture_output=True)
        board = subprocess.Popen([EXE, "board", "--as", "alice"], cwd=repo, stdout=subprocess.PIPE, text=True)
        try:
            assert board.stdout is not None
            url = board.stdout.readline().split(": ", 1)[1].strip()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 560})
                page.goto(url)
                page.screenshot(path=str(ROOT / "docs" / "board.png"), full_page=True)
                browser.close()
        finally:
            board.terminate()
            board.wait()
    finally:
        shutil.rmtree(repo.parent, ignore_errors=True)
    print(ROOT / "docs" / "board.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
