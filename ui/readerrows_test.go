package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// readerRowsTranscript is a fictional meeting with one long turn.
var readerRowsTranscript = "Mia Chen: Who approved the export?\n" +
	"Wei Zhang: " + strings.Repeat("The nightly export copied the phone numbers of every US user to the Beijing office, and nobody asked for an approval. ", 12) + "\n" +
	"Mia Chen: Then the admin console logs should show it.\n"

// readerRowsVTT is a fictional captioned call with times.
const readerRowsVTT = "WEBVTT\n\n00:00:05.000 --> 00:00:09.000\n<v Ana Ruiz>The export ran at night.\n\n" +
	"00:01:12.500 --> 00:01:15.000\n<v Tomas Reyes>Nobody signed the ticket.\n"

// openReaderOn imports files into the test case and opens the named one in
// the reader.
func openReaderOn(t *testing.T, g *harness, c *casefile.Case, cv *caseView, name string, files map[string]string) model.Source {
	t.Helper()
	root := t.TempDir()
	var paths []string
	for n, body := range files {
		p := filepath.Join(root, n)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if res, err := c.Import(t.Context(), paths, casefile.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	} else {
		for _, r := range res {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		}
	}
	cv.reload()
	g.settle(t)
	src := sourceNamed(t, c, name)
	cv.sources.selectSource(sourceUID(src))
	g.settle(t)
	relayoutWindow(g.win)
	if len(cv.reader.segs) == 0 {
		t.Fatalf("the reader shows nothing of %s: %q", name, cv.reader.title.Text)
	}
	return src
}

// readerRowAt renders row i of the reader at the list's width and height
// for it, as the list would.
func readerRowAt(v *readerView, i int) *fyne.Container {
	row := v.createRow().(*fyne.Container)
	v.updateRow(i, row)
	row.Resize(fyne.NewSize(v.list.Size().Width, v.heights[i]))
	return row
}

// A long turn wraps: its row is as tall as its text wrapped at the list's
// width, at any width, and a short turn stays one line.
func TestReaderWrapsLongSegments(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	openReaderOn(t, g, c, cv, "2022-03-01_export.txt", map[string]string{"2022-03-01_export.txt": readerRowsTranscript})
	v := cv.reader
	capture(t, g.win, "reader-wrapped")
	for _, width := range []float32{1200, 1024, 800} {
		g.win.Resize(fyne.NewSize(width, 760))
		relayoutWindow(g.win)
		if v.wrapWidth != v.list.Size().Width {
			t.Fatalf("at %v the rows are fitted to %v, the list is %v wide", width, v.wrapWidth, v.list.Size().Width)
		}
		short := readerRowAt(v, 0)
		long := readerRowAt(v, 1)
		text := long.Objects[3].(*widget.RichText)
		need := text.MinSize().Height // wrapped at its width, as laid out
		if d := v.heights[1] - need; d < -0.5 || d > 0.5 {
			t.Errorf("at %v the long turn's row is %v tall, its wrapped text needs %v", width, v.heights[1], need)
		}
		if v.heights[1] < 3*v.heights[0] {
			t.Errorf("at %v the long turn's row (%v) is not several lines (one line is %v)", width, v.heights[1], v.heights[0])
		}
		if st := short.Objects[3].(*widget.RichText); st.MinSize().Height > v.heights[0]+0.5 {
			t.Errorf("the short turn needs %v, its row is %v", st.MinSize().Height, v.heights[0])
		}
		if !strings.Contains(text.String(), "asked for an approval. The nightly") {
			t.Errorf("the long turn is cut: %q", text.String()[:80])
		}
	}
	// Words found are bold and wider: the rows are fitted again.
	v.find.show()
	v.find.entry.SetText("phone numbers of every US user")
	v.find.search()
	if len(v.find.hits) != 12 {
		t.Fatalf("find: %d places, want 12", len(v.find.hits))
	}
	text := readerRowAt(v, 1).Objects[3].(*widget.RichText)
	if d := v.heights[1] - text.MinSize().Height; d < -0.5 || d > 0.5 {
		t.Errorf("with found words bold the long turn's row is %v tall, its text needs %v", v.heights[1], text.MinSize().Height)
	}
}

// Segments with tags or notes carry marks, which follow tagging; a
// transcript without times has no time column, one with times shows them.
func TestReaderMarksTaggedAndNotedSegmentsAndShowsKnownTimes(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	src := openReaderOn(t, g, c, cv, "meeting.txt", map[string]string{"call.vtt": readerRowsVTT})
	v := cv.reader
	if v.timed {
		t.Error("a transcript without times shows a time column")
	}
	if got := readerRowAt(v, 0).Objects[0].(*widget.Label).Text; got != "" {
		t.Errorf("an unknown time shows %q", got)
	}
	segs, err := c.Segments(t.Context(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.AddNote(ctx, model.ItemID{Kind: model.ItemSegment, N: segs[2].ID}, "Ask who reads these logs", false); err != nil {
		t.Fatal(err)
	}
	// Tag the first segment as the investigator does: select, Tag….
	v.list.Select(0)
	g.settle(t)
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemSegment, N: segs[0].ID}, "key-evidence", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	cv.loadItemTags(cv.sel.item)
	g.settle(t)
	marksOf := func(i int) (tag, note bool) {
		m := readerRowAt(v, i).Objects[1].(*fyne.Container).Objects
		return m[0].Visible(), m[1].Visible()
	}
	if tag, note := marksOf(0); !tag || note {
		t.Errorf("the tagged segment's marks: tag %v note %v", tag, note)
	}
	if tag, note := marksOf(1); tag || note {
		t.Errorf("an unmarked segment's marks: tag %v note %v", tag, note)
	}
	// The note was added outside the window: it shows when the transcript
	// is read again.
	v.load(src)
	g.settle(t)
	if tag, note := marksOf(2); tag || !note {
		t.Errorf("the noted segment's marks: tag %v note %v", tag, note)
	}
	if !strings.Contains(v.title.Text, "1 tagged · 1 with notes") {
		t.Errorf("the reader's title says %q", v.title.Text)
	}

	// The captioned call has times.
	cv.sources.selectSource(sourceUID(sourceNamed(t, c, "call.vtt")))
	g.settle(t)
	if !v.timed {
		t.Fatal("a transcript with times shows no time column")
	}
	if got := readerRowAt(v, 1).Objects[0].(*widget.Label).Text; got != "1:12" {
		t.Errorf("the second caption's time shows %q, want 1:12", got)
	}
	_ = test.LaidOutObjects
}
