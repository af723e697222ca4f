#!/usr/bin/env bash
# make bench: Casebook and its peers on the same generated files, in one run, and one markdown table of the
# figures, the peers' figures, the ratios and the targets, written to bench/results.md.
#
# Data: the project's own deterministic generator (bench/gen) at the reference size in $CASEBOOK_BENCH_DIR
# (default /tmp/casebook-bench: 2,000 WebVTT meetings / 200,000 cues, a 1,000,000-row access log as CSV and
# JSON Lines, 100 queries) and twice that in $CASEBOOK_BENCH_DIR-x2 for the growth row; made once, reused
# while their counts match. BENCH_SCALE=small uses a tenth of each (in /tmp/casebook-bench-small), for
# trying the harness; its figures are not comparable with the targets. BENCH_SCALE=10 (any whole number above
# 1) is the ten-million-row run of issue 15: the log and the transcripts at that multiple in
# /tmp/casebook-bench-x10, the sqlite3 peers, one case stored and caught up (its anonymous and file-backed
# memory sampled), then search and filters over it; its table goes to bench/results-x10.md.
#
# Peers (local tools, installed with apt-get when root or sudo): sqlite3, recollindex (recollcmd), ripgrep;
# also GNU time (peak RSS of each step) and xvfb (the window's idle memory).
#
# Each timed step waits for an idle CPU first (1-minute load below $BENCH_IDLE_LOAD, default 0.5, or
# $BENCH_IDLE_TIMEOUT seconds, default 30) and runs under /usr/bin/time -v. Cases, peer databases and
# each step's output go to $BENCH_RUN_DIR (default $CASEBOOK_BENCH_DIR-run), remade every run.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
TAGS="migrated_fynedo sqlite_fts5"
SCALE=1 # a whole multiple of the reference size: BENCH_SCALE=10 is the ten-million-row run (issue 15)
OUT=bench/results.md
if [ "${BENCH_SCALE:-}" = small ]; then
	FRACTION=0.1 LABEL="small (a tenth of the reference size)"
	DATA=${CASEBOOK_BENCH_DIR:-/tmp/casebook-bench-small}
elif [[ "${BENCH_SCALE:-1}" =~ ^[0-9]+$ ]] && [ "${BENCH_SCALE:-1}" -gt 1 ]; then
	# The log and the transcripts at SCALE times the reference size, in one case: the sqlite3 peers, the
	# import, the catch-up, the case size, search and filters; its own table in bench/results-x$SCALE.md.
	SCALE=$BENCH_SCALE FRACTION=1 LABEL="${BENCH_SCALE}× the reference size"
	DATA=${CASEBOOK_BENCH_DIR:-/tmp/casebook-bench-x$SCALE}
	OUT=bench/results-x$SCALE.md
else
	FRACTION=1 LABEL="reference"
	DATA=${CASEBOOK_BENCH_DIR:-/tmp/casebook-bench}
fi
DATA2=$DATA-x2
RUN=${BENCH_RUN_DIR:-$DATA-run}
IDLE_LOAD=${BENCH_IDLE_LOAD:-0.5}
IDLE_TIMEOUT=${BENCH_IDLE_TIMEOUT:-30}
GUI_WAIT=${BENCH_GUI_WAIT:-15}
began=$(date +%s)

# --- peers and tools ------------------------------------------------------------------------------------
need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v recollindex >/dev/null || need+=(recollcmd)
command -v rg >/dev/null || need+=(ripgrep)
[ -x /usr/bin/time ] || need+=(time)
command -v xvfb-run >/dev/null || need+=(xvfb)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else SUDO=none; fi
	if [ "$SUDO" = none ]; then
		echo "bench: not root and no sudo, so not installing ${need[*]}; their rows are skipped" >&2
	else
		echo "bench: installing ${need[*]}"
		$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
	fi
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time (GNU time) is needed for every step" >&2
	exit 1
fi

# --- data -----------------------------------------------------------------------------------------------
# gen DIR SCALE: (re)generate DIR unless it holds the expected number of meetings and log rows.
gen() {
	local dir=$1 scale=$2 meetings rows
	meetings=$(awk -v s="$scale" -v f="$FRACTION" 'BEGIN { printf "%d", 2000 * s * f + 0.5 }')
	rows=$(awk -v s="$scale" -v f="$FRACTION" 'BEGIN { printf "%d", 1000000 * s * f + 0.5 }')
	if [ -f "$dir/queries.tsv" ] && [ -f "$dir/access_logs.jsonl" ] &&
		[ "$(find "$dir/vtt" -name '*.vtt' 2>/dev/null | wc -l)" = "$meetings" ] &&
		[ "$(wc -l <"$dir/access_logs.csv")" = $((rows + 1)) ]; then
		echo "bench: reusing $dir ($meetings meetings, $rows log rows)"
		return
	fi
	echo "bench: generating $dir ($meetings meetings, $rows log rows)"
	rm -rf "$dir"
	go run ./bench/cmd/casebook-gen -out "$dir" -scale "$scale" -fraction "$FRACTION"
}
gen "$DATA" "$SCALE"
[ "$SCALE" = 1 ] && gen "$DATA2" 2

# --- binaries -------------------------------------------------------------------------------------------
rm -rf "$RUN"
mkdir -p "$RUN"
FIG=$RUN/figures
echo "bench: building into $RUN"
go build -tags migrated_fynedo -o "$RUN/casebook" . # the real binary, as users build it
go build -o "$RUN/casebook-bench-rg" ./bench/cmd/casebook-bench-rg
go build -o "$RUN/casebook-bench-table" ./bench/cmd/casebook-bench-table
for pkg in casefile store reports; do
	go test -c -tags "$TAGS" -o "$RUN/$pkg.test" "./$pkg/"
done
CB=$RUN/casebook

# table SECONDS: the markdown table of this run's figures, to $OUT.
table() {
	local took=$1 data2=" (2× in $DATA2)"
	[ "$SCALE" = 1 ] || data2=
	{
		echo "# Benchmark results"
		echo
		echo "\`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d): $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
		echo "$(go version | cut -d' ' -f3); peers (Debian packages): $(dpkg-query -W -f '${Package} ${Version}, ' sqlite3 recollcmd ripgrep 2>/dev/null | sed 's/, $//');"
		echo "and the whole run took $((took / 60)) min $((took % 60)) s. Data: $LABEL, from the project's generator (bench/gen)"
		echo "in $DATA$data2; every tool read it from the page cache."
		echo
		"$RUN/casebook-bench-table" -run "$RUN"
	} >"$RUN/results.md"
	cp "$RUN/results.md" "$OUT"
	cat "$OUT"
	echo "wrote $OUT (the run's files are in $RUN)"
}

# --- timing helpers -------------------------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }

# idle NAME: wait until the 1-minute load is below IDLE_LOAD (or IDLE_TIMEOUT), and note the loads.
idle() {
	local due waited=0
	due=$(load1)
	while awk -v l="$(load1)" -v t="$IDLE_LOAD" 'BEGIN { exit !(l >= t) }' && [ "$waited" -lt "$IDLE_TIMEOUT" ]; do
		sleep 5
		waited=$((waited + 5))
	done
	echo "load.$1=$due $(load1) $waited" >>"$FIG"
	echo "-- $1: 1-minute load $due when due, $(load1) at start (waited ${waited}s)"
}

# step NAME COMMAND...: idle, then run COMMAND under /usr/bin/time -v; its output goes to NAME.out and
# NAME.err, the timing to NAME.time. A failure is reported and the run goes on.
step() {
	local name=$1
	shift
	idle "$name"
	if /usr/bin/time -v -o "$RUN/$name.time" "$@" >"$RUN/$name.out" 2>"$RUN/$name.err"; then
		awk -F': ' '/Elapsed \(wall clock\)|Maximum resident/ { printf "   %s: %s\n", $1, $2 }' "$RUN/$name.time"
	else
		echo "bench: step $name failed; the end of $RUN/$name.err:" >&2
		tail -5 "$RUN/$name.err" >&2
	fi
}
# watch NAME: until killed, sample every 2 s the anonymous and the file-backed resident memory of the
# running casebook process (peak RSS counts both: file-backed pages are the index's mapped segments and
# can be dropped by the kernel, anonymous ones cannot); the peaks go to the figures as NAME.anon_kb and
# NAME.file_kb.
watch() {
	local name=$1 anon=0 file=0 pid a f
	trap 'echo "$name.anon_kb=$anon" >>"$FIG"; echo "$name.file_kb=$file" >>"$FIG"; exit 0' TERM
	while sleep 2; do
		for pid in $(pgrep -x casebook); do
			read -r a f < <(awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print a + 0, f + 0 }' "/proc/$pid/status" 2>/dev/null || echo 0 0)
			[ "$a" -gt "$anon" ] && anon=$a
			[ "$f" -gt "$file" ] && file=$f
		done
	done
}
# watched NAME COMMAND...: step, with watch running beside it.
watched() {
	local w
	watch "$1" &
	w=$!
	step "$@"
	kill "$w"
	wait "$w" || true
}
skip() { echo "skip.$1=$2" >>"$FIG"; echo "-- $1: skipped: $2"; }
kb() { du -sk "$1" | cut -f1; }

{
	echo "label=$LABEL"
	echo "meetings=$(find "$DATA/vtt" -name '*.vtt' | wc -l)"
	echo "du.input=$(($(kb "$DATA/access_logs.csv") + $(kb "$DATA/vtt")))"
} >>"$FIG"
# Every tool reads the files from the page cache, not the first one from the disk.
if [ "$SCALE" = 1 ]; then
	cat "$DATA"/access_logs.* "$DATA"/vtt/* "$DATA2"/access_logs.csv >/dev/null
else
	echo "scale=$SCALE" >>"$FIG"
	cat "$DATA"/access_logs.csv >/dev/null
	find "$DATA/vtt" -name '*.vtt' -exec cat {} + >/dev/null
fi

# --- access log: sqlite3 peer, then Casebook (CSV into the big case, JSON Lines into its own) -------------
PEERDB=$RUN/peer.db
if command -v sqlite3 >/dev/null; then
	step csv-sqlite3 sqlite3 "$PEERDB" -cmd 'PRAGMA journal_mode=WAL;' ".import --csv $DATA/access_logs.csv log"
	echo "peer.rows=$(sqlite3 "$PEERDB" 'SELECT count(*) FROM log')" >>"$FIG"
	# Indexes for the filter peer (not timed).
	sqlite3 "$PEERDB" 'CREATE INDEX log_employee ON log(employee); CREATE INDEX log_country ON log(country);
		CREATE INDEX log_ts ON log(ts); CREATE INDEX log_category ON log(data_category); PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	echo "du.peer=$(kb "$PEERDB")" >>"$FIG"
	# The peer of "searchable" (issue 15): the same .import, then an FTS5 table over every column, so that
	# every word of a row can be found; its time is the two steps together, its size the database's.
	PEERFTS=$RUN/peer-fts.db
	cols=$(head -1 "$DATA/access_logs.csv" | tr -d '\r')
	step csv-fts5-import sqlite3 "$PEERFTS" -cmd 'PRAGMA journal_mode=WAL;' ".import --csv $DATA/access_logs.csv log"
	step csv-fts5 sqlite3 "$PEERFTS" "CREATE VIRTUAL TABLE log_fts USING fts5($cols); INSERT INTO log_fts SELECT $cols FROM log; PRAGMA wal_checkpoint(TRUNCATE);"
	echo "peer-fts.rows=$(sqlite3 "$PEERFTS" 'SELECT count(*) FROM log_fts')" >>"$FIG"
	echo "du.peer-fts=$(kb "$PEERFTS")" >>"$FIG"
	rm -f "$PEERFTS" "$PEERFTS"-*
else
	skip csv-sqlite3 "no sqlite3"
	skip filters-sql "no sqlite3"
fi

# The log alone in its own case: the import as a user runs it, then the catch-up the next open does (with
# the same at twice the size, at the end, for the growth row).
if [ "$SCALE" = 1 ]; then
	"$CB" new "$RUN/case-csv" >/dev/null
	step csv-import "$CB" import "$RUN/case-csv" "$DATA/access_logs.csv" --defer-index --json
	watched csv-catch-up "$CB" search "$RUN/case-csv" '*' --limit 1 --json
	echo "du.case-csv=$(kb "$RUN/case-csv")" >>"$FIG"
	rm -rf "$RUN/case-csv"
fi

# The big case: the log and the transcripts stored by one command (every command that opens a case catches
# its index up first, a second import included), then one catch-up for all of them.
CASE=$RUN/case
"$CB" new "$CASE" --title "bench" >/dev/null
step store-all "$CB" import "$CASE" "$DATA/access_logs.csv" "$DATA/vtt" --defer-index --json
watched catch-up "$CB" search "$CASE" '*' --limit 1 --json
echo "du.case=$(kb "$CASE")" >>"$FIG"
# Every step after the first catch-up: BENCH_SCALE above 1 measures search and filters only.
export CASEBOOK_BENCH_DIR=$DATA CASEBOOK_BENCH_CASE=$CASE CASEBOOK_BENCH_PEERDB=$PEERDB
bench() { # bench NAME PKG PATTERN TIMES
	step "$1" env -C "$REPO/$2" "$RUN/$2.test" -test.run '^$' -test.bench "^$3\$" -test.benchtime "$4" -test.timeout 60m
}
if [ "$SCALE" != 1 ]; then
	bench fts5 store BenchmarkFTS5Peer 3x
	bench search casefile BenchmarkSearchQueries 3x
	bench filters casefile BenchmarkEventFilters 5x
	[ -f "$PEERDB" ] && bench filters-sql casefile BenchmarkEventFiltersSQL 5x
	table "$(($(date +%s) - began))"
	exit 0
fi

"$CB" new "$RUN/case-jsonl" >/dev/null
step jsonl-import "$CB" import "$RUN/case-jsonl" "$DATA/access_logs.jsonl" --defer-index --json
rm -rf "$RUN/case-jsonl"

# --- transcripts: Casebook (parse, store, index), recollindex, FTS5 ----------------------------------------
"$CB" new "$RUN/case-vtt" >/dev/null
step vtt-import "$CB" import "$RUN/case-vtt" "$DATA/vtt" --json
rm -rf "$RUN/case-vtt"

if command -v recollindex >/dev/null; then
	RC=$RUN/recoll
	mkdir -p "$RC"
	printf 'topdirs = %s\nloglevel = 1\nnoaspell = 1\n' "$DATA/vtt" >"$RC/recoll.conf"
	printf '.vtt = text/plain\n' >"$RC/mimemap"
	step recollindex env RECOLL_CONFDIR="$RC" recollindex -c "$RC" -z
	echo "du.recoll=$(kb "$RC/xapiandb")" >>"$FIG"
	rm -rf "$RC/xapiandb"
else
	skip recollindex "no recollindex"
fi

bench fts5 store BenchmarkFTS5Peer 3x

# --- search and filters over the big case ---------------------------------------------------------------
bench search casefile BenchmarkSearchQueries 3x
if command -v rg >/dev/null; then
	step rg "$RUN/casebook-bench-rg" -data "$DATA" -rounds 3
else
	skip rg "no ripgrep"
fi
bench filters casefile BenchmarkEventFilters 5x
[ -f "$PEERDB" ] && bench filters-sql casefile BenchmarkEventFiltersSQL 5x

# --- rules, PDF, the window -----------------------------------------------------------------------------
step rules "$CB" rules run "$CASE" --json
bench pdf reports BenchmarkReport500Exhibits 1x

# --- sealed records: what sealing costs an import, and verify on the big case ----------------------------
bench seal-store casefile BenchmarkStoreAccessCSV 1x
bench seal-digests casefile BenchmarkSealDigests 3x
step verify "$CB" verify "$CASE" --json
step verify-deep "$CB" verify "$CASE" --deep --json

# --- the whole case as FollowTheMoney entities: rate and peak RSS of the stream (issue 22) ------------------
step export-ftm "$CB" export "$CASE" --format ftm --what all -o "$RUN/case.ftm.json" --force
[ -f "$RUN/case.ftm.json" ] && echo "export-ftm.entities=$(wc -l <"$RUN/case.ftm.json")" >>"$FIG"
rm -f "$RUN/case.ftm.json"

# gui NAME DIR: open the window on the case in DIR under Xvfb, wait, read its VmRSS and VmHWM, close it.
gui() {
	local xvfb pid
	idle "$1"
	xvfb-run -a "$CB" gui "$2" >"$RUN/$1.out" 2>"$RUN/$1.err" &
	xvfb=$!
	sleep "$GUI_WAIT"
	pid=$(pgrep -P "$xvfb" -x casebook || true)
	if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
		{
			echo "$1.wait=$GUI_WAIT"
			awk -v k="$1" '/^VmRSS:/ { print k ".rss_kb=" $2 } /^VmHWM:/ { print k ".hwm_kb=" $2 }
				/^RssAnon:/ { print k ".anon_kb=" $2 } /^RssFile:/ { print k ".file_kb=" $2 }' "/proc/$pid/status"
		} >>"$FIG"
		grep -E '^(Vm(RSS|HWM)|Rss(Anon|File)):' "/proc/$pid/status" | sed 's/^/   /'
		kill "$pid"
	else
		skip "$1" "the window was not running after ${GUI_WAIT}s (see $RUN/$1.err)"
	fi
	wait "$xvfb" || true
}
if command -v xvfb-run >/dev/null; then
	"$CB" new "$RUN/case-empty" >/dev/null
	gui gui-empty "$RUN/case-empty"
	rm -rf "$RUN/case-empty"
	gui gui "$CASE"
else
	skip gui "no Xvfb (xvfb-run)"
fi

# --- growth: the log alone at twice the size ------------------------------------------------------------
"$CB" new "$RUN/case-x2" >/dev/null
step x2-csv-import "$CB" import "$RUN/case-x2" "$DATA2/access_logs.csv" --defer-index --json
watched x2-catch-up "$CB" search "$RUN/case-x2" '*' --limit 1 --json
echo "du.case-x2=$(kb "$RUN/case-x2")" >>"$FIG"
rm -rf "$RUN/case-x2"

table "$(($(date +%s) - began))"
