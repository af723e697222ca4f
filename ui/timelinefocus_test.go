package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

// A 2022 case with one log from 2015 imported by mistake: the timeline opens
// on 2022, says what it leaves out, and Show all draws everything.
func TestTheTimelineOpensOnTheBusiestStretchWithAnOutOfRangeLog(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTimelineCase(t)
	header := strings.SplitN(fixtureAccessLog, "\n", 2)[0]
	// Forty more days of 2022, and an old export of five events in 2015.
	var rows []string
	day := time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		rows = append(rows, fmt.Sprintf("%s,E9,Ines Park,Lisbon,PT,user_db,PII,EU,%d,", day.AddDate(0, 0, i).Format(time.RFC3339), i+1))
	}
	old := []string{
		"2015-06-02T10:00:00Z,E9,Ines Park,Lisbon,PT,user_db,PII,EU,1,",
		"2015-06-02T11:00:00Z,E9,Ines Park,Lisbon,PT,user_db,PII,EU,1,",
		"2015-06-02T12:00:00Z,E9,Ines Park,Lisbon,PT,user_db,PII,EU,1,",
		"2015-06-03T10:00:00Z,E9,Ines Park,Lisbon,PT,user_db,PII,EU,1,",
		"2015-06-03T11:00:00Z,E9,Ines Park,Lisbon,PT,user_db,PII,EU,1,",
	}
	root := t.TempDir()
	files := []string{filepath.Join(root, "lumora-2022.csv"), filepath.Join(root, "lumora-2015.csv")}
	os.WriteFile(files[0], []byte(header+"\n"+strings.Join(rows, "\n")+"\n"), 0o600)
	os.WriteFile(files[1], []byte(header+"\n"+strings.Join(old, "\n")+"\n"), 0o600)
	if res, err := c.Import(t.Context(), files, casefile.ImportOptions{}, nil); err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("import: %v %+v", err, res)
	}
	cv := openTestCase(t, g, c, dir)
	ch := showTimeline(t, g, cv)
	tv := cv.tline

	// The whole run would be seven years; the chart draws 2022's stretch.
	if got := ch.model.day(0); got != "2022-01-05" {
		t.Errorf("the chart starts on %s, want 2022-01-05", got)
	}
	if got := ch.model.day(ch.model.days - 1); got != "2022-02-13" {
		t.Errorf("the chart ends on %s, want 2022-02-13", got)
	}
	if !tv.focusRow.Visible() || tv.focusMsg.Text != "Not drawn: 5 events from 2015-06-02 to 2015-06-03, far from the rest." {
		t.Errorf("the note says %q (shown %v)", tv.focusMsg.Text, tv.focusRow.Visible())
	}
	if len(ch.model.meetings) != 1 {
		t.Errorf("the 2022 meeting is not marked: %v", ch.model.meetings)
	}
	relayoutWindow(g.win)
	capture(t, g.win, "timeline-focus")

	test.Tap(tv.allBtn)
	if got := ch.model.day(0); got != "2015-06-02" {
		t.Errorf("after Show all the chart starts on %s, want 2015-06-02", got)
	}
	var events int64
	for _, b := range ch.model.bars {
		events += b.total
	}
	if events != int64(len(timelineRows)+len(rows)+len(old)) {
		t.Errorf("Show all draws %d events, the case has %d", events, len(timelineRows)+len(rows)+len(old))
	}
	if tv.allBtn.Text != "Show the busiest stretch" || !strings.Contains(tv.focusMsg.Text, "from 2022-01-05 to 2022-02-13") {
		t.Errorf("after Show all: button %q, note %q", tv.allBtn.Text, tv.focusMsg.Text)
	}
	test.Tap(tv.allBtn)
	if got := ch.model.day(0); got != "2022-01-05" {
		t.Errorf("back on the busiest stretch the chart starts on %s", got)
	}
}

// A case whose events all lie together is drawn whole, with no note.
func TestTheTimelineDrawsACompactCaseWhole(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTimelineCase(t)
	cv := openTestCase(t, g, c, dir)
	showTimeline(t, g, cv)
	if cv.tline.focus.ok || cv.tline.focusRow.Visible() {
		t.Errorf("a compact case is focused: %+v", cv.tline.focus)
	}
}
