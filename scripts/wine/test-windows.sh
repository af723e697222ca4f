#!/usr/bin/env bash
# make test-windows: the Windows build run for real, under Wine, on Linux.
#
#   scripts/wine/test-windows.sh [SUMMARY]
#
# 1. Installs Debian's wine (wine64), Xvfb, xwd and Mesa's software GL with apt-get when missing, as root or
#    with sudo. Where they cannot be installed, it says so in one line (also in SUMMARY) and exits 0.
# 2. Makes a fresh Wine prefix in build/wine/prefix and puts in its system32 the test-only bcryptprimitives.dll
#    (scripts/wine/bcryptprimitives.c, built with mingw-w64): Go 1.26's Windows runtime needs its ProcessPrng,
#    which Wine 8 lacks.
# 3. Runs `go test -exec wine` (windows/amd64, cgo with mingw-w64, no race detector: Go has none there) for every
#    package but $WINE_SKIP, with -tags wine so that internal/wine makes t.TempDir cleanup work under Wine; the
#    cli tests, when run, use the real $WIN_BIN (make cross builds it).
# 4. Runs the real $WIN_BIN through the command-line flows in cli-flows.sh (drive letter, spaces, &, non-ASCII;
#    import, search, tag, verify, report, export, pack, unpack), opens its window under Xvfb, checks the
#    screenshot shows a drawn window, and checks that a second process is refused by the case lock meanwhile.
#
# SUMMARY, when given, gets one line per part appended. Exits 1 when a test or flow failed.
set -uo pipefail
summary=${1:-}
GO=${GO:-go}
TAGS=${TAGS:-migrated_fynedo}
WIN_CC=${WIN_CC:-x86_64-w64-mingw32-gcc}
WIN_BIN=${WIN_BIN:-bin/casebook.exe}
# casebook/ui: its tests draw on Fyne's software canvas and its smoke test needs Linux's Xvfb; the window is
# checked below on the real binary instead. casebook/internal/depcheck runs the go command, which Wine lacks;
# it already checks the windows build from Linux. casebook/cli runs (about 310 s of tests: every test starts the
# real casebook.exe, about 0.5 s a start under Wine); WINE_SKIP="... casebook/cli" leaves it out for a quick run.
WINE_SKIP=${WINE_SKIP:-casebook/ui casebook/internal/depcheck}
APT_WINE="wine wine64 xvfb x11-apps libgl1-mesa-dri"
start=$(date +%s)

say() {
	echo "test-windows: $*"
	[ -z "$summary" ] || echo "windows/amd64 under Wine: $*" >>"$summary"
}

# 1. Wine and the X tools.
missing=
[ -x /usr/lib/wine/wine64 ] && command -v wine >/dev/null || missing=1
command -v Xvfb >/dev/null && command -v xwd >/dev/null || missing=1
[ -e /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so ] || missing=1
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		SUDO=
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=sudo
	else
		say "skipped: Wine is not installed and installing it ($APT_WINE) needs root or sudo"
		exit 0
	fi
	echo "installing $APT_WINE"
	if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $APT_WINE >/dev/null; }; then
		say "skipped: apt-get could not install $APT_WINE"
		exit 0
	fi
fi
command -v "$WIN_CC" >/dev/null || { echo "test-windows: $WIN_CC missing (make setup-cross installs it)" >&2; exit 1; }
[ -f "$WIN_BIN" ] || { echo "test-windows: $WIN_BIN missing (make cross builds it)" >&2; exit 1; }

# 2. A fresh prefix with the ProcessPrng shim. mscoree and mshtml are switched off so that wineboot does not
# offer to download Mono and Gecko.
work=$PWD/build/wine
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
rm -rf "$work" && mkdir -p "$work"
# A display before the first Wine process: that process starts the prefix's desktop (explorer.exe) with the
# DISPLAY it has, and later windows are made through it. Without one, the window of the flows below fails with
# "GLFW: Failed to create helper window: Resource data not found" (seen on a clean clone, where make test runs
# with no DISPLAY). The Xvfb is this step's own, whatever DISPLAY the caller has.
exec 5>"$work/display"
Xvfb -displayfd 5 -screen 0 1280x900x24 -nolisten tcp -br >"$work/xvfb.log" 2>&1 &
xvfb=$!
exec 5>&-
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.2; done
if [ ! -s "$work/display" ]; then
	cat "$work/xvfb.log" >&2
	echo "test-windows: Xvfb did not start" >&2
	kill $xvfb 2>/dev/null
	exit 1
fi
export DISPLAY=:$(cat "$work/display")
trap 'kill $xvfb 2>/dev/null' EXIT
wineboot -i >"$work/wineboot.log" 2>&1
if [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
	cat "$work/wineboot.log" >&2
	echo "test-windows: wineboot did not make $WINEPREFIX" >&2
	exit 1
fi
"$WIN_CC" -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
	scripts/wine/bcryptprimitives.c -ladvapi32 || exit 1
# One wineserver for the whole step (each wine call would otherwise start its own); stopped on exit.
wineserver -p
trap 'wineserver -k 2>/dev/null; kill $xvfb 2>/dev/null' EXIT
# Wine's own background processes (services.exe, winedevice.exe, plugplay.exe, rpcss.exe, explorer.exe) are
# started by the first Windows program that needs them, hold its standard error, and are shut down whenever no
# user program runs, even under a persistent wineserver. Started by a test binary, they kept go test's pipe
# open: "Test I/O incomplete 2m0s after exiting", FAIL casebook/casefile with no test failed (seen on a clean
# clone). keepalive.exe, a program that only waits, runs for the whole step with its output in a log, and a boot
# of the prefix starts them under it: they hold the log and live until the step ends.
"$WIN_CC" -O2 -s -o "$work/keepalive.exe" scripts/wine/keepalive.c || exit 1
wine "$work/keepalive.exe" >>"$work/wineboot.log" 2>&1 </dev/null &
wineboot >>"$work/wineboot.log" 2>&1

# winpath PATH: the Windows name Wine gives a Unix path (its Z: drive).
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# 3. The tests.
pkgs=$($GO list ./... | grep -vxF -f <(tr ' ' '\n' <<<"$WINE_SKIP"))
t0=$(date +%s)
env GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC="$WIN_CC" CASEBOOK_UNDER_WINE=1 \
	CASEBOOK_TEST_BIN="$(winpath "$PWD/$WIN_BIN")" \
	$GO test -exec wine -count=1 -timeout 20m -tags "$TAGS,wine" -ldflags=-checklinkname=0 -json $pkgs 2>&1 |
	$GO run ./internal/testsummary -label "go test under Wine (windows/amd64, every package but $WINE_SKIP)" \
		${summary:+-o "$summary"}
rc=$?
echo "test-windows: go test under Wine took $(($(date +%s) - t0)) s"

# 4. The real binary.
t0=$(date +%s)
$GO build -o "$work/xwdcheck" ./internal/xwdcheck || exit 1
scripts/wine/cli-flows.sh "$WIN_BIN" "$work" "$summary" || rc=1
echo "test-windows: the flows of the real binary took $(($(date +%s) - t0)) s"
echo "test-windows: $(($(date +%s) - start)) s in all"
exit $rc
