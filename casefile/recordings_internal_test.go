package casefile

import "testing"

func TestPairingKeysOfRecordingAndTranscriptNames(t *testing.T) {
	pairs := [][2]string{
		{"meeting.m4a", "meeting.vtt"},
		{"GMT20220615-140102_Recording.m4a", "GMT20220615-140102_Recording.transcript.vtt"},
		{"GMT20220615-140102_Recording_1920x1080.mp4", "GMT20220615-140102_Recording.cc.vtt"},
		{"Meeting Recording.mp4", "Meeting Transcript.vtt"},
		{"Meeting Recording.mp4", "Meeting Transcript.docx"},
		{"Q3 sync-20231005_140102-Meeting Recording.mp4", "Q3 sync-20231005_140102-Meeting Transcript.vtt"},
		{"Board_2022-01-14.WAV", "board 2022-01-14.txt"},
		{"archive/calls/ops-review.flac", "ops-review.srt"},
	}
	for _, p := range pairs {
		if a, b := pairingKey(p[0]), pairingKey(p[1]); a != b || a == "" {
			t.Errorf("%q → %q, %q → %q: want one key", p[0], a, p[1], b)
		}
	}
	apart := [][2]string{
		{"GMT20220615-140102_Recording.m4a", "GMT20220615-150000_Recording.transcript.vtt"},
		{"meeting-1.wav", "meeting-2.vtt"},
		{"Recording.mp4", "Transcript.vtt"},
	}
	for _, p := range apart {
		if pairingKey(p[0]) == pairingKey(p[1]) {
			t.Errorf("%q and %q share key %q", p[0], p[1], pairingKey(p[0]))
		}
	}
}
