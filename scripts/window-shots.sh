#!/usr/bin/env bash
# The real binary's window on the demo case, under Xvfb, at the sizes the README promises it fits (1024×700, the
# smallest, and 1440×900), screenshotted to docs/screenshots/window-WxH.png. Unlike make screenshots (Fyne's
# software canvas in a test), this is the GLFW window as an investigator gets it: fonts, scaling and layout as drawn.
# Usage: scripts/window-shots.sh BIN DEMO_DIR OUT_DIR   (make window-shots passes them)
set -euo pipefail
bin=${1:?binary} demo=${2:?demo case folder} out=${3:?output folder}
for tool in Xvfb xdotool import; do
	command -v "$tool" >/dev/null || { echo "window-shots: $tool is missing (apt-get install xvfb xdotool imagemagick)" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

for size in 1024x700 1440x900; do
	w=${size%x*} h=${size#*x}
	# A fresh home whose preferences give the window this size (the window keeps its last size there).
	home="$work/home-$size"
	mkdir -p "$home/.config/fyne/io.casebook.app"
	printf '{"windowWidth":%s,"windowHeight":%s}\n' "$w" "$h" >"$home/.config/fyne/io.casebook.app/preferences.json"

	exec 3>"$work/display"
	Xvfb -displayfd 3 -screen 0 "${w}x${h}x24" -nolisten tcp 2>"$work/xvfb.log" &
	xvfb=$!
	exec 3>&-
	for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
	display=":$(tr -d '\n' <"$work/display")"
	: >"$work/display"

	DISPLAY=$display HOME=$home XDG_CONFIG_HOME=$home/.config LIBGL_ALWAYS_SOFTWARE=1 "$bin" gui "$demo" >"$work/app.log" 2>&1 &
	app=$!
	win=
	for _ in $(seq 200); do
		win=$(DISPLAY=$display xdotool search --name "^Casebook" 2>/dev/null | head -1) && [ -n "$win" ] && break
		sleep 0.3
	done
	[ -n "$win" ] || { echo "window-shots: no window at $size" >&2; cat "$work/app.log" >&2; exit 1; }
	DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" "$w" "$h"
	sleep 6 # the case loads and the overview paints
	DISPLAY=$display import -window root "$out/window-$size.png"
	echo "window-shots: $out/window-$size.png"
	# Then as an investigator does with the keyboard alone: Ctrl+F, a query, Enter, ↓ to the hits, Enter opens the
	# first in the Reader, among its neighbours, the words found marked and its details beside it.
	DISPLAY=$display xdotool key ctrl+f
	sleep 1
	DISPLAY=$display xdotool type --delay 20 '"master admin" approved'
	DISPLAY=$display xdotool key Return
	sleep 3
	DISPLAY=$display xdotool key Down
	sleep 1
	DISPLAY=$display xdotool key Return
	sleep 3
	DISPLAY=$display import -window root "$out/window-$size-reader.png"
	echo "window-shots: $out/window-$size-reader.png"
	kill -TERM "$app" && wait "$app" || true
	kill "$xvfb" && wait "$xvfb" 2>/dev/null || true
done
