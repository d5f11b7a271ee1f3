#!/bin/sh
# Takes the reports the last `golden-reports.mjs compare` wrote as the new golden set (after a
# deliberate change of meaning, committed on its own): <dir>/*.new.json -> <dir>/*.json.
set -e
dir=${1:?usage: scripts/golden-accept.sh <dir>}
for f in "$dir"/*.new.json "$dir"/*.new.txt; do
  [ -e "$f" ] || continue
  mv "$f" "${f%.new.*}.${f##*.}"
done
