#!/usr/bin/env bash
# Regenerates docs/demo-report/: the demo case's report as PNG pages, the reference the README shows.
# Needs a built binary (make build) and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./bin/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bin demo "$work/case" >/dev/null
$bin rules run "$work/case" >/dev/null
# Confirm a handful of each rule's suggestions, as an investigator would after review.
ids=$($bin suggestions "$work/case" --json | python3 -c '
import json, sys, collections
by = collections.defaultdict(list)
for s in json.load(sys.stdin): by[s["rule"]].append(str(s["id"]))
want = {"phrase-master-admin": 4, "phrase-seen-abroad": 3, "phrase-approval": 2, "foreign-access": 30,
        "foreign-approver": 5, "bulk": 2, "off-hours": 2, "offshore-copy": 2}
print(",".join(i for r, n in want.items() for i in by[r][:n]))')
$bin suggestions "$work/case" --accept "$ids" >/dev/null
# Link the master-admin quotes to the first statement as contradicting it.
for item in $($bin evidence "$work/case" --json | python3 -c '
import json, sys
print(" ".join(e["item"] for e in json.load(sys.stdin) if e["tag"] == "key-quote"))'); do
	$bin link "$work/case" 1 "$item" --contradicts >/dev/null
done
$bin report "$work/case" -o "$work/demo.pdf" --date 2022-11-01 --bates LUM --marking "CONFIDENTIAL — PREPARED FOR COUNSEL"
rm -f docs/demo-report/page-*.png
pdftoppm -r 60 -png "$work/demo.pdf" docs/demo-report/page
echo "wrote $(ls docs/demo-report/page-*.png | wc -l) pages to docs/demo-report/"
