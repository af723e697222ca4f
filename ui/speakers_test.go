package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

// minutesWithALabel is a fictional follow-up whose minute-taker wrote a
// label instead of the speaker's name.
const minutesWithALabel = "Speaker 2: The Beijing read access is still there.\n" +
	"Mia Chen: Then it goes in the report.\n" +
	"Speaker 2: Understood.\n"

// speakerCase is the fixture case with a second transcript that labels a
// speaker "Speaker 2", opened in the window.
func speakerCase(t *testing.T, g *harness) (*casefile.Case, *caseView) {
	t.Helper()
	c, dir := newTestCase(t)
	minutes := writeTemp(t, "2024-03-04_followup.txt", minutesWithALabel)
	if res, err := c.Import(t.Context(), []string{minutes}, casefile.ImportOptions{}, nil); err != nil || res[0].Err != nil {
		t.Fatalf("import the minutes: %v %v", err, res)
	}
	return c, openTestCase(t, g, c, dir)
}

func speakerCount(t *testing.T, c *casefile.Case, name string) uint64 {
	t.Helper()
	n, err := c.Count(t.Context(), casefile.Query{Filters: casefile.Filters{Speaker: name}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTheSpeakersNodeListsTheRegistryAndMergingALabelMakesSearchFindThePersonsLines(t *testing.T) {
	g := newTestGUI(t)
	c, cv := speakerCase(t, g)
	tree := cv.sources

	if got := nodeText(tree, branchSpeakers); got != "Speakers (3)" {
		t.Errorf("the speakers branch reads %q, want Speakers (3)", got)
	}
	label := branchSpeakers + facetSep + "Speaker 2"
	if got := nodeText(tree, label); got != "Speaker 2 | 2 segments" {
		t.Errorf("the label's node reads %q", got)
	}

	// Picking the label searches its lines and shows it with its actions.
	tree.tree.Select(label)
	g.settle(t)
	if cv.results.filters.filters().Speaker != "Speaker 2" || cv.results.total != 2 {
		t.Errorf("picking Speaker 2 searched speaker %q and found %d, want its 2 lines",
			cv.results.filters.filters().Speaker, cv.results.total)
	}
	if got := cv.details.value("Said"); got != "2 segments as written" {
		t.Errorf("the details say %q", got)
	}
	test.Tap(buttonLabelled(t, cv.details.content, "Merge into a person…"))
	f := cv.speakerForm
	if f == nil || f.person == nil {
		t.Fatal("Merge into a person… opened no form")
	}
	for _, want := range []string{"Mia Chen", "Wei Zhang"} {
		if !strings.Contains(strings.Join(f.people, "|"), want) {
			t.Errorf("the form offers %v, want %s among them", f.people, want)
		}
	}
	if strings.Contains(strings.Join(f.people, "|"), "Speaker 2") {
		t.Errorf("the form offers the label itself: %v", f.people)
	}
	f.person.SetText("Wei Zhang")
	f.dlg.Submit()
	g.settle(t)

	// The case has the merge; the tree, the details and the search show it.
	if got := speakerCount(t, c, "Wei Zhang"); got != 3 {
		t.Errorf("after the merge speaker:Wei Zhang finds %d, want 3", got)
	}
	if got := nodeText(tree, label); got != "Speaker 2 → Wei Zhang | 2 segments" {
		t.Errorf("the merged label's node reads %q", got)
	}
	if got := nodeText(tree, branchSpeakers+facetSep+"Wei Zhang"); got != "Wei Zhang | 3 segments" {
		t.Errorf("the person's node reads %q", got)
	}
	if got := nodeText(tree, branchSpeakers); got != "Speakers (2 · 1 merged)" {
		t.Errorf("the speakers branch reads %q", got)
	}
	if got := cv.details.title.Text; got != "Speaker 2 → Wei Zhang" {
		t.Errorf("the details are titled %q", got)
	}
	if !strings.Contains(cv.details.body.Text, "“Speaker 2” is now Wei Zhang") {
		t.Errorf("the details say %q, want the merge confirmed", cv.details.body.Text)
	}
	facet := 0
	for _, fc := range cv.results.facets.counts("speaker") {
		if fc.Term == "wei zhang" {
			facet = fc.Count
		}
	}
	if facet != 2 {
		t.Errorf("the speaker facet of the label's search counts Wei Zhang %d times, want its 2 lines", facet)
	}
	tree.tree.Select(branchSpeakers + facetSep + "Wei Zhang")
	g.settle(t)
	if cv.results.total != 3 {
		t.Errorf("picking Wei Zhang finds %d lines, want 3 (one as Wei Zhang, two as Speaker 2)", cv.results.total)
	}

	// Role and office.
	test.Tap(buttonLabelled(t, cv.details.content, "Role and office…"))
	cv.speakerForm.role.SetText("Security engineer")
	cv.speakerForm.office.SetText("Beijing")
	cv.speakerForm.dlg.Submit()
	g.settle(t)
	if got := nodeText(tree, branchSpeakers+facetSep+"Wei Zhang"); got != "Wei Zhang | 3 segments · Security engineer, Beijing" {
		t.Errorf("the person's node reads %q", got)
	}
	if got := cv.details.value("Role"); got != "Security engineer" {
		t.Errorf("the details show role %q", got)
	}

	// Unmerge undoes the merge.
	tree.tree.Select(label)
	g.settle(t)
	test.Tap(buttonLabelled(t, cv.details.content, "Unmerge from Wei Zhang"))
	g.settle(t)
	if got := speakerCount(t, c, "Wei Zhang"); got != 1 {
		t.Errorf("after unmerging speaker:Wei Zhang finds %d, want 1", got)
	}
	if got := nodeText(tree, label); got != "Speaker 2 | 2 segments" {
		t.Errorf("after unmerging the label's node reads %q", got)
	}
	sps, err := c.Speakers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sps {
		if s.Name == "Wei Zhang" && (s.Role != "Security engineer" || s.Office != "Beijing") {
			t.Errorf("the registry holds %+v", s)
		}
	}
}
