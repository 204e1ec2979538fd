#!/usr/bin/env bash
# Set up, build a database and serve it with Datasette on http://127.0.0.1:8001/.
# Builds from the folders or files given; else ../shared/corpus when present; else the
# example paper shipped in examples/.
set -euo pipefail
inputs=()
for arg in "$@"; do inputs+=("$(realpath "$arg")"); done
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ ${#inputs[@]} -eq 0 ]; then
  if [ -d ../shared/corpus ]; then inputs=(../shared/corpus); else inputs=(examples); fi
fi
db="${COUNCIL_PAPERS_DB:-council-papers.db}"
.venv/bin/council-papers build "${inputs[@]}" --db "$db" || echo "some files failed (listed above); serving what was built" >&2
exec .venv/bin/council-papers serve "$db" --port "${PORT:-8001}"
