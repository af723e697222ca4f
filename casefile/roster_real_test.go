package casefile_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
)

// fetchedLog returns the path of a third-party file kept outside the
// repository (testdata/realworld/SOURCES.md), or skips.
func fetchedLog(t *testing.T, name string) string {
	t.Helper()
	root := os.Getenv("CASEBOOK_FETCHED_CORPUS")
	if root == "" {
		t.Skipf("CASEBOOK_FETCHED_CORPUS is not set: the real logs of testdata/realworld/SOURCES.md are not on this machine")
	}
	p := filepath.Join(root, "realworld", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("fetched corpus: %v", err)
	}
	return p
}

// jsonLines calls fn with each line of a JSON Lines file, decoded.
func jsonLines(t *testing.T, path string, fn func(map[string]any)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			fn(m)
		}
	}
}

func str(m map[string]any, path ...string) string {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = mm[k]
	}
	s, _ := v.(string)
	return s
}

func TestRosterAndDataMapOnRealCloudLogs(t *testing.T) {
	ctx := t.Context()
	trail := fetchedLog(t, "plaso_aws_cloudtrail.jsonl")
	gcp := fetchedLog(t, "plaso_gcp_logging.jsonl")
	// Expected, read from the files' own JSON (not through Casebook's
	// parsers): CloudTrail calls by the sample IAM user on an EC2 instance
	// (a resource named i-…), GCP calls by the sample account on a
	// resource under projects/fake-project/.
	want := 0
	jsonLines(t, trail, func(m map[string]any) {
		var ct map[string]any
		if json.Unmarshal([]byte(str(m, "CloudTrailEvent")), &ct) != nil || str(ct, "userIdentity", "arn") != "arn:aws:iam::012345678901:user/fakeusername" {
			return
		}
		res, _ := m["Resources"].([]any)
		for _, r := range res {
			if rm, ok := r.(map[string]any); ok && strings.HasPrefix(str(rm, "ResourceName"), "i-") {
				want++
				return
			}
		}
	})
	wantGCP := 0
	jsonLines(t, gcp, func(m map[string]any) {
		if str(m, "protoPayload", "authenticationInfo", "principalEmail") == "fakeemailxyz@gmail.com" &&
			strings.HasPrefix(str(m, "protoPayload", "resourceName"), "projects/fake-project/") {
			wantGCP++
		}
	})
	if want == 0 || wantGCP == 0 {
		t.Fatalf("the files hold %d and %d such calls: not the files of SOURCES.md", want, wantGCP)
	}

	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, trail, gcp)
	res, err := c.RunRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fa := coverageOf(t, res, "foreign-access"); fa.Evaluable != 0 || !strings.Contains(fa.Reason, "load a data map") {
		t.Errorf("without a map: foreign-access coverage %+v", fa)
	}
	if _, err := c.ImportRoster(ctx, "testdata/context/realworld_roster.csv", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ImportDataMap(ctx, "testdata/context/realworld_datamap.csv", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RunRules(ctx); err != nil {
		t.Fatal(err)
	}
	// The logs give no country: the roster's does, and the explanation
	// names the roster row and the map row it relied on.
	got, expl := suggested(t, c, "foreign-access")
	aws, gc := 0, 0
	for _, k := range got {
		x := expl[k]
		switch {
		case strings.Contains(x, "roster row 1: Sample Operator A (Shenzhen, CN") && strings.Contains(x, "data map row 1: resource, i-*"):
			aws++
		case strings.Contains(x, "roster row 2: Sample Operator B (Paris, FR") && strings.Contains(x, "data map row 2: resource, projects/fake-project/*"):
			gc++
		default:
			t.Errorf("unexpected suggestion %s: %s", k, x)
		}
	}
	if aws != want || gc != wantGCP {
		t.Errorf("foreign-access: %d CloudTrail and %d GCP suggestions, want %d and %d", aws, gc, want, wantGCP)
	}
	// Nothing places these accesses at home, so roster-abroad (the VPN
	// case) has nothing to add.
	if ra, _ := suggested(t, c, "roster-abroad"); len(ra) != 0 {
		t.Errorf("roster-abroad: %v", ra)
	}
}
