#!/bin/sh
# Set up zyflow-git in ./.venv (editable, with test extras), then:
#   ./install.sh            install and run the demo
#   ./install.sh --test     install and run the whole test suite (extra args go to pytest)
#   ./install.sh --no-demo  only install
# Idempotent, and quick when already set up.
set -eu
cd "$(dirname "$0")"

mode=demo
case "${1:-}" in
  --test) mode=test; shift ;;
  --no-demo) mode=none; shift ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "install.sh: unknown option '$1' (use --test, --no-demo or --help)" >&2; exit 2 ;;
esac

command -v git >/dev/null 2>&1 || { echo "install.sh: git is required but was not found on PATH" >&2; exit 1; }

PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    PY=$candidate; break
  fi
done
[ -n "$PY" ] || { echo "install.sh: python3 >= 3.11 is required (found: $(python3 --version 2>&1 || echo none))" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv || { echo "install.sh: could not create .venv (on Debian: apt-get install python3-venv)" >&2; exit 1; }
fi

stamp=.venv/.zyflow-installed
want=$(cksum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c 'import zyflow_git, pytest, hypothesis, xdist' 2>/dev/null; then
  # compat mode: a plain .pth path entry; the default import-hook finder costs ~20 ms per start
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --config-settings editable_mode=compat -e '.[test]' ||
    { echo "install.sh: pip install failed (see above)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi

# The browser tests drive Debian's chromium (tests/test_board.py); installed here when missing
# and we may (root with apt-get, as on CI), else those tests say why they skip.
if [ "$mode" = test ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: installing Debian's chromium for the browser tests" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
      echo "install.sh: could not install chromium; the browser tests will be skipped" >&2
  else
    echo "install.sh: chromium not found, so the browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi

# The manual pages where `man` looks for this venv's bin (`git zyflow --help`); a wheel or pipx
# install puts them there itself (pyproject's data-files), an editable install does not.
mkdir -p .venv/share/man/man1 && cp man/zyflow-git.1 man/git-zyflow.1 .venv/share/man/man1/

# Byte-compile now: the merge driver and hooks start inside other people's git commands, and
# with PYTHONDONTWRITEBYTECODE set they would otherwise recompile the package on every start.
.venv/bin/python -m compileall -q zyflow_git >/dev/null || true
# And compile the package's regular expressions into its cache (zyflow_git/patterncache.py): a merge or a
# hook then imports no `re` at all (~25 million instructions of every start here).
.venv/bin/python -m zyflow_git.patterncache >/dev/null || true

case $mode in
  demo) exec .venv/bin/zyflow-git demo ;;
  test) exec .venv/bin/python -m pytest -n auto "$@" ;;  # pytest-xdist: every core (README, Dependencies)
  none) echo "zyflow-git installed: $(pwd)/.venv/bin/zyflow-git"
        echo "to use it anywhere: export PATH=\"$(pwd)/.venv/bin:\$PATH\"  (or: pipx install $(pwd))" ;;
esac
