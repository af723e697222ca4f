package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

// fixtureSSHLog is a real-looking sshd log of a fictional bastion host.
const fixtureSSHLog = "Mar  3 04:12:09 bastion-01 sshd[2211]: Failed password for root from 203.0.113.9 port 52144 ssh2\n" +
	"Mar  3 04:12:11 bastion-01 sshd[2211]: Connection closed by authenticating user root 203.0.113.9 port 52144 [preauth]\n" +
	"Mar  3 04:13:00 bastion-01 sshd[2230]: Accepted publickey for deploy from 198.51.100.23 port 40022 ssh2\n" +
	"Mar  3 04:14:45 bastion-01 sshd[2251]: Invalid user oracle from 2001:db8:4a::17 port 61010\n"

// newSSHCase is a real case holding fixtureSSHLog.
func newSSHCase(t *testing.T) (*casefile.Case, string) {
	t.Helper()
	root := t.TempDir()
	p := filepath.Join(root, "auth.log")
	if err := os.WriteFile(p, []byte(fixtureSSHLog), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "SSH case", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	res, err := c.Import(t.Context(), []string{p}, casefile.ImportOptions{}, nil)
	if err != nil || res[0].Err != nil || res[0].Records != 4 {
		t.Fatalf("import: %v %+v", err, res)
	}
	return c, dir
}

func TestSearchThisIPInTheDetailsFindsEveryEventCarryingIt(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newSSHCase(t)
	cv := openTestCase(t, g, c, dir)

	test.Type(cv.results.entry, "failed password")
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	g.settle(t)
	if n := cv.results.list.Length(); n != 1 {
		t.Fatalf("failed password: %d hits, want the one line", n)
	}
	cv.results.list.Select(0)
	test.Tap(buttonLabelled(t, cv.details.content, "Search this IP: 203.0.113.9"))
	g.settle(t)

	if cv.results.entry.Text != "ip:203.0.113.9" {
		t.Errorf("the search bar holds %q", cv.results.entry.Text)
	}
	if n := cv.results.list.Length(); n != 2 {
		t.Errorf("ip:203.0.113.9: %d hits, want the 2 lines with the address", n)
	}
	// An event with an IPv6 address offers it too, and the search finds it.
	cv.results.entry.SetText("oracle")
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	g.settle(t)
	cv.results.list.Select(0)
	test.Tap(buttonLabelled(t, cv.details.content, "Search this IP: 2001:db8:4a::17"))
	g.settle(t)
	if n := cv.results.list.Length(); n != 1 {
		t.Errorf("ip:2001:db8:4a::17: %d hits, want 1", n)
	}
}

func TestTheIPFacetCountsAddressesAndPickingOneFilters(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newSSHCase(t)
	cv := openTestCase(t, g, c, dir)

	cv.results.entry.SetText("sshd")
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	g.settle(t)
	got := map[string]int{}
	for _, f := range cv.results.facets.counts("ip") {
		got[f.Term] = f.Count
	}
	if got["203.0.113.9"] != 2 || got["198.51.100.23"] != 1 || got["2001:db8:4a::17"] != 1 {
		t.Fatalf("ip facet: %v", got)
	}
	if ids := cv.results.facets.childUIDs(""); !slices.Contains(ids, "ip") {
		t.Errorf("the facet tree has no IP branch: %v", ids)
	}
	cv.results.facets.onSelected("ip" + facetSep + "203.0.113.9")
	g.settle(t)
	if cv.results.filters.filters().IP != "203.0.113.9" {
		t.Errorf("the IP filter is %q", cv.results.filters.filters().IP)
	}
	if n := cv.results.list.Length(); n != 2 {
		t.Errorf("sshd with the IP filter: %d hits, want 2", n)
	}
	buttonLabelled(t, cv.results.content, "ip: 203.0.113.9") // its chip
}

func TestTheSearchHelpShowsIPQueriesAndAccentFolding(t *testing.T) {
	for _, want := range []string{"`ip:203.0.113.0/24`", "`ip:2001:db8::/32`", "`kind:event` (or `accesslog`)", "Accents do not matter", "`\"Los Ángeles\"`"} {
		if !strings.Contains(searchHelp, want) {
			t.Errorf("the search help lacks %s", want)
		}
	}
}
