package cli_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// speechWAV is package media's synthesised speech: 88,204 frames, 16 kHz mono.
var speechWAV = filepath.Join("..", "media", "testdata", "speech.wav")

// pcm returns the samples of a 16-bit PCM WAV (its data chunk).
func pcm(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 12; i+8 <= len(b); {
		id, n := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		if id == "data" {
			return b[i+8 : min(len(b), i+8+n)]
		}
		i += 8 + n + n%2
	}
	t.Fatalf("%s: no data chunk", path)
	return nil
}

func TestPairClipTranscribeAndUnpairWithTheRealBinary(t *testing.T) {
	work := t.TempDir()
	dir := filepath.Join(work, "case")
	mustRun(t, "new", dir, "--investigator", "Tess Tester")
	wav := filepath.Join(work, "board-call.wav")
	b, _ := os.ReadFile(speechWAV)
	os.WriteFile(wav, b, 0o600)
	vtt := filepath.Join(work, "minutes.vtt")
	os.WriteFile(vtt, []byte("WEBVTT\n\n00:00:00.000 --> 00:00:01.900\n<v Chair>Northwind Lumen weekly sync.\n\n"+
		"00:00:02.100 --> 00:00:04.500\n<v Dana Ferro>Oslo still has standing access.\n"), 0o600)
	r := mustRun(t, "import", dir, wav, vtt)
	if strings.Contains(r.stdout, "paired with") {
		t.Fatalf("names that differ were paired:\n%s", r.stdout)
	}
	// Usage errors exit 2; a transcript with no recording exits 1.
	for _, c := range []struct {
		code int
		args []string
	}{
		{2, []string{"pair", dir}},
		{2, []string{"pair", dir, "minutes.vtt"}},
		{2, []string{"pair", dir, "minutes.vtt", "board-call.wav", "--offset", "soon"}},
		{2, []string{"clip", dir, "minutes.vtt#2"}},
		{2, []string{"transcribe", dir, "board-call.wav", "--start", "1", "words"}},
		{1, []string{"clip", dir, "minutes.vtt#2", "-o", filepath.Join(work, "x.wav")}},
		{1, []string{"unpair", dir, "minutes.vtt"}},
		{1, []string{"pair", dir, "board-call.wav", "minutes.vtt"}},
	} {
		if got := casebook(t, c.args...); got.code != c.code || strings.Count(got.stderr, "\n") != 1 {
			t.Errorf("casebook %v: exit %d, want %d; stderr %q", c.args, got.code, c.code, got.stderr)
		}
	}
	mustRun(t, "pair", dir, "minutes.vtt", "board-call.wav", "--offset", "0.437s")
	r = mustRun(t, "pair", dir, "--list", "--json")
	var ps []struct {
		Transcript, Recording, How string
		OffsetMS                   int64 `json:"offset_ms"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &ps); err != nil || len(ps) != 1 || ps[0].OffsetMS != 437 || ps[0].How != "hand" {
		t.Fatalf("pairings %s (%v)", r.stdout, err)
	}
	out := filepath.Join(work, "clip.wav")
	r = mustRun(t, "clip", dir, "minutes.vtt#2", "-o", out)
	if !strings.Contains(r.stdout, "0:02.537–0:04.937") {
		t.Errorf("clip said %q", r.stdout)
	}
	got := pcm(t, out)
	if sox, err := exec.LookPath("sox"); err == nil {
		want := filepath.Join(work, "want.wav")
		// Segment 2 is 2.100–4.500 s; with the offset, frames 40592 to 78992 at 16 kHz.
		if o, err := exec.Command(sox, wav, want, "trim", "40592s", "=78992s").CombinedOutput(); err != nil {
			t.Fatalf("sox: %v %s", err, o)
		}
		if w := pcm(t, want); !bytes.Equal(got, w) {
			t.Fatalf("clip %d bytes differs from sox's trim (%d bytes)", len(got), len(w))
		}
	} else {
		all := pcm(t, speechWAV)
		if !bytes.Equal(got, all[40592*2:78992*2]) {
			t.Fatalf("clip %d bytes differs from the recording's span", len(got))
		}
	}
	r = mustRun(t, "transcribe", dir, "board-call.wav", "--start", "0:02.5", "--end", "4.9", "--speaker", "Dana Ferro",
		"--json", "Oslo still has standing access, said by hand.")
	var seg struct {
		Segment string
		By      string
		StartMS int64 `json:"start_ms"`
		EndMS   int64 `json:"end_ms"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &seg); err != nil || seg.By != "Tess Tester" || seg.StartMS != 2500 || seg.EndMS != 4900 {
		t.Fatalf("transcribe said %s (%v)", r.stdout, err)
	}
	r = mustRun(t, "search", dir, `"said by hand"`)
	if !strings.Contains(r.stdout, seg.Segment) {
		t.Errorf("search for the typed words:\n%s", r.stdout)
	}
	// A hand-typed segment is heard from its own recording, no offset.
	out2 := filepath.Join(work, "typed.wav")
	mustRun(t, "clip", dir, seg.Segment, "-o", out2)
	if n := len(pcm(t, out2)); n != (4900-2500)*16*2 {
		t.Errorf("clip of the typed segment: %d bytes", n)
	}
	if got := casebook(t, "transcribe", dir, "board-call.wav", "--start", "5", "--end", "9", "past the end"); got.code != 1 {
		t.Errorf("a passage past the recording's end: exit %d %s", got.code, got.stderr)
	}
	mustRun(t, "unpair", dir, "minutes.vtt")
	r = mustRun(t, "verify", dir, "--deep")
	if !strings.HasPrefix(r.stdout, "ok:") {
		t.Errorf("verify --deep: %s", r.stdout)
	}
	// Completion offers transcripts first, then recordings.
	if r := mustRun(t, "__complete", "pair", dir, ""); !strings.Contains(r.stdout, "src-2") || strings.Contains(r.stdout, "src-1") {
		t.Errorf("pair completion of the transcript: %q", r.stdout)
	}
	if r := mustRun(t, "__complete", "pair", dir, "src-2", ""); !strings.Contains(r.stdout, "src-1") || strings.Contains(r.stdout, "src-2") {
		t.Errorf("pair completion of the recording: %q", r.stdout)
	}
}

func TestImportPairsARecordingWithItsTranscriptByName(t *testing.T) {
	work := t.TempDir()
	dir := filepath.Join(work, "case")
	mustRun(t, "new", dir)
	b, _ := os.ReadFile(speechWAV)
	zoom := filepath.Join(work, "zoom")
	os.Mkdir(zoom, 0o700)
	os.WriteFile(filepath.Join(zoom, "GMT20220615-140102_Recording.wav"), b, 0o600)
	os.WriteFile(filepath.Join(zoom, "GMT20220615-140102_Recording.transcript.vtt"),
		[]byte("WEBVTT\n\n00:00:00.000 --> 00:00:01.900\n<v Chair>Northwind Lumen weekly sync.\n"), 0o600)
	r := mustRun(t, "import", dir, zoom)
	if !strings.Contains(r.stdout, "GMT20220615-140102_Recording.transcript.vtt: paired with src-2 by their names") ||
		!strings.Contains(r.stdout, "GMT20220615-140102_Recording.wav: paired with src-1 by their names") {
		t.Fatalf("import did not pair:\n%s", r.stdout)
	}
}
