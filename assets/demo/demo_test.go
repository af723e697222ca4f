package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func hashFiles(t *testing.T) map[string][32]byte {
	t.Helper()
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][32]byte{}
	for k, v := range files {
		out[k] = sha256.Sum256(v)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a := hashFiles(t)
	files, _ := Files()
	for _, v := range files { // callers get copies: scribbling must not leak
		if len(v) > 0 {
			v[0] ^= 0xff
		}
	}
	b := hashFiles(t)
	if len(a) != 11 || len(a) != len(b) {
		t.Fatalf("files: %d then %d, want 11", len(a), len(b))
	}
	for k := range a {
		if a[k] != b[k] {
			t.Errorf("%s differs between calls", k)
		}
	}
	// A fresh generation (not the cached one) must give the same bytes too.
	data, _, _, err := accessLog()
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(data) != a[accessLogName] {
		t.Error("access log differs between generations")
	}
	for _, m := range meetings() {
		data, _, _, err := renderMeeting(m)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(data) != a[m.File] {
			t.Errorf("%s differs between generations", m.File)
		}
	}
}

// BenchmarkGenerate measures generating the whole demo case (the access
// log and every meeting), which `make run` does on first start.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, _, _, err := accessLog(); err != nil {
			b.Fatal(err)
		}
		for _, m := range meetings() {
			if _, _, _, err := renderMeeting(m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestAccessLog(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	m := Load()
	data := files[m.AccessLog.Name]
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "timestamp,employee_id,employee_name,office,office_country,source_ip,action,system,resource,data_category,subject_region,record_count,approval_id,approver,approver_country,purpose"
	if got := strings.Join(rows[0], ","); got != want || !slices.Equal(rows[0], m.AccessLog.Columns) {
		t.Fatalf("header %q", got)
	}
	if len(rows)-1 != m.AccessLog.Rows || m.AccessLog.Rows < 45000 {
		t.Fatalf("%d data rows, manifest says %d", len(rows)-1, m.AccessLog.Rows)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	kinds := map[int][]string{}
	count := map[string]int{}
	for _, p := range m.PlantedRows {
		if p.File != m.AccessLog.Name || p.Row < 1 || p.Row > m.AccessLog.Rows || p.Why == "" {
			t.Fatalf("bad planted row %+v", p)
		}
		r := rows[p.Row]
		if r[col["employee_id"]] != p.ActorID || r[col["office_country"]] != p.Country {
			t.Errorf("row %d: actor %s/%s, manifest %s/%s", p.Row, r[1], r[4], p.ActorID, p.Country)
		}
		kinds[p.Row] = append(kinds[p.Row], p.Kind)
		count[p.Kind]++
	}
	if count[KindForeignAccess] != plantedForeign || count[KindNoApproval] != plantedForeignNoA+plantedUSNoA ||
		count[KindForeignApprover] != plantedForeignCN {
		t.Errorf("planted counts %v", count)
	}
	if count[KindOffHours] != offHoursRows || count[KindOffshoreCopy] != offshoreRows || count[KindBulk] < bulkDayRows+4 {
		t.Errorf("planted counts %v", count)
	}
	spike := bulkDays(t, rows, col)
	var prev time.Time
	quoted := 0
	for i, r := range rows[1:] {
		n := i + 1
		ts, err := time.Parse(time.RFC3339, r[0])
		if err != nil || !strings.HasSuffix(r[0], "Z") || ts.Before(prev) || ts.Year() != 2022 || ts.Month() > 9 {
			t.Fatalf("row %d: bad or unsorted time %q", n, r[0])
		}
		prev = ts
		if e, ok := byName[r[col["employee_name"]]]; !ok || e.ID != r[col["employee_id"]] || e.Office != r[col["office"]] {
			t.Fatalf("row %d: unknown employee %v", n, r[1:4])
		}
		o := offices[r[col["office"]]]
		if !strings.HasPrefix(r[col["source_ip"]], o.Net+".") {
			t.Fatalf("row %d: ip %s outside %s's range", n, r[col["source_ip"]], o.Name)
		}
		if a := r[col["approver"]]; a != "" {
			if e, ok := byName[a]; !ok || e.country() != r[col["approver_country"]] || !regexp.MustCompile(`^APR-2022-\d{5}$`).MatchString(r[col["approval_id"]]) {
				t.Fatalf("row %d: bad approval %v", n, r[12:15])
			}
		} else if r[col["approval_id"]] != "" || r[col["approver_country"]] != "" {
			t.Fatalf("row %d: approval without approver", n)
		}
		if strings.ContainsAny(r[col["purpose"]], `,"`) {
			quoted++
		}
		protected := isProtected(r[col["data_category"]])
		us := r[col["subject_region"]] == "US"
		foreign := r[col["office_country"]] != "US"
		is := map[string]bool{
			KindForeignAccess:   foreign && us && protected,
			KindNoApproval:      protected && r[col["approval_id"]] == "",
			KindForeignApprover: us && r[col["approver_country"]] != "" && r[col["approver_country"]] != "US",
			KindBulk:            protected && (records(r, col) > DemoBulkThreshold || spike[n]),
			KindOffHours:        protected && offHours(t, r[col["office"]], ts),
			KindOffshoreCopy: protected && us && strings.Contains(r[col["resource"]], "_backup_sg.") &&
				r[0] >= offshoreFrom,
		}
		for kind, holds := range is {
			if holds != slices.Contains(kinds[n], kind) {
				t.Errorf("row %d: %s holds=%v but planted=%v: %v", n, kind, holds, kinds[n], r)
			}
		}
		if slices.Contains(kinds[n], KindForeignAccess) && !slices.Contains([]string{"CN", "SG", "IE"}, r[col["office_country"]]) {
			t.Errorf("row %d: foreign access from %s", n, r[col["office_country"]])
		}
	}
	if quoted < 10 {
		t.Errorf("only %d rows exercise CSV quoting", quoted)
	}
}

// seg is a segment as the test's small reference parsers read it.
type seg struct{ speaker, text string }

var (
	reOtter   = regexp.MustCompile(`^(.+)  (\d+:)?\d+:\d\d$`)
	reRev     = regexp.MustCompile(`^(.+) \(\d\d:\d\d:\d\d\):$`)
	reHearing = regexp.MustCompile(`^    ((?:THE|SENATOR|MS\.|MR\.) [A-Z]+)\. (.+)$`)
	reCue     = regexp.MustCompile(`^\d\d:\d\d:\d\d[.,]\d{3} --> \d\d:\d\d:\d\d[.,]\d{3}$`)
	reTeams   = regexp.MustCompile(`^<v ([^>]+)>(.*)</v>$`)
)

func vttUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}

// parse reads a transcript the way its importer should, to check the manifest.
func parse(t *testing.T, tf TranscriptFile, data []byte) []seg {
	t.Helper()
	var out []seg
	text := string(data)
	blocks := func() [][]string {
		var bs [][]string
		for _, b := range strings.Split(strings.TrimSpace(text), "\n\n") {
			bs = append(bs, strings.Split(b, "\n"))
		}
		return bs
	}
	switch tf.Format {
	case FormatVTT, FormatSRT:
		for _, b := range blocks() {
			if b[0] == "WEBVTT" {
				continue
			}
			if len(b) < 3 || !reCue.MatchString(b[1]) {
				t.Fatalf("%s: bad cue %q", tf.Name, b)
			}
			body := strings.Join(b[2:], " ")
			if m := reTeams.FindStringSubmatch(body); m != nil {
				out = append(out, seg{m[1], vttUnescape(m[2])})
				continue
			}
			who, words, _ := strings.Cut(body, ": ")
			out = append(out, seg{who, vttUnescape(words)})
		}
	case FormatOtter:
		bs := blocks()
		if last := bs[len(bs)-1]; last[0] != "Transcribed by https://otter.ai" {
			t.Fatalf("%s: no Otter credit", tf.Name)
		}
		for _, b := range bs[:len(bs)-1] {
			m := reOtter.FindStringSubmatch(b[0])
			if m == nil {
				t.Fatalf("%s: bad header %q", tf.Name, b[0])
			}
			out = append(out, seg{m[1], strings.Join(b[1:], " ")})
		}
	case FormatRev:
		for _, b := range blocks() {
			m := reRev.FindStringSubmatch(b[0])
			if m == nil {
				t.Fatalf("%s: bad header %q", tf.Name, b[0])
			}
			out = append(out, seg{m[1], strings.Join(b[1:], " ")})
		}
	case FormatHearing:
		// The caption before the first turn: one unattributed segment per paragraph.
		caption, _, _ := strings.Cut(text, "\n    THE CHAIR.")
		for _, p := range strings.Split(caption, "\n\n") {
			if strings.TrimSpace(p) != "" {
				out = append(out, seg{"", strings.Join(strings.Fields(p), " ")})
			}
		}
		for _, l := range strings.Split(text, "\n") {
			if m := reHearing.FindStringSubmatch(l); m != nil {
				out = append(out, seg{m[1], m[2]})
			}
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "[Whereupon") {
				out = append(out, seg{"", t}) // the reporter's closing note: no speaker
			}
		}
	case FormatPlain:
		for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
			who, words, ok := strings.Cut(l, ": ")
			if !ok {
				t.Fatalf("%s: bad line %q", tf.Name, l)
			}
			out = append(out, seg{who, words})
		}
	case FormatZoomChat:
		if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
			t.Fatalf("%s: not CRLF throughout", tf.Name)
		}
		for _, l := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
			f := strings.SplitN(l, "\t", 3)
			if len(f) != 3 || len(f[0]) != 8 || !strings.HasSuffix(f[1], ":") {
				t.Fatalf("%s: bad line %q", tf.Name, l)
			}
			out = append(out, seg{strings.TrimSuffix(f[1], ":"), f[2]})
		}
	case FormatWhisperJSON:
		var w struct {
			Text     string
			Segments []struct {
				ID         int
				Start, End float64
				Text       string
				Tokens     []int
			}
			Language string
		}
		if err := json.Unmarshal(data, &w); err != nil || w.Language != "en" {
			t.Fatalf("%s: %v", tf.Name, err)
		}
		for i, s := range w.Segments {
			if s.ID != i || s.End <= s.Start || len(s.Tokens) < 2 || !strings.HasPrefix(s.Text, " ") {
				t.Fatalf("%s: bad segment %+v", tf.Name, s)
			}
			out = append(out, seg{"", strings.TrimPrefix(s.Text, " ")})
		}
	case FormatCSV:
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			t.Fatalf("%s: no BOM", tf.Name)
		}
		rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
		if err != nil || strings.Join(rows[0], ",") != "speaker,start,end,text" {
			t.Fatalf("%s: %v %v", tf.Name, err, rows[0])
		}
		for _, r := range rows[1:] {
			out = append(out, seg{r[0], r[3]})
		}
	default:
		t.Fatalf("%s: unknown format %q", tf.Name, tf.Format)
	}
	return out
}

// display maps a label as written (any case, hearing style) to the name the
// importer should show; ok is false for a name not on the fictional lists.
func display(label string) (string, bool) {
	for _, n := range slices.Concat(slices.Collect(maps.Keys(byName)), slices.Collect(maps.Keys(hearingLabels)), outsiders) {
		if strings.EqualFold(n, label) {
			return n, true
		}
	}
	return label, false
}

func TestTranscripts(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	m := Load()
	if len(m.Transcripts) != 10 {
		t.Fatalf("%d transcripts", len(m.Transcripts))
	}
	segsOf := map[string][]seg{}
	for _, tf := range m.Transcripts {
		data, ok := files[tf.Name]
		if !ok {
			t.Fatalf("%s missing", tf.Name)
		}
		if !strings.Contains(strings.ReplaceAll(tf.Name, "GMT2022", "2022-"), tf.Date[:4]) || tf.Date < "2022-01-01" || tf.Date > "2022-09-30" {
			t.Errorf("%s: date %s", tf.Name, tf.Date)
		}
		segs := parse(t, tf, data)
		segsOf[tf.Name] = segs
		if len(segs) != tf.Segments || tf.Segments < 40 || tf.Segments > 150 {
			t.Errorf("%s: parsed %d segments, manifest says %d", tf.Name, len(segs), tf.Segments)
		}
		distinct := map[string]bool{}
		for i, s := range segs {
			distinct[s.text] = true
			if strings.TrimSpace(s.text) == "" {
				t.Errorf("%s: segment %d is empty", tf.Name, i+1)
			}
			if tf.Speakers && (s.speaker != "" || tf.Format != FormatHearing) {
				if _, ok := display(s.speaker); !ok {
					t.Errorf("%s: speaker %q is not on the fictional lists", tf.Name, s.speaker)
				}
			} else if s.speaker != "" {
				t.Errorf("%s: unexpected speaker %q", tf.Name, s.speaker)
			}
		}
		if len(distinct) < len(segs)*3/4 {
			t.Errorf("%s: only %d distinct lines of %d", tf.Name, len(distinct), len(segs))
		}
	}
	formatOf := map[string]string{}
	for _, tf := range m.Transcripts {
		formatOf[tf.Name] = tf.Format
	}
	kinds := map[string]int{}
	for _, pq := range m.PlantedQuotes {
		kinds[pq.Kind]++
		if !bytes.Contains(files[pq.File], []byte(pq.Text)) {
			t.Errorf("%s: quote not verbatim in the file: %q", pq.File, pq.Text)
		}
		hits := 0
		for _, s := range segsOf[pq.File] {
			if strings.Contains(s.text, pq.Text) {
				hits++
				name, _ := display(s.speaker)
				if formatOf[pq.File] == FormatSRT {
					name = s.speaker // caption labels are shown exactly as written
				}
				if name != pq.Speaker {
					t.Errorf("%s: quote %q spoken by %q, manifest says %q", pq.File, pq.Text, name, pq.Speaker)
				}
			}
		}
		if hits != 1 {
			t.Errorf("%s: quote %q in %d segments, want 1", pq.File, pq.Text, hits)
		}
	}
	if kinds[QuoteContradicts] < 8 || kinds[QuoteKey] < 5 || kinds[QuoteStatement] != len(m.Statements) {
		t.Errorf("quote kinds %v", kinds)
	}
	for _, st := range m.Statements {
		if !bytes.Contains(files[st.File], []byte(st.Words)) {
			t.Errorf("statement not in %s: %q", st.File, st.Words)
		}
	}
}

// TestFictional checks that every name in the case comes from the fictional
// lists and that no real company or person the story resembles is named.
func TestFictional(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	real := []string{"TikTok", "ByteDance", "Douyin", "Shou Chew", "Zhang Yiming", "Vanessa Pappas",
		"Michael Beckerman", "Blackburn", "BuzzFeed", "Oracle", "Facebook", "Google", "Microsoft", "Amazon"}
	for name, data := range files {
		low := bytes.ToLower(data)
		for _, r := range real {
			if bytes.Contains(low, []byte(strings.ToLower(r))) {
				t.Errorf("%s names %q", name, r)
			}
		}
	}
	// Every "Firstname Lastname" that starts with a roster first name must be
	// a roster name (catches a stray invented-but-unlisted person).
	first := map[string]bool{}
	for _, e := range roster {
		f, _, _ := strings.Cut(e.Name, " ")
		first[f] = true
	}
	pair := regexp.MustCompile(`\b([A-Z][a-z]+) ([A-Z][a-z]+)\b`)
	for name, data := range files {
		if name == accessLogName {
			continue // checked column by column in TestAccessLog
		}
		for _, m := range pair.FindAllStringSubmatch(string(data), -1) {
			if first[m[1]] && !first[m[2]] && !knownPrefix(m[0]) {
				t.Errorf("%s: unknown person %q", name, m[0])
			}
		}
	}
}

// knownPrefix reports whether s is a fictional name or the start of one
// ("Tan Hui" of "Tan Hui Min").
func knownPrefix(s string) bool {
	for _, e := range roster {
		if e.Name == s || strings.HasPrefix(e.Name, s+" ") {
			return true
		}
	}
	return knownName(s)
}

// wantPerm is the permission os.Stat reports for a folder or file made with
// the Unix mode perm: perm itself where there are modes; on Windows, which
// keeps only the read-only attribute, 0o777 for a folder and 0o666 (0o444 if
// read-only) for a file.
func wantPerm(perm os.FileMode, dir bool) os.FileMode {
	switch {
	case runtime.GOOS != "windows":
		return perm
	case dir:
		return 0o777
	case perm&0o200 != 0:
		return 0o666
	}
	return 0o444
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	m, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != wantPerm(0o700, true) {
		t.Fatalf("dir: %v %v", st.Mode(), err)
	}
	files, _ := Files()
	for name, want := range files {
		p := filepath.Join(dir, name)
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v", name, err)
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != wantPerm(0o600, false) {
			t.Errorf("%s: mode %v", name, st.Mode())
		}
	}
	mp := filepath.Join(t.TempDir(), "demo-manifest.json")
	if err := WriteManifest(mp, m); err != nil {
		t.Fatal(err)
	}
	var back Manifest
	data, _ := os.ReadFile(mp)
	if err := json.Unmarshal(data, &back); err != nil || fmt.Sprint(back) != fmt.Sprint(Load()) {
		t.Fatalf("manifest round trip: %v", err)
	}
}

func records(r []string, col map[string]int) int {
	n, _ := strconv.Atoi(r[col["record_count"]])
	return n
}

// offHours reports whether t is outside 08:00–19:00 Monday to Friday in the
// office's own time zone.
func offHours(t *testing.T, office string, ts time.Time) bool {
	loc, err := time.LoadLocation(OfficeZones[office])
	if err != nil {
		t.Fatal(err)
	}
	l := ts.In(loc)
	m := l.Hour()*60 + l.Minute()
	return l.Weekday() == time.Saturday || l.Weekday() == time.Sunday || m < 8*60 || m >= 19*60
}

// bulkDays returns the rows of days on which an actor's protected records
// (rows at or under the threshold) came to ten times their median day and
// at least the threshold: the daily-volume half of the bulk kind.
func bulkDays(t *testing.T, rows [][]string, col map[string]int) map[int]bool {
	type key struct{ who, day string }
	vol := map[key]int{}
	members := map[key][]int{}
	for i, r := range rows[1:] {
		if !isProtected(r[col["data_category"]]) || records(r, col) > DemoBulkThreshold {
			continue
		}
		k := key{r[col["employee_id"]], r[0][:10]}
		vol[k] += records(r, col)
		members[k] = append(members[k], i+1)
	}
	days := map[string][]int{}
	for k, v := range vol {
		days[k.who] = append(days[k.who], v)
	}
	out := map[int]bool{}
	for k, v := range vol {
		d := slices.Clone(days[k.who])
		slices.Sort(d)
		med := float64(d[len(d)/2])
		if len(d)%2 == 0 {
			med = float64(d[len(d)/2-1]+d[len(d)/2]) / 2
		}
		if float64(v) > 10*med && v >= DemoBulkThreshold {
			for _, n := range members[k] {
				out[n] = true
			}
		}
	}
	return out
}
