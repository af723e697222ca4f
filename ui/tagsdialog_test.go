package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
	"casebook/model"
)

func TestTagsCanBeCreatedRenamedMergedAndDeletedFromTheirDialog(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: 1}, "admin-quote", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Manage tags…").Action()
	g.settle(t)
	d := cv.tagsDialog
	find := func(name string) int {
		for i, tg := range d.tags {
			if tg.Name == name {
				return i
			}
		}
		return -1
	}
	live := func() map[string]casefile.TagInfo {
		infos, err := c.Tags(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]casefile.TagInfo{}
		for _, tg := range infos {
			if !tg.Deleted && tg.MergedInto == "" {
				out[tg.Name] = tg
			}
		}
		return out
	}

	test.Tap(d.newBtn)
	d.entry.SetText("quotes")
	d.form.Submit()
	g.settle(t)
	if _, ok := live()["quotes"]; !ok || find("quotes") < 0 {
		t.Fatal("New tag… created nothing")
	}

	d.list.Select(find("admin-quote"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Rename…"))
	d.entry.SetText("role-quote")
	d.form.Submit()
	g.settle(t)
	if tags := live(); tags["role-quote"].Confirmed != 1 {
		t.Errorf("after the rename the tags are %v", tags)
	}

	d.list.Select(find("role-quote"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Merge into…"))
	d.into.SetSelected("quotes")
	d.form.Submit()
	g.settle(t)
	tags := live()
	if _, ok := tags["role-quote"]; ok || tags["quotes"].Confirmed != 1 {
		t.Errorf("after the merge the tags are %v", tags)
	}
	if got := nodeText(cv.sources, branchTags+facetSep+"quotes"); got != "quotes | 1 exhibit" {
		t.Errorf("the tree reads %q", got)
	}

	d.list.Select(find("quotes"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Delete…"))
	d.confirm.Confirm()
	g.settle(t)
	if _, ok := live()["quotes"]; ok || find("quotes") >= 0 {
		t.Error("Delete… left the tag")
	}
}

func TestUntagTakesATagOffTheSelectedItem(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	seg := model.ItemID{Kind: model.ItemSegment, N: 1}
	if _, err := c.Tag(t.Context(), seg, "key-quote", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	searchFor(t, g, cv, `"master admin"`)
	if len(cv.results.hits) == 0 || cv.results.hits[0].ID != seg.String() {
		t.Fatalf("the search finds %+v, want %s", cv.results.hits, seg)
	}
	cv.results.list.Select(0)
	g.settle(t)
	if cv.details.untagBtn.Disabled() || !cv.details.untagRow.Visible() {
		t.Fatal("Untag… is not offered on a tagged item")
	}
	capture(t, g.win, "untag")
	test.Tap(cv.details.untagBtn)
	if cv.untagDialog == nil {
		t.Fatal("Untag… opened no dialog")
	}
	cv.untagDialog.Submit()
	g.settle(t)
	ex, err := c.Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 0 {
		t.Errorf("after Untag the case keeps %+v", ex)
	}
	if cv.details.untagRow.Visible() || cv.details.tags.Text != "None yet." {
		t.Errorf("after Untag the details show tags %q", cv.details.tags.Text)
	}
}
