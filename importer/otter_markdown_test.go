package importer

import "testing"

// Hand-edited Markdown transcripts (podcast sites) keep Otter's bold names
// but put the whole turn on one line: "**Name** [M:SS] words". Fictional
// Lumora staff.
func TestOtterMarkdownTurnsOnOneLine(t *testing.T) {
	data := []byte("**Mia Chen** [0:00] Have you ever exported a table you were not sure you should?\n\n" +
		"**Daniel Okafor** [0:06] Once, in March. The vendor asked for it.\n\n" +
		"**Priya Raman** [0:10] And nobody wrote a ticket? [laughs] Be honest.\n\n" +
		"A second paragraph, same speaker, no header.\n\n" +
		"**Daniel Okafor:** (1:02:03) Nobody did, as far as I know.\n")
	if f, err := Detect("07-export-week.md", data, ""); err != nil || f.Name != "otter" {
		t.Fatalf("detected %v (%v)", fname(f), err)
	}
	sink, _ := mustParse(t, "otter", "07-export-week.md", data)
	want := []struct {
		speaker, text string
		start         int64
		line          int
		at            string
	}{
		{"Mia Chen", "Have you ever exported a table you were not sure you should?", 0, 1, "**Mia Chen** [0:00]"},
		{"Daniel Okafor", "Once, in March. The vendor asked for it.", 6000, 3, "**Daniel Okafor** [0:06]"},
		{"Priya Raman", "And nobody wrote a ticket? [laughs] Be honest.", 10000, 5, "**Priya Raman** [0:10]"},
		{"Priya Raman", "A second paragraph, same speaker, no header.", -1, 7, "A second paragraph"},
		{"Daniel Okafor", "Nobody did, as far as I know.", 3723000, 9, "**Daniel Okafor:** (1:02:03)"},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("%d segments, want %d: %+v", len(sink.segs), len(want), sink.segs)
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.Line != w.line {
			t.Errorf("segment %d = %q %q %d line %d, want %+v", i+1, s.Speaker, s.Text, s.StartMS, s.Line, w)
		}
		assertAt(t, data, s, w.at)
	}
}

// A bold word followed by a bare number in prose is not a turn: the
// one-line form needs the time in brackets.
func TestOtterMarkdownNeedsTheBracketedTime(t *testing.T) {
	for _, line := range []string{
		"**Note** 12:30 was when the export ran.",
		"**Mia Chen** said 0:06 in the minutes.",
	} {
		if h, ok := otterTurn(line); ok {
			t.Errorf("%q read as a turn: %+v", line, h)
		}
	}
}
