#!/usr/bin/env bash
# Prove the reproducibility contract outside the test suite: build a fresh virtual environment
# per interpreter / dependency set, regenerate `storygen --count 50 --seed 7` (text and JSONL)
# and compare its SHA-256 with samples/SHA256SUMS.
#
#   scripts/check_reproducibility.sh pythons   # Python 3.10, 3.11, 3.12 and 3.13 (pyenv)
#   scripts/check_reproducibility.sh deps      # oldest and newest supported numpy, Faker, Jinja2, typer
#   scripts/check_reproducibility.sh all
#
# Exit status is 0 only if every environment reproduced samples/ byte for byte.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

check_env() {  # name, python, pip requirement specs...
  local name=$1 python=$2; shift 2
  local venv="$work/$name"
  if ! "$python" -m venv "$venv" >/dev/null 2>&1; then echo "SKIP  $name: cannot create a venv with $python"; return; fi
  if ! "$venv/bin/pip" install --quiet "$@" "$root" >"$work/$name.log" 2>&1; then
    echo "FAIL  $name: install failed (see below)"; tail -5 "$work/$name.log"; failures=$((failures + 1)); return
  fi
  local out="$work/$name.out"; mkdir -p "$out"
  "$venv/bin/storygen" --count 50 --seed 7 > "$out/stories.txt"
  "$venv/bin/storygen" --count 50 --seed 7 --format jsonl > "$out/stories.jsonl"
  local versions
  versions=$("$venv/bin/python" -c 'import sys, numpy, faker, jinja2, typer; print(f"Python {sys.version.split()[0]}, numpy {numpy.__version__}, Faker {faker.VERSION}, Jinja2 {jinja2.__version__}, typer {typer.__version__}")')
  # The JSONL records carry the engine version and grammar hash, both fixed by the checkout.
  if (cd "$out" && sha256sum --quiet -c "$root/samples/SHA256SUMS"); then
    echo "OK    $name: $versions"
  else
    echo "FAIL  $name: $versions: output differs from samples/"; failures=$((failures + 1))
  fi
}

pyenv_python() { ls -d /root/.pyenv/versions/"$1".*/bin/python 2>/dev/null | sort -V | tail -1 || command -v "python$1"; }

mode=${1:-all}
if [ "$mode" = pythons ] || [ "$mode" = all ]; then
  for v in 3.10 3.11 3.12 3.13; do
    py=$(pyenv_python "$v")
    if [ -z "$py" ]; then echo "SKIP  python$v: not installed"; continue; fi
    check_env "py$v" "$py"
  done
fi
if [ "$mode" = deps ] || [ "$mode" = all ]; then
  py=$(pyenv_python 3.11)
  check_env oldest-deps "$py" "numpy==1.24.0" "faker==20.0.0" "jinja2==3.1.0" "typer==0.16.0"
  check_env newest-deps "$py" --upgrade "numpy" "faker" "jinja2" "typer"
fi
[ "$failures" -eq 0 ] && echo "all environments reproduced samples/" || echo "$failures environment(s) differ"
exit $(( failures > 0 ))
