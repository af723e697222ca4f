#!/usr/bin/env bash
# make bench: generate the reference case with the project's own generator (once), run Casebook's
# benchmarks and the SQLite FTS5 peer in the same run, and write bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export CASEBOOK_BENCH_DIR="${CASEBOOK_BENCH_DIR:-/tmp/casebook-bench}"
TAGS="migrated_fynedo sqlite_fts5"
if [ ! -f "$CASEBOOK_BENCH_DIR/queries.tsv" ]; then
	echo "generating the reference case in $CASEBOOK_BENCH_DIR"
	go run ./bench/cmd/casebook-gen -out "$CASEBOOK_BENCH_DIR"
fi
out=$(mktemp)
run() { go test -tags "$TAGS" -run '^$' -benchmem "$@" 2>&1 | tee -a "$out"; }
run -bench 'BenchmarkParse' -benchtime 3x ./importer/
run -bench 'BenchmarkReport' -benchtime 1x ./reports/
run -bench 'BenchmarkFTS5Peer' -benchtime 3x ./store/
run -bench 'BenchmarkImportTranscripts|BenchmarkImportAccessCSV' -benchtime 1x -timeout 60m ./casefile/
run -bench 'BenchmarkSearch$' -benchtime 3x -timeout 60m ./casefile/
{
	echo "# Benchmark results"
	echo
	echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(go version | cut -d' ' -f3); $(date -u +%Y-%m-%d)."
	echo "Data: the project's generator (bench/gen) at the reference size in $CASEBOOK_BENCH_DIR."
	echo
	echo '```'
	grep -E '^(Benchmark|goos|pkg)' "$out"
	echo '```'
} > bench/results.md
echo "wrote bench/results.md"
