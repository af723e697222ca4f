package casefile_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"casebook/casefile"
	"casebook/model"
)

// reportedCase is a case with a tagged quote and tagged foreign events, and
// the report written from it.
func reportedCase(t *testing.T) (dir string, pdf []byte, quoteSeg model.Segment) {
	t.Helper()
	c, dir := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	srcs, _ := c.Sources(ctx)
	segs, _ := c.Segments(ctx, srcs[0].ID)
	quoteSeg = segs[3] // "Nobody approved it. It was never required for the master admin."
	start := strings.Index(quoteSeg.Text, "It was never required")
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemSegment, N: quoteSeg.ID}, "key-quote",
		casefile.TagOptions{Quote: itoa(start) + ":" + itoa(len([]rune(quoteSeg.Text)))}); err != nil {
		t.Fatal(err)
	}
	evts, _ := c.Events(ctx, srcs[1].ID, 0, 10)
	for _, e := range evts {
		if e.Country != "US" {
			if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemEvent, N: e.ID}, "foreign-access", casefile.TagOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := c.WriteReport(ctx, &buf, casefile.ReportOptions{Date: time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, buf.Bytes(), quoteSeg
}

func checkReport(t *testing.T, dir string, pdf []byte) casefile.ReportCheck {
	t.Helper()
	c := reopen2(t, dir)
	defer c.Close()
	rc, err := c.CheckReport(t.Context(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func problemsOf(rc casefile.ReportCheck) string {
	p := strings.Join(rc.Problems, "\n")
	for _, e := range rc.Exhibits {
		for _, q := range e.Problems {
			p += "\n" + e.Exhibit + " " + e.Item + ": " + q
		}
	}
	return p
}

func TestAReportVerifiesCleanAgainstItsCaseAndItsPack(t *testing.T) {
	dir, pdf, _ := reportedCase(t)
	rc := checkReport(t, dir, pdf)
	if !rc.OK || len(rc.Exhibits) < 3 {
		t.Fatalf("clean report: OK=%v, %d exhibits, problems:%s", rc.OK, len(rc.Exhibits), problemsOf(rc))
	}
	for _, e := range rc.Exhibits {
		if len(e.Notes) > 0 {
			t.Errorf("%s: notes %v on a UTF-8 original", e.Exhibit, e.Notes)
		}
	}
	// A recipient with only the pack.
	c := reopen2(t, dir)
	pack := filepath.Join(t.TempDir(), "case.zip")
	f, err := os.Create(pack)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Pack(t.Context(), f, casefile.PackOptions{}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c.Close()
	r, _ := os.Open(pack)
	defer r.Close()
	there := filepath.Join(t.TempDir(), "received")
	if _, err := casefile.Unpack(t.Context(), r, there, casefile.UnpackOptions{}); err != nil {
		t.Fatal(err)
	}
	if rc := checkReport(t, there, pdf); !rc.OK {
		t.Errorf("against the unpacked pack:%s", problemsOf(rc))
	}
}

func TestAReportFailsNamingTheExhibitWhenItsRecordChangedInTheCase(t *testing.T) {
	dir, pdf, seg := reportedCase(t)
	tamper(t, dir, `UPDATE segments SET text = 'Nobody approved it. It was required.' WHERE id = `+strconv.FormatInt(seg.ID, 10))
	rc := checkReport(t, dir, pdf)
	p := problemsOf(rc)
	if rc.OK || !strings.Contains(p, "EX-0001 seg-"+strconv.FormatInt(seg.ID, 10)+": seg-") ||
		!strings.Contains(p, "differs from the record the report quoted") {
		t.Errorf("changed record not named:%s", p)
	}
}

func TestAnEditedPDFFailsNamingTheExhibit(t *testing.T) {
	dir, pdf, _ := reportedCase(t)
	edited := editDrawnText(t, pdf, "never", "always")
	rc := checkReport(t, dir, edited)
	p := problemsOf(rc)
	if rc.OK || !strings.Contains(p, "EX-0001") || !strings.Contains(p, "the PDF does not print") {
		t.Errorf("edited PDF not caught:%s", p)
	}
	// Only the edited exhibit is named.
	for _, e := range rc.Exhibits {
		if e.Exhibit != "EX-0001" && !e.OK {
			t.Errorf("%s failed too: %v", e.Exhibit, e.Problems)
		}
	}
}

var contentStream = regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// editDrawnText replaces words drawn on the pages, as a PDF editor would:
// it inflates each page's content, swaps the UTF-16 text and deflates it
// again with a corrected length.
func editDrawnText(t *testing.T, pdf []byte, from, to string) []byte {
	t.Helper()
	enc := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return b
	}
	var out bytes.Buffer
	pos, edits := 0, 0
	for _, m := range contentStream.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			continue
		}
		body, err := io.ReadAll(zr)
		if err != nil || !bytes.Contains(body, enc(from)) {
			continue
		}
		body = bytes.ReplaceAll(body, enc(from), enc(to))
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(body)
		zw.Close()
		out.Write(pdf[pos:m[0]])
		out.WriteString("<</Filter /FlateDecode /Length " + strconv.Itoa(z.Len()) + ">>\nstream\n")
		out.Write(z.Bytes())
		pos = m[1] + n
		edits++
	}
	if edits == 0 {
		t.Fatalf("%q is drawn in no content stream", from)
	}
	out.Write(pdf[pos:])
	return out.Bytes()
}
