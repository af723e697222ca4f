package casefile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"casebook/media"
	"casebook/model"
	"casebook/reports"
)

// ErrNotPaired means a transcript is paired with no recording.
var ErrNotPaired = errors.New("paired with no recording")

// recordingImporter names the importer of recording sources (the bytes are
// decoded by package media; no record is parsed out of them).
const recordingImporter = "casebook/recording@1"

// isRecordingImport tells whether a file is imported as a recording: by its
// name, unless the investigator asked for another kind.
func isRecordingImport(name string, opts ImportOptions) bool {
	return media.IsRecordingName(name) && (opts.Kind == "" || opts.Kind == model.KindRecording)
}

// importRecording stores a recording whose bytes are at tmp (already hashed)
// as a source of kind recording, with what its bytes say (format, rate,
// channels, length; the date it describes from --date). A file that cannot
// be read leaves nothing behind.
func (c *Case) importRecording(ctx context.Context, display, name, tmp, sha string, size int64, opts ImportOptions, began time.Time) ImportResult {
	res := ImportResult{File: display, SHA256: sha, Kind: string(model.KindRecording)}
	fail := func(err error) ImportResult {
		res.Err = err
		res.Seconds = time.Since(began).Seconds()
		return res
	}
	info, err := media.Probe(ctx, tmp)
	if err != nil {
		return fail(recordingError(display, tmp, err))
	}
	if info.SampleRate <= 0 || info.Frames <= 0 {
		return fail(fmt.Errorf("%s: %w: it holds no sound", display, media.ErrNotAudio))
	}
	res.Format = info.Format
	final := filepath.Join(c.dir, originalPath(sha))
	if err := placeOriginal(tmp, final); err != nil {
		return fail(fmt.Errorf("%s: store original: %w", display, err))
	}
	committed := false
	defer func() {
		if !committed {
			removeOriginal(final)
		}
	}()
	src := model.Source{SHA256: sha, Size: size, Name: name, Path: display, Kind: model.KindRecording, Format: info.Format,
		Importer: recordingImporter, ImportedAt: time.Now().UTC(), Investigator: c.Investigator(ctx)}
	im, err := c.store.BeginImport(ctx, src, recordOptions(info.Format, ImportOptions{Kind: model.KindRecording}))
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	defer im.Rollback()
	if err := im.SetRecording(ctx, recordingOf(info)); err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	saved, err := im.Commit(ctx, model.Source{Title: strings.TrimSuffix(path.Base(name), path.Ext(name)), Describes: opts.Date})
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	committed = true
	res.SourceID = model.ItemID{Kind: model.ItemSource, N: saved.ID}.String()
	res.Seconds = time.Since(began).Seconds()
	return res
}

// recordingOf is the metadata kept for a probed recording.
func recordingOf(info media.Info) model.Recording {
	return model.Recording{Format: info.Format, SampleRate: info.SampleRate, Channels: info.Channels,
		DurationMS: (info.Frames*1000 + int64(info.SampleRate)/2) / int64(info.SampleRate)}
}

// recordingError says in one line why a recording cannot be read, naming
// the file as the investigator gave it (not the temporary copy).
func recordingError(display, tmp string, err error) error {
	switch {
	case errors.Is(err, media.ErrNoFFmpeg):
		return fmt.Errorf("%s: %w", display, media.ErrNoFFmpeg)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", display, err)
	}
	msg := strings.ReplaceAll(err.Error(), tmp, display)
	msg = strings.TrimPrefix(msg, "open recording "+display+": ")
	msg = strings.TrimPrefix(msg, "probe recording "+display+": ")
	if errors.Is(err, media.ErrNotAudio) {
		return fmt.Errorf("%s: %w (%s)", display, media.ErrNotAudio, strings.TrimPrefix(msg, media.ErrNotAudio.Error()+": "))
	}
	return fmt.Errorf("%s: the recording cannot be read: %s", display, msg)
}

// Recordings returns what every recording of the case said about itself at import.
func (c *Case) Recordings(ctx context.Context) ([]model.Recording, error) {
	return c.store.Recordings(ctx)
}

// Recording returns what one recording said about itself at import.
func (c *Case) Recording(ctx context.Context, sourceID int64) (model.Recording, error) {
	return c.store.Recording(ctx, sourceID)
}

// Pairings returns every pairing of a transcript with its recording.
func (c *Case) Pairings(ctx context.Context) ([]model.Pairing, error) {
	return c.store.Pairings(ctx)
}

// RecordingFor returns the recording a transcript is paired with, its source
// and the path of its stored original; ErrNotPaired when the transcript has
// none. For a recording source itself (hand-transcribed segments live on the
// recording) it returns the recording with OffsetMS 0.
func (c *Case) RecordingFor(ctx context.Context, sourceID int64) (model.Pairing, model.Source, string, error) {
	src, err := c.store.Source(ctx, sourceID)
	if err != nil {
		return model.Pairing{}, model.Source{}, "", err
	}
	if src.Kind == model.KindRecording {
		return model.Pairing{TranscriptID: src.ID, RecordingID: src.ID}, src, c.OriginalPath(src), nil
	}
	p, err := c.store.Pairing(ctx, sourceID)
	if errors.Is(err, model.ErrNotFound) {
		return p, model.Source{}, "", fmt.Errorf("src-%d (%s): %w", src.ID, src.Name, ErrNotPaired)
	} else if err != nil {
		return p, model.Source{}, "", err
	}
	rec, err := c.store.Source(ctx, p.RecordingID)
	if err != nil {
		return p, rec, "", err
	}
	return p, rec, c.OriginalPath(rec), nil
}

// sourceOfKind returns a source, refusing one of another kind with a sentence.
func (c *Case) sourceOfKind(ctx context.Context, id int64, kind model.SourceKind) (model.Source, error) {
	src, err := c.store.Source(ctx, id)
	if err != nil {
		return src, err
	}
	if src.Kind != kind {
		return src, fmt.Errorf("src-%d (%s) is a %s, not a %s: %w", id, src.Name, src.Kind, kind, model.ErrInvalid)
	}
	return src, nil
}

// Pair ties a transcript to the recording it was made from, by hand: a time
// t in the transcript is t + offsetMS in the recording. It replaces any
// pairing the transcript had, and is recorded in the audit trail.
func (c *Case) Pair(ctx context.Context, transcriptID, recordingID int64, offsetMS int64) error {
	return c.pair(ctx, transcriptID, recordingID, offsetMS, model.PairedByHand)
}

func (c *Case) pair(ctx context.Context, transcriptID, recordingID, offsetMS int64, how string) error {
	if err := c.refuseIfReadOnly(); err != nil {
		return err
	}
	if _, err := c.sourceOfKind(ctx, transcriptID, model.KindTranscript); err != nil {
		return err
	}
	if _, err := c.sourceOfKind(ctx, recordingID, model.KindRecording); err != nil {
		return err
	}
	return c.store.Pair(ctx, c.Investigator(ctx), model.Pairing{TranscriptID: transcriptID, RecordingID: recordingID,
		OffsetMS: offsetMS, How: how})
}

// SetOffset changes the offset of a transcript's pairing (audited);
// ErrNotPaired when it has none.
func (c *Case) SetOffset(ctx context.Context, transcriptID, offsetMS int64) error {
	p, err := c.store.Pairing(ctx, transcriptID)
	if errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("src-%d: %w", transcriptID, ErrNotPaired)
	} else if err != nil {
		return err
	}
	return c.pair(ctx, transcriptID, p.RecordingID, offsetMS, p.How)
}

// Unpair removes a transcript's pairing (audited); ErrNotPaired when it has none.
func (c *Case) Unpair(ctx context.Context, transcriptID int64) error {
	if err := c.refuseIfReadOnly(); err != nil {
		return err
	}
	err := c.store.Unpair(ctx, c.Investigator(ctx), transcriptID)
	if errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("src-%d: %w", transcriptID, ErrNotPaired)
	}
	return err
}

// TranscribeSegment stores what an investigator typed while listening to a
// passage of a recording (startMS to endMS in the recording) as a segment
// of the recording, marked as typed by hand, with who and when in the audit
// trail. It is sealed, indexed (searchable at once), taggable and
// reportable like any segment.
func (c *Case) TranscribeSegment(ctx context.Context, recordingID int64, startMS, endMS int64, speaker, text string) (model.Segment, error) {
	if err := c.refuseIfReadOnly(); err != nil {
		return model.Segment{}, err
	}
	src, err := c.sourceOfKind(ctx, recordingID, model.KindRecording)
	if err != nil {
		return model.Segment{}, err
	}
	rec, err := c.store.Recording(ctx, recordingID)
	if err != nil {
		return model.Segment{}, err
	}
	text, speaker = strings.TrimSpace(text), strings.TrimSpace(speaker)
	switch {
	case text == "":
		return model.Segment{}, fmt.Errorf("a segment typed by hand needs the words said: %w", model.ErrInvalid)
	case startMS < 0 || endMS <= startMS:
		return model.Segment{}, fmt.Errorf("the passage %s–%s: the end must come after the start: %w", FormatMS(startMS), FormatMS(endMS), model.ErrInvalid)
	case endMS > rec.DurationMS:
		return model.Segment{}, fmt.Errorf("the passage ends at %s, after the end of src-%d (%s, %s long): %w",
			FormatMS(endMS), src.ID, src.Name, FormatMS(rec.DurationMS), model.ErrInvalid)
	}
	g, err := c.store.AddHandSegment(ctx, c.Investigator(ctx), model.Segment{SourceID: recordingID, StartMS: startMS,
		EndMS: endMS, Speaker: speaker, Text: text})
	if err != nil {
		return g, err
	}
	if err := c.syncIndex(ctx, nil); err != nil {
		return g, fmt.Errorf("update index: %w", err)
	}
	return g, nil
}

// SoundSpan is where a segment is in the recording it was heard on.
type SoundSpan struct {
	Recording model.Source
	Pairing   model.Pairing
	Path      string // the recording's stored original
	StartMS   int64  // in the recording, the pairing's offset applied
	EndMS     int64
}

// SpanOf returns where a segment is in its recording: its times plus the
// pairing's offset. ErrNotPaired when its transcript has no recording.
func (c *Case) SpanOf(ctx context.Context, g model.Segment) (SoundSpan, error) {
	p, rec, path, err := c.RecordingFor(ctx, g.SourceID)
	if err != nil {
		return SoundSpan{}, err
	}
	if g.StartMS < 0 || g.EndMS <= g.StartMS {
		return SoundSpan{}, fmt.Errorf("seg-%d has no start and end time to find it in the recording: %w", g.ID, model.ErrInvalid)
	}
	sp := SoundSpan{Recording: rec, Pairing: p, Path: path, StartMS: g.StartMS + p.OffsetMS, EndMS: g.EndMS + p.OffsetMS}
	if sp.StartMS < 0 {
		sp.StartMS = 0
	}
	if r, err := c.store.Recording(ctx, rec.ID); err == nil && sp.EndMS > r.DurationMS {
		sp.EndMS = r.DurationMS
	}
	if sp.EndMS <= sp.StartMS {
		return SoundSpan{}, fmt.Errorf("seg-%d (%s–%s, offset %s) falls outside src-%d (%s): %w", g.ID, FormatMS(g.StartMS),
			FormatMS(g.EndMS), FormatMS(p.OffsetMS), rec.ID, rec.Name, model.ErrInvalid)
	}
	return sp, nil
}

// Clip writes the exact span of a segment in its recording (the pairing's
// offset applied) to w as a 16-bit PCM WAV, and records it in the audit
// trail. It returns the frames written and the recording.
func (c *Case) Clip(ctx context.Context, segmentID int64, w io.Writer) (int64, model.Source, error) {
	g, err := c.store.Segment(ctx, segmentID)
	if err != nil {
		return 0, model.Source{}, err
	}
	sp, err := c.SpanOf(ctx, g)
	if err != nil {
		return 0, model.Source{}, err
	}
	frames, err := media.WriteClipWAV(ctx, sp.Path, sp.StartMS, sp.EndMS, w)
	if err != nil {
		return frames, sp.Recording, fmt.Errorf("clip seg-%d from src-%d (%s): %w", g.ID, sp.Recording.ID, sp.Recording.Name, err)
	}
	if c.readOnly == "" {
		if err := c.store.Audit(ctx, c.Investigator(ctx), "clip", map[string]any{
			"segment": fmt.Sprintf("seg-%d", g.ID), "recording": fmt.Sprintf("src-%d", sp.Recording.ID),
			"sha256": sp.Recording.SHA256, "start_ms": sp.StartMS, "end_ms": sp.EndMS, "frames": frames,
		}); err != nil {
			return frames, sp.Recording, err
		}
	}
	return frames, sp.Recording, nil
}

// loudnessCache keeps loudness strips by the recording's SHA-256 and width
// (the bytes never change under a hash, so neither does the strip).
var loudnessCache sync.Map

// Loudness returns n buckets of RMS loudness (0..1) over a recording (a
// recording source, or the recording a transcript is paired with).
func (c *Case) Loudness(ctx context.Context, recordingID int64, n int) ([]float32, error) {
	_, rec, path, err := c.RecordingFor(ctx, recordingID)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s/%d", rec.SHA256, n)
	if v, ok := loudnessCache.Load(key); ok {
		return v.([]float32), nil
	}
	l, err := media.Loudness(ctx, path, n)
	if err != nil {
		return nil, fmt.Errorf("loudness of src-%d (%s): %w", rec.ID, rec.Name, err)
	}
	loudnessCache.Store(key, l)
	return l, nil
}

// FormatMS renders a time as m:ss.mmm (h:mm:ss.mmm from an hour on).
func FormatMS(ms int64) string {
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	h, m, s, f := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
	if h > 0 {
		return fmt.Sprintf("%s%d:%02d:%02d.%03d", sign, h, m, s, f)
	}
	return fmt.Sprintf("%s%d:%02d.%03d", sign, m, s, f)
}

// pairingKey is the part of a file's name that a recording and the transcript
// made from it share, "" when the name gives none. The rules (see the README):
//   - extensions go, and the transcript's inner ".transcript" / ".cc" (Zoom);
//   - a Zoom cloud recording's files all start with GMTyyyymmdd-hhmmss: that
//     is the key (…_Recording.m4a, …_Recording_1920x1080.mp4,
//     …_Recording.transcript.vtt);
//   - a trailing "recording" or "transcript" word goes (Teams:
//     "Meeting Recording.mp4" and "Meeting Transcript.vtt"; the same with a
//     subject and date in front);
//   - case, spaces, dots, dashes and underscores do not count.
func pairingKey(name string) string {
	base := strings.ToLower(path.Base(filepath.ToSlash(name)))
	for {
		ext := path.Ext(base)
		if ext == "" || len(ext) > 9 || strings.ContainsAny(ext, " ") {
			break
		}
		base = strings.TrimSuffix(base, ext)
		if ext == ".transcript" || ext == ".cc" {
			continue
		}
		if !knownExt[ext] {
			base += ext
			break
		}
	}
	if m := zoomKey.FindString(base); m != "" {
		return m
	}
	key := strings.Join(strings.FieldsFunc(base, func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '.'
	}), " ")
	for _, w := range []string{" recording", " transcript", " transcription", " captions"} {
		key = strings.TrimSuffix(key, w)
	}
	return key
}

var zoomKey = regexp.MustCompile(`^gmt\d{8}-\d{6}`)

// knownExt are the extensions pairingKey strips: recordings' and transcripts'.
var knownExt = map[string]bool{".wav": true, ".mp3": true, ".flac": true, ".m4a": true, ".mp4": true, ".ogg": true,
	".opus": true, ".webm": true, ".aac": true, ".wma": true, ".mkv": true, ".mov": true, ".vtt": true, ".srt": true,
	".txt": true, ".docx": true, ".json": true, ".csv": true, ".gz": true, ".sbv": true, ".md": true}

// pairByName pairs, after an import, each new transcript or recording with
// its counterpart (in the same import or already in the case) whose name
// gives the same key, when exactly one recording has it and the transcript
// is not paired yet. It returns the pairings made, by the new source's id.
func (c *Case) pairByName(ctx context.Context, results []ImportResult) (map[string]string, error) {
	fresh := map[int64]bool{}
	for _, r := range results {
		if r.Err != nil || r.SourceID == "" {
			continue
		}
		if id, err := model.ParseItemID(r.SourceID); err == nil {
			fresh[id.N] = true
		}
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	recs := map[string][]model.Source{}
	for _, s := range srcs {
		if s.Kind == model.KindRecording {
			if k := pairingKey(s.Name); k != "" {
				recs[k] = append(recs[k], s)
			}
		}
	}
	made := map[string]string{}
	for _, t := range srcs {
		if t.Kind != model.KindTranscript {
			continue
		}
		k := pairingKey(t.Name)
		cand := recs[k]
		if k == "" || len(cand) != 1 || !(fresh[t.ID] || fresh[cand[0].ID]) {
			continue
		}
		if _, err := c.store.Pairing(ctx, t.ID); err == nil {
			continue
		} else if !errors.Is(err, model.ErrNotFound) {
			return made, err
		}
		if err := c.pair(ctx, t.ID, cand[0].ID, 0, model.PairedByName); err != nil {
			return made, err
		}
		tid, rid := fmt.Sprintf("src-%d", t.ID), fmt.Sprintf("src-%d", cand[0].ID)
		made[tid], made[rid] = rid, tid
	}
	return made, nil
}

// deepRecording probes a recording's original again and compares what it
// says with what was stored at import (no records are parsed from sound).
func (c *Case) deepRecording(ctx context.Context, src model.Source, rep *DeepReport) error {
	sid := model.ItemID{Kind: model.ItemSource, N: src.ID}
	stored, err := c.store.Recording(ctx, src.ID)
	if err != nil {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s (%s): a recording with no stored format, rate or length", sid, src.Name))
		return nil
	}
	path := c.OriginalPath(src)
	if _, err := os.Stat(path); err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): original cannot be read: %v", sid, src.Name, cleanOSError(err)))
		return nil
	}
	info, err := media.Probe(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): not probed again: %v", sid, src.Name, recordingError(src.Name, path, err)))
		return nil
	}
	got := recordingOf(info)
	got.SourceID = stored.SourceID
	if got != stored {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s (%s): the recording says %s, %d Hz, %d channels, %s; stored %s, %d Hz, %d channels, %s",
			sid, src.Name, got.Format, got.SampleRate, got.Channels, FormatMS(got.DurationMS), stored.Format, stored.SampleRate,
			stored.Channels, FormatMS(stored.DurationMS)))
	}
	return nil
}

// soundCitation adds to a segment's citation the recording it can be heard
// on (file, SHA-256, span with the pairing's offset) and, for a segment
// typed by hand, by whom and when.
func (b *reportBuilder) soundCitation(c *reports.Citation, g model.Segment) error {
	if g.ByHand {
		c.ByHand = fmt.Sprintf("typed by %s on %s while listening to the recording; it is in no transcript",
			nonEmptyName(g.TypedBy), g.TypedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	sp, err := b.c.SpanOf(b.ctx, g)
	if errors.Is(err, ErrNotPaired) || errors.Is(err, model.ErrInvalid) {
		return nil // no recording, or a segment with no times to find in it
	} else if err != nil {
		return err
	}
	c.SoundFile, c.SoundSHA256 = sp.Recording.Name, sp.Recording.SHA256
	c.SoundSpan = FormatMS(sp.StartMS) + "–" + FormatMS(sp.EndMS)
	if sp.Pairing.OffsetMS != 0 {
		c.SoundSpan += fmt.Sprintf(" (the transcript's %s–%s, offset %s)", FormatMS(g.StartMS), FormatMS(g.EndMS), FormatMS(sp.Pairing.OffsetMS))
	}
	return nil
}

func nonEmptyName(s string) string {
	if s == "" {
		return "an investigator not named in the case"
	}
	return s
}

// ParseClock reads a time in a recording or an offset: 1:02.5 (m:ss),
// 1:02:03.5 (h:mm:ss), 62.5 (seconds), or a Go duration (12.3s, 500ms,
// -2s). It returns milliseconds.
func ParseClock(s string) (int64, error) {
	v := strings.TrimSpace(s)
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	var ms float64
	switch {
	case v == "":
		return 0, fmt.Errorf("no time given")
	case strings.Contains(v, ":"):
		parts := strings.Split(v, ":")
		if len(parts) > 3 {
			return 0, fmt.Errorf("%q is not a time like 1:02.5 or 1:02:03", s)
		}
		var sec float64
		for i, p := range parts {
			f, err := strconv.ParseFloat(p, 64)
			last := i == len(parts)-1
			if err != nil || f < 0 || (i > 0 && f >= 60) || (!last && strings.Contains(p, ".")) {
				return 0, fmt.Errorf("%q is not a time like 1:02.5 or 1:02:03", s)
			}
			sec = sec*60 + f
		}
		ms = sec * 1000
	case strings.TrimLeft(v, "0123456789.") == "":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number of seconds", s)
		}
		ms = f * 1000
	default:
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a time like 12.3s, 1:02.5 or 500ms", s)
		}
		ms = float64(d) / float64(time.Millisecond)
	}
	out := int64(ms + 0.5)
	if neg {
		out = -out
	}
	return out, nil
}
