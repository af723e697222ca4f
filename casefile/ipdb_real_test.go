package casefile_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
)

// realMMDB is the folder of $CASEBOOK_FETCHED_CORPUS holding MaxMind's own
// test databases (see testdata/realmmdb/SOURCES.md); the test skips without it.
func realMMDB(t *testing.T) string {
	t.Helper()
	root := os.Getenv("CASEBOOK_FETCHED_CORPUS")
	if root == "" {
		t.Skip("CASEBOOK_FETCHED_CORPUS is not set (see testdata/realmmdb/SOURCES.md)")
	}
	dir := filepath.Join(root, "realmmdb")
	if _, err := os.Stat(filepath.Join(dir, "GeoLite2-Country-Test.mmdb")); err != nil {
		t.Skipf("fetched corpus: %v (see testdata/realmmdb/SOURCES.md)", err)
	}
	return dir
}

// TestMaxMindsOwnTestDatabasesPlaceEveryProbedAddress loads MaxMind's
// GeoIP2-Country, GeoLite2-Country and GeoLite2-City test databases into
// cases, imports an access log of every probe address expected.py derived
// from the generator's source JSON, and compares each event's IP country
// and each database's type and build date with those expectations. The
// broken test databases and the ASN one are refused in one line naming them.
func TestMaxMindsOwnTestDatabasesPlaceEveryProbedAddress(t *testing.T) {
	dir := realMMDB(t)
	f, err := os.Open("testdata/realmmdb/expected.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type meta struct {
		typ   string
		built int64
	}
	metas := map[string]meta{}
	probes := map[string][][2]string{} // file -> (ip, country)
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		switch {
		case cols[0] == "#meta":
			n, _ := strconv.ParseInt(cols[3], 10, 64)
			metas[cols[1]] = meta{cols[2], n}
			order = append(order, cols[1])
		case strings.HasPrefix(cols[0], "#"):
		default:
			probes[cols[0]] = append(probes[cols[0]], [2]string{cols[1], cols[2]})
		}
	}
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			c, _ := newCase(t)
			d, err := c.LoadIPDatabase(ctx, filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if m := metas[name]; d.Type != m.typ || d.Built.Unix() != m.built {
				t.Errorf("recorded as %s built %s, the metadata says %s built %s", d.Type, d.Built, m.typ, time.Unix(m.built, 0).UTC())
			}
			var log strings.Builder
			log.WriteString("timestamp,employee,ip\n")
			for i, p := range probes[name] {
				fmt.Fprintf(&log, "2022-03-01T08:00:00Z,probe %d,%s\n", i, p[0])
			}
			importOK(t, c, casefile.ImportOptions{}, writeFile(t, "probes.csv", log.String()))
			srcs, _ := c.Sources(ctx)
			evts, err := c.Events(ctx, srcs[0].ID, 0, len(probes[name])+1)
			if err != nil || len(evts) != len(probes[name]) {
				t.Fatalf("%d events of %d probes (%v)", len(evts), len(probes[name]), err)
			}
			wrong, placed := 0, 0
			for i, e := range evts {
				want := probes[name][i]
				if e.IP != want[0] || e.IPCountry != want[1] {
					if wrong++; wrong <= 10 {
						t.Errorf("%s: IP country %q, want %q", want[0], e.IPCountry, want[1])
					}
				}
				if e.IPCountry != "" {
					placed++
				}
			}
			t.Logf("%s: %d probe addresses, %d placed, %d differ from the source data", name, len(evts), placed, wrong)
		})
	}
	c, _ := newCase(t)
	for _, bad := range []string{"GeoIP2-City-Test-Broken-Double-Format.mmdb", "GeoIP2-City-Test-Invalid-Node-Count.mmdb",
		"MaxMind-DB-test-broken-pointers-24.mmdb", "MaxMind-DB-test-broken-search-tree-24.mmdb", "GeoLite2-ASN-Test.mmdb"} {
		p := filepath.Join(dir, bad)
		_, err := c.LoadIPDatabase(t.Context(), p)
		if err == nil {
			t.Errorf("%s was loaded", bad)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, p+": ") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q is not one line naming the file", bad, msg)
		}
		t.Logf("%s refused: %v", bad, err)
	}
}
