package demo

import _ "embed"

// recordingMP3 is the demo's fictional recording: espeak-ng speaking the
// first five segments of the meeting 2022-01-14_data-access-sync.vtt, each
// at its time in the transcript (no real voice; made by recording/make.sh).
// Mono, 16 kHz, 32 kbit/s MP3, 34.6 s, 139 KB.
//
//go:embed recording/data-access-sync.mp3
var recordingMP3 []byte

// RecordingName is the demo recording's file name: the meeting's own, so
// the import pairs the two by name.
const RecordingName = "2022-01-14_data-access-sync.mp3"

// Recording returns the demo's recording: its file name and bytes.
func Recording() (name string, body []byte) { return RecordingName, recordingMP3 }
