package importer

import (
	"strings"
	"testing"
)

func TestSBVCuesStrayTextAndMissingBlankLines(t *testing.T) {
	data := []byte("0:00:01.000,0:00:04.000\n" +
		"MIA CHEN: When did the export start?\n" +
		"\n" +
		"a stray line with no timing\n" +
		"\n" +
		"0:00:04.500,0:00:08.000\n" +
		"Last spring,\n" +
		"after the growth review.\n" +
		"0:00:08.000,0:00:11.250\n" +
		"It ran every night.\n")
	if f, err := Detect("lumora.sbv", data, ""); err != nil || f.Name != "sbv" {
		t.Fatalf("detected %v (%v)", fname(f), err)
	}
	sink, _ := mustParse(t, "sbv", "lumora.sbv", data)
	if len(sink.segs) != 3 {
		t.Fatalf("got %d segments: %+v", len(sink.segs), sink.segs)
	}
	if s := sink.segs[0]; s.Speaker != "MIA CHEN" || s.Text != "When did the export start?" || s.StartMS != 1000 || s.EndMS != 4000 {
		t.Errorf("segment 1 = %+v", s)
	}
	if s := sink.segs[1]; s.Text != "Last spring, after the growth review." || s.Line != 6 {
		t.Errorf("segment 2 = %+v", s)
	}
	assertAt(t, data, sink.segs[2], "0:00:08.000,0:00:11.250\nIt ran every night.\n")
	if s := sink.segs[2]; s.Length != int64(len("0:00:08.000,0:00:11.250\nIt ran every night.")) {
		t.Errorf("segment 3 spans %d bytes", s.Length)
	}
	if len(sink.rejects) != 1 || !strings.HasPrefix(sink.rejects[0], "4: text without an SBV timing line") {
		t.Errorf("rejects = %q", sink.rejects)
	}
	if len(sink.warns) != 1 || !strings.Contains(sink.warns[0], "missing blank line") {
		t.Errorf("warnings = %q", sink.warns)
	}
}

func TestSBVWithoutTimingsIsAnError(t *testing.T) {
	_, _, err := parseWith(t, "sbv", "notes.sbv", []byte("just text\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "notes.sbv") {
		t.Fatalf("err = %v", err)
	}
}
