#!/usr/bin/env bash
# The real casebook.exe under Wine, through the command line and its window (make test-windows runs this).
#
#   scripts/wine/cli-flows.sh CASEBOOK.EXE WORKDIR [SUMMARY]
#
# WINEPREFIX must be a prefix test-windows.sh prepared (with the ProcessPrng shim); WORKDIR/xwdcheck is
# internal/xwdcheck, built. The case lives on the prefix's C: drive in a folder whose name has spaces, "&", an
# em dash, umlauts and CJK; the inputs are the project's own fictional fixtures, copied under such names; the
# unpacked copy goes to Z: (Wine's view of the Unix root). Each flow checks what the command printed and, where
# it wrote a file, the file, from the Linux side. Exits 1 when a flow failed.
set -uo pipefail
exe=$1
work=$2
summary=${3:-}
drive_c=$WINEPREFIX/drive_c
passed=()
failed=()

# cb ARGS...: run casebook.exe; its standard output in $out, standard error in $err, exit code in $code.
cb() {
	out=$(wine "$exe" "$@" 2>"$work/stderr")
	code=$?
	err=$(cat "$work/stderr")
}

# flow NAME CONDITION...: record NAME as passed when the condition (a command) succeeds, else as failed with
# the last command's output.
flow() {
	local name=$1
	shift
	if "$@"; then
		passed+=("$name")
	else
		failed+=("$name")
		echo "test-windows: flow \"$name\" failed (exit $code)" >&2
		printf '%s\n' "$out" "$err" | sed 's/^/    /' | head -40 >&2
	fi
}

# has TEXT PATTERN: TEXT matches the extended regular expression PATTERN.
has() { grep -Eq -- "$2" <<<"$1"; }

# unix PATH: the Unix path of a C: path in the prefix.
unix() { local p=${1#C:}; printf '%s%s' "$drive_c" "${p//\\//}"; }

# The display comes first: the first Wine process of a prefix starts its desktop process (explorer.exe) with the
# DISPLAY it has, and every later window of that wineserver is made through that desktop. Started without one,
# the window later fails with "GLFW: Failed to create helper window: Resource data not found", whatever DISPLAY
# it is given. test-windows.sh starts Xvfb before wineboot and passes DISPLAY on; run alone, this script starts
# its own, and then WINEPREFIX's wineserver must not be running yet.
DISPLAY=${DISPLAY:-}
if [ -z "$DISPLAY" ]; then
	exec 5>"$work/display"
	Xvfb -displayfd 5 -screen 0 1280x900x24 -nolisten tcp -br >"$work/xvfb.log" 2>&1 &
	xvfb=$!
	exec 5>&-
	trap 'kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null' EXIT
	for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.2; done
	[ ! -s "$work/display" ] || export DISPLAY=:$(cat "$work/display")
fi

case_dir='C:\Fälle & Notizen\Lumora — 数据 2022\Fall 1'
inbox='C:\Eingang ü\März & April'
reports='C:\Berichte 报告'
mkdir -p "$(unix "$inbox")" "$(unix "$reports")"
cp importer/testdata/fixtures/teams_lumora_standup.vtt "$(unix "$inbox")/Sitzung 05.03 – Moderation.vtt"
cp casefile/testdata/access.csv "$(unix "$inbox")/zugriffe & logs.csv"
vtt="$inbox\\Sitzung 05.03 – Moderation.vtt"
csv="$inbox\\zugriffe & logs.csv"

cb new "$case_dir" --title "Lumora inquiry" --investigator "Tess Tester"
flow "new on C:\\…\\Lumora — 数据 2022\\Fall 1" eval '[ $code = 0 ] && [ -f "$(unix "$case_dir")/case.db" ]'

cb import "$case_dir" "$vtt" "$csv" --json
flow "import a VTT and an access-log CSV" eval '[ $code = 0 ] && has "$out" "\"kind\": \"transcript\"" &&
	has "$out" "\"kind\": \"accesslog\"" && has "$out" "\"records\": [1-9]" && ! has "$out" "\"error\""'

cb search "$case_dir" backlog --json
flow "search the transcript" eval '[ $code = 0 ] && has "$out" "\"id\": \"seg-[0-9]+\"" && has "$out" "Mia Chen"'

cb search "$case_dir" UserVault
flow "search the access log" eval '[ $code = 0 ] && has "$out" "^2 hits" && has "$out" "evt-1 .*Wei Zhang"'

cb tag "$case_dir" evidence --search backlog
flow "tag every hit of a search" eval '[ $code = 0 ]'

cb verify "$case_dir"
flow "verify" eval '[ $code = 0 ] && has "$out" "^ok"'

pdf="$reports\\Bericht & Anhang ü.pdf"
cb report "$case_dir" -o "$pdf" --date 2026-01-02
flow "report to C:\\Berichte 报告\\Bericht & Anhang ü.pdf" eval '[ $code = 0 ] &&
	[ "$(head -c 5 "$(unix "$pdf")")" = "%PDF-" ] && [ $(stat -c %s "$(unix "$pdf")") -gt 2000 ]'

cb verify-report "$pdf" "$case_dir"
flow "verify-report of the PDF against the case" eval '[ $code = 0 ]'

csvout="$reports\\Ereignisse – alle.csv"
cb export "$case_dir" -o "$csvout" --what events
flow "export the events as CSV" eval '[ $code = 0 ] && [ $(wc -l <"$(unix "$csvout")") -ge 5 ] &&
	grep -q "Wei Zhang" "$(unix "$csvout")"'

zip="$reports\\Fall 1 – Übergabe.zip"
cb pack "$case_dir" -o "$zip"
flow "pack" eval '[ $code = 0 ] && [ "$(head -c 2 "$(unix "$zip")")" = PK ]'

unpacked="$work/entpackt – Fall 1 ü"
cb unpack "$zip" -o "Z:${unpacked//\//\\}"
flow "unpack to Z:\\…\\entpackt – Fall 1 ü" eval '[ $code = 0 ] && [ -f "$unpacked/case.db" ]'

cb search "Z:${unpacked//\//\\}" UserVault
flow "search the unpacked case" eval '[ $code = 0 ] && has "$out" "^2 hits"'

# The window, under Xvfb: a black screen before, a drawn window after; meanwhile the window holds the case lock
# (LockFileEx), so a second process is refused; once the window is gone, the lock is free again.
if [ -z "$DISPLAY" ]; then
	code=1 out= err=$(cat "$work/xvfb.log" 2>/dev/null)
	flow "window under Xvfb" false
else
	xwd -root -silent -out "$work/before.xwd"
	out=$("$work/xwdcheck" "$work/before.xwd") && before=drawn || before=blank
	wine "$exe" gui "$case_dir" >"$work/gui.log" 2>&1 &
	gui=$!
	drawn=
	for _ in $(seq 60); do
		sleep 1
		xwd -root -silent -out "$work/screen.xwd" 2>/dev/null || continue
		if out=$("$work/xwdcheck" "$work/screen.xwd"); then drawn=1; break; fi
	done
	code=$drawn err=$(cat "$work/gui.log")
	flow "window drawn under Xvfb ($out)" eval '[ $before = blank ] && [ -n "$drawn" ]'
	cb tag "$case_dir" evt-1 evidence
	flow "a second process refused by the case lock" eval '[ $code != 0 ] &&
		has "$err" "is open in another Casebook \(pid [0-9]+\)"'
	kill "$gui" 2>/dev/null
	wait "$gui" 2>/dev/null
	cb tag "$case_dir" evt-1 evidence
	flow "the lock is free once the window is gone" eval '[ $code = 0 ]'
fi

total=$((${#passed[@]} + ${#failed[@]}))
line="casebook.exe: ${#passed[@]} of $total flows passed"
[ ${#failed[@]} = 0 ] || line+="; failed: $(IFS=';' && echo "${failed[*]}")"
echo "test-windows: $line"
printf '  ok: %s\n' "${passed[@]}"
[ -z "$summary" ] || echo "windows/amd64 under Wine: $line (new, import, search, tag, verify, report, export, pack, unpack, the window, the lock; paths with C: and Z:, spaces, &, non-ASCII)" >>"$summary"
[ ${#failed[@]} = 0 ]
