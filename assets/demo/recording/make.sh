#!/bin/sh
# Makes data-access-sync.mp3, the demo case's fictional recording: espeak-ng
# speaks the first five segments of the demo meeting 2022-01-14_data-access-sync.vtt
# (fictional people of the fictional company Lumora; no real voice), each
# placed at its start time in the transcript and, when the voice runs past
# the segment's end, sped up with SoX's tempo (pitch kept) to fit. Run once;
# the MP3 is committed. Needs espeak-ng, sox and ffmpeg (with libmp3lame).
set -eu
out=${1:-data-access-sync.mp3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
# start end voice text (times in seconds, from the transcript)
while IFS='|' read -r start end voice text; do
	i=$((i + 1))
	espeak-ng -v "$voice" -s 165 -w "$tmp/raw$i.wav" "$text"
	sox "$tmp/raw$i.wav" -r 16000 -c 1 -b 16 "$tmp/say$i.wav"
	have=$(soxi -D "$tmp/say$i.wav")
	slot=$(echo "$end - $start" | bc -l)
	if [ "$(echo "$have > $slot" | bc -l)" = 1 ]; then
		sox "$tmp/say$i.wav" "$tmp/fit$i.wav" tempo -s "$(echo "$have / $slot + 0.01" | bc -l)"
	else
		cp "$tmp/say$i.wav" "$tmp/fit$i.wav"
	fi
	# silence before, so the speech starts at the segment's start
	sox "$tmp/fit$i.wav" "$tmp/at$i.wav" pad "$start" 0
done <<'SCRIPT'
3.010|9.620|en-us+m3|Okay, I think we have everyone. Thanks for joining so late in your day, Beijing folks.
10.560|16.880|en+f2|No problem, it's evening here. We have about thirty minutes before our next call.
18.020|22.360|en-gb+m1|There's a dependency on TrustDesk there that we shouldn't forget.
23.560|30.230|en+f4|Can everyone see my screen? This is the TrustDesk dashboard we use for the retention hold.
30.500|34.810|en-us+f3|I can take the action item on the retention hold.
SCRIPT
sox -m "$tmp"/at*.wav "$tmp/mix.wav" pad 0 1.0 norm -3
ffmpeg -v error -y -i "$tmp/mix.wav" -ac 1 -ar 16000 -c:a libmp3lame -b:a 32k "$out"
