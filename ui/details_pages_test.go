package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// The details pane cites a paginated transcript's segment by page and line
// beside the file, SHA-256 and byte offset, and shows no such row for a
// transcript without pages (issue 21).
func TestDetailsShowTranscriptPageAndLine(t *testing.T) {
	test.NewTempApp(t)
	v := newDetailsView(func() {}, func() {}, func() {})
	src := model.Source{ID: 3, Name: "lumora_court_pages.txt", SHA256: strings.Repeat("ab", 32)}
	labels := func() string {
		var out []string
		for _, o := range v.form.Objects {
			if l, ok := o.(*widget.Label); ok {
				out = append(out, l.Text)
			}
		}
		return strings.Join(out, "|")
	}
	v.showSegment(model.Segment{ID: 16, SourceID: 3, Seq: 16, StartMS: -1, EndMS: -1, Speaker: "Mr. Halvorsen", Text: "Objection.",
		Line: 53, Offset: 1722, Page: 982, PageLine: 24, EndPage: 983, EndPageLine: 2}, src)
	if got := labels(); !strings.Contains(got, "Page:line|Tr. 982:24–983:2") || !strings.Contains(got, "Byte offset|1722") {
		t.Errorf("segment details: %s", got)
	}
	v.showHit(casefile.Hit{ID: "seg-16", Kind: "segment", SourceID: "src-3", StartMS: -1, Speaker: "Mr. Halvorsen", Line: 53, Offset: 1722,
		PageLine: "982:24–983:2"}, src)
	if got := labels(); !strings.Contains(got, "Page:line|Tr. 982:24–983:2") {
		t.Errorf("hit details: %s", got)
	}
	v.showSegment(model.Segment{ID: 2, SourceID: 3, Seq: 2, StartMS: 4000, EndMS: -1, Text: "A caption.", Line: 2}, src)
	if got := labels(); strings.Contains(got, "Page:line") {
		t.Errorf("a transcript without pages shows a page row: %s", got)
	}
}
