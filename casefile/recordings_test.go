package casefile_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// speechDir holds package media's recordings: espeak-ng speaking a fictional
// meeting, 88,204 frames at 16 kHz mono (see media/testdata/README.md).
const speechDir = "../media/testdata"

// copyAs copies a file into dir under another name.
func copyAs(t *testing.T, from, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// speechVTT is a WebVTT transcript of the speech recordings, its times in
// the transcript's own clock (the recording's minus offset).
func speechVTT(t *testing.T, dir, name string) string {
	t.Helper()
	body := "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\n<v Chair>Northwind Lumen weekly sync.\n\n" +
		"2\n00:00:02.100 --> 00:00:04.500\n<v Dana Ferro>Oslo still has standing access.\n"
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func sourceID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := model.ParseItemID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id.N
}

func TestARecordingIsImportedStoredHashedAndPairedByName(t *testing.T) {
	c, dir := newCase(t)
	in := t.TempDir()
	wav := copyAs(t, filepath.Join(speechDir, "speech.wav"), in, "meeting.wav")
	vtt := speechVTT(t, in, "meeting.vtt")
	res := importOK(t, c, casefile.ImportOptions{}, wav, vtt)
	var rec, tr casefile.ImportResult
	for _, r := range res {
		if r.Kind == string(model.KindRecording) {
			rec = r
		} else {
			tr = r
		}
	}
	if rec.SourceID == "" || tr.SourceID == "" || rec.PairedWith != tr.SourceID || tr.PairedWith != rec.SourceID {
		t.Fatalf("results %+v", res)
	}
	recID, trID := sourceID(t, rec.SourceID), sourceID(t, tr.SourceID)
	info, err := c.Recording(t.Context(), recID)
	if err != nil {
		t.Fatal(err)
	}
	// 88,204 frames at 16 kHz: 5,512.75 ms.
	if info.Format != "wav" || info.SampleRate != 16000 || info.Channels != 1 || info.DurationMS != 5513 {
		t.Fatalf("recording %+v", info)
	}
	p, src, path, err := c.RecordingFor(t.Context(), trID)
	if err != nil || p.RecordingID != recID || p.How != model.PairedByName || p.OffsetMS != 0 || src.ID != recID {
		t.Fatalf("RecordingFor: %+v %+v %v", p, src, err)
	}
	stored, _ := os.ReadFile(path)
	orig, _ := os.ReadFile(wav)
	if !bytes.Equal(stored, orig) || !strings.HasPrefix(path, dir) {
		t.Fatalf("stored original %s differs from the file imported", path)
	}
	// A recording is its own recording; a transcript with none says so.
	if p, _, _, err := c.RecordingFor(t.Context(), recID); err != nil || p.RecordingID != recID || p.OffsetMS != 0 {
		t.Fatalf("RecordingFor a recording: %+v %v", p, err)
	}
	if err := c.Unpair(t.Context(), trID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.RecordingFor(t.Context(), trID); !errors.Is(err, casefile.ErrNotPaired) {
		t.Fatalf("after unpair: %v", err)
	}
	if err := c.Unpair(t.Context(), trID); !errors.Is(err, casefile.ErrNotPaired) {
		t.Fatalf("second unpair: %v", err)
	}
	if err := c.Pair(t.Context(), recID, trID, 0); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("pairing the wrong way round: %v", err)
	}
	if err := c.Pair(t.Context(), trID, recID, 12300); err != nil {
		t.Fatal(err)
	}
	trail, _ := c.AuditTrail(t.Context())
	var actions []string
	for _, e := range trail {
		if e.Action == "pair" || e.Action == "unpair" {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "pair,unpair,pair" {
		t.Fatalf("audited pairing changes %v", actions)
	}
	rep, err := c.VerifyWith(t.Context(), casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify --deep of a case with a recording: %v %v", rep.Problems, err)
	}
}

func TestZoomAndTeamsNamesPairAcrossImports(t *testing.T) {
	c, _ := newCase(t)
	in := t.TempDir()
	// The transcripts first, the recordings in a later import: pairing looks
	// at what the case already holds.
	zt := speechVTT(t, in, "GMT20220615-140102_Recording.transcript.vtt")
	tt := speechVTT(t, in, "Meeting Transcript.vtt")
	if err := os.WriteFile(tt, append([]byte("WEBVTT\n\nNOTE Teams\n"), []byte(strings.TrimPrefix(mustRead(t, tt), "WEBVTT\n"))...), 0o600); err != nil {
		t.Fatal(err)
	}
	first := importOK(t, c, casefile.ImportOptions{}, zt, tt)
	zr := copyAs(t, filepath.Join(speechDir, "speech.flac"), in, "GMT20220615-140102_Recording.flac")
	tr := copyAs(t, filepath.Join(speechDir, "speech.mp3"), in, "Meeting Recording.mp3")
	second := importOK(t, c, casefile.ImportOptions{}, zr, tr)
	want := map[string]string{first[0].SourceID: second[0].SourceID, first[1].SourceID: second[1].SourceID}
	ps, err := c.Pairings(t.Context())
	if err != nil || len(ps) != 2 {
		t.Fatalf("pairings %+v, %v", ps, err)
	}
	for _, p := range ps {
		if want[fmt.Sprintf("src-%d", p.TranscriptID)] != fmt.Sprintf("src-%d", p.RecordingID) {
			t.Errorf("pairing %+v, want %v", p, want)
		}
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestARecordingThatNeedsFFmpegSaysSoAndLeavesNothing(t *testing.T) {
	c, dir := newCase(t)
	t.Setenv("PATH", t.TempDir()) // no ffmpeg on it
	m4a := copyAs(t, filepath.Join(speechDir, "speech.m4a"), t.TempDir(), "call.m4a")
	res, err := c.Import(t.Context(), []string{m4a}, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Err == nil {
		t.Fatalf("results %+v", res)
	}
	msg := res[0].Err.Error()
	if !strings.HasPrefix(msg, m4a+": ") || !strings.Contains(msg, "ffmpeg is not installed") || strings.Contains(msg, "\n") ||
		strings.Contains(msg, ".incoming") {
		t.Fatalf("error %q", msg)
	}
	srcs, _ := c.Sources(t.Context())
	if len(srcs) != 0 {
		t.Fatalf("sources after a failed import: %+v", srcs)
	}
	var left []string
	filepath.WalkDir(filepath.Join(dir, "originals"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Fatalf("files left behind: %v", left)
	}
}

// wavData returns the sample bytes of a 16-bit PCM WAV (the data chunk).
func wavData(t *testing.T, b []byte) []byte {
	t.Helper()
	for i := 12; i+8 <= len(b); {
		id, n := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		if id == "data" {
			return b[i+8 : min(len(b), i+8+n)]
		}
		i += 8 + n + n%2
	}
	t.Fatal("no data chunk")
	return nil
}

func TestAClipIsTheSegmentsSpanWithTheOffsetToTheSample(t *testing.T) {
	if _, err := exec.LookPath("sox"); err != nil {
		t.Skip("sox is not installed")
	}
	c, _ := newCase(t)
	in := t.TempDir()
	wav := copyAs(t, filepath.Join(speechDir, "speech.wav"), in, "board.wav")
	vtt := speechVTT(t, in, "minutes.vtt") // names that do not match: paired by hand
	res := importOK(t, c, casefile.ImportOptions{}, wav, vtt)
	if res[0].PairedWith != "" {
		t.Fatalf("paired by name: %+v", res)
	}
	recID, trID := sourceID(t, res[0].SourceID), sourceID(t, res[1].SourceID)
	const offset = 437 // the transcript starts 0.437 s into the recording
	if err := c.Pair(t.Context(), trID, recID, offset); err != nil {
		t.Fatal(err)
	}
	segs, err := c.Segments(t.Context(), trID)
	if err != nil || len(segs) != 2 {
		t.Fatalf("segments %v %v", segs, err)
	}
	g := segs[1]
	var clip bytes.Buffer
	frames, rec, err := c.Clip(t.Context(), g.ID, &clip)
	if err != nil || rec.ID != recID {
		t.Fatal(rec, err)
	}
	// sox cuts frames [start, end) with trim Ns =Ms.
	start, end := (g.StartMS+offset)*16, (g.EndMS+offset)*16
	want := filepath.Join(t.TempDir(), "want.wav")
	if out, err := exec.Command("sox", wav, want, "trim", fmt.Sprintf("%ds", start), fmt.Sprintf("=%ds", end)).CombinedOutput(); err != nil {
		t.Fatalf("sox: %v %s", err, out)
	}
	wb, _ := os.ReadFile(want)
	got, exp := wavData(t, clip.Bytes()), wavData(t, wb)
	if frames != end-start || !bytes.Equal(got, exp) {
		t.Fatalf("clip: %d frames (%d bytes), sox's span %d frames (%d bytes), equal=%v", frames, len(got), end-start, len(exp), bytes.Equal(got, exp))
	}
	trail, _ := c.AuditTrail(t.Context())
	last := trail[len(trail)-1]
	if last.Action != "clip" || !strings.Contains(last.Detail, fmt.Sprintf(`"segment":"seg-%d"`, g.ID)) ||
		!strings.Contains(last.Detail, fmt.Sprintf(`"start_ms":%d`, g.StartMS+offset)) || !strings.Contains(last.Detail, rec.SHA256) {
		t.Fatalf("audit %+v", last)
	}
}

func TestAHandTypedSegmentIsSearchableSealedAndTaggable(t *testing.T) {
	c, dir := newCase(t)
	wav := copyAs(t, filepath.Join(speechDir, "speech.wav"), t.TempDir(), "leak-07.wav")
	res := importOK(t, c, casefile.ImportOptions{Date: "2022-03-09"}, wav)
	recID := sourceID(t, res[0].SourceID)
	if src, _ := c.Source(t.Context(), recID); src.Describes != "2022-03-09" || src.Title != "leak-07" {
		t.Fatalf("the recording describes %q, titled %q", src.Describes, src.Title)
	}
	if _, err := c.TranscribeSegment(t.Context(), recID, 3000, 9000, "Dana Ferro", "Oslo still has standing access."); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("a passage past the end: %v", err)
	}
	if _, err := c.TranscribeSegment(t.Context(), recID, 3000, 2000, "Dana Ferro", "x"); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("an end before the start: %v", err)
	}
	g, err := c.TranscribeSegment(t.Context(), recID, 3000, 5200, "Dana Ferro", "Oslo still has standing access.")
	if err != nil {
		t.Fatal(err)
	}
	if !g.ByHand || g.TypedBy != "Tess Tester" || g.TypedAt.IsZero() {
		t.Fatalf("segment %+v", g)
	}
	hits, err := c.Search(t.Context(), casefile.Query{Text: "standing access"})
	if err != nil || len(hits.Hits) != 1 || hits.Hits[0].ID != fmt.Sprintf("seg-%d", g.ID) {
		t.Fatalf("search: %+v %v", hits.Hits, err)
	}
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: g.ID}, "access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	trail, _ := c.AuditTrail(t.Context())
	found := false
	for _, e := range trail {
		found = found || (e.Action == "transcribe" && e.Actor == "Tess Tester" && strings.Contains(e.Detail, "standing access"))
	}
	if !found {
		t.Fatal("no transcribe entry in the audit trail")
	}
	var clip bytes.Buffer
	if frames, _, err := c.Clip(t.Context(), g.ID, &clip); err != nil || frames != (5200-3000)*16 {
		t.Fatalf("clip of a hand-typed segment: %d %v", frames, err)
	}
	c.Close()
	if rep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true}); !rep.OK {
		t.Fatalf("untouched: %v", rep.Problems)
	}
	tamper(t, dir, fmt.Sprintf(`UPDATE segments SET text = 'Oslo never had access.' WHERE id = %d`, g.ID))
	rep := verifyWith(t, dir, casefile.VerifyOptions{})
	if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), fmt.Sprintf("seg-%d: was changed after it was typed by hand", g.ID)) {
		t.Fatalf("tampered hand segment: %v", rep.Problems)
	}
}

func TestTheReportCitesTheRecordingAndAHandTypedQuote(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	in := t.TempDir()
	wav := copyAs(t, filepath.Join(speechDir, "speech.wav"), in, "weekly-sync.wav")
	vtt := speechVTT(t, in, "weekly-sync.vtt")
	res := importOK(t, c, casefile.ImportOptions{}, wav, vtt)
	recID, trID := sourceID(t, res[0].SourceID), sourceID(t, res[1].SourceID)
	if err := c.SetOffset(ctx, trID, 437); err != nil {
		t.Fatal(err)
	}
	segs, _ := c.Segments(ctx, trID)
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemSegment, N: segs[1].ID}, "access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	g, err := c.TranscribeSegment(ctx, recID, 500, 2400, "Chair", "Northwind Lumen weekly sync, as heard.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemSegment, N: g.ID}, "heard", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := c.WriteReport(ctx, &pdf, casefile.ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	chk, err := c.CheckReport(ctx, pdf.Bytes())
	if err != nil || !chk.OK {
		t.Errorf("verify-report of a report citing recordings: %+v, %v", chk, err)
	}
	if dir := os.Getenv("CASEBOOK_KEEP_REPORT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "recording-report.pdf"), pdf.Bytes(), 0o644)
	}
	text := strings.Join(strings.Fields(pdfToText(t, pdf.Bytes())), " ")
	src, _ := c.Source(ctx, recID)
	for _, want := range []string{
		// The transcript's segment 2 (0:02.100–0:04.500) is heard 0.437 s later.
		"Heard in: weekly-sync.wav, sha256 " + src.SHA256 + ", 0:02.537–0:04.937 (the transcript's 0:02.100–0:04.500, offset 0:00.437)",
		"Transcribed by hand: typed by Tess Tester on " + g.TypedAt.UTC().Format("2006-01-02 15:04 UTC"),
		"Heard in: weekly-sync.wav, sha256 " + src.SHA256 + ", 0:00.500–0:02.400",
		"1 sound recording",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func TestTheDemosRecordingIsPairedWithItsMeetingAndSpeaksItsSegments(t *testing.T) {
	c := demoCase(t)
	ctx := t.Context()
	recs, err := c.Recordings(ctx)
	if err != nil || len(recs) != 1 {
		t.Fatalf("recordings %+v, %v", recs, err)
	}
	r := recs[0]
	if r.Format != "mp3" || r.SampleRate != 16000 || r.Channels != 1 || r.DurationMS < 34000 || r.DurationMS > 36000 {
		t.Fatalf("recording %+v", r)
	}
	ps, _ := c.Pairings(ctx)
	if len(ps) != 1 || ps[0].RecordingID != r.SourceID || ps[0].How != model.PairedByName {
		t.Fatalf("pairings %+v", ps)
	}
	tr, _ := c.Source(ctx, ps[0].TranscriptID)
	if tr.Name != "2022-01-14_data-access-sync.vtt" {
		t.Fatalf("paired with %s", tr.Name)
	}
	// Speech where each of the first five segments is, silence between them.
	loud, err := c.Loudness(ctx, r.SourceID, int(r.DurationMS/100)) // 100 ms buckets
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := c.Segments(ctx, tr.ID)
	at := func(ms int64) float32 { return loud[min(int(ms/100), len(loud)-1)] }
	for _, g := range segs[:5] {
		var peak float32
		for ms := g.StartMS; ms < g.EndMS; ms += 100 {
			peak = max(peak, at(ms))
		}
		if peak < 0.05 {
			t.Errorf("seg %d (%d–%d ms): no speech (peak loudness %.3f)", g.Seq, g.StartMS, g.EndMS, peak)
		}
	}
	for _, gap := range [][2]int64{{0, 2900}, {9800, 10400}} {
		for ms := gap[0]; ms < gap[1]; ms += 100 {
			if at(ms) > 0.01 {
				t.Errorf("%d ms, between segments: loudness %.3f", ms, at(ms))
				break
			}
		}
	}
}

func TestEveryFormatOfTheSpeechImportsWithItsLength(t *testing.T) {
	_, ffErr := exec.LookPath("ffmpeg")
	tsv, err := os.ReadFile(filepath.Join(speechDir, "frames.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newCase(t)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(tsv)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		var frames, rate int64
		fmt.Sscan(f[1], &frames)
		fmt.Sscan(f[2], &rate)
		ext := filepath.Ext(f[0])
		needsFF := ext != ".wav" && ext != ".mp3" && ext != ".flac"
		if needsFF && ffErr != nil {
			continue // TestARecordingThatNeedsFFmpegSaysSoAndLeavesNothing covers it
		}
		p := copyAs(t, filepath.Join(speechDir, f[0]), t.TempDir(), "speech"+ext)
		res := importOK(t, c, casefile.ImportOptions{}, p)
		n++
		r, err := c.Recording(t.Context(), sourceID(t, res[0].SourceID))
		if want := (frames*1000 + rate/2) / rate; err != nil || r.DurationMS != want || int64(r.SampleRate) != rate || r.Channels != 1 {
			t.Errorf("%s: %+v %v, want %d ms at %d Hz", f[0], r, err, want, rate)
		}
	}
	if n < 3 {
		t.Errorf("only %d formats imported", n)
	}
}
