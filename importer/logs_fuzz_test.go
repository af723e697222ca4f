package importer

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"casebook/model"
)

// eventCheckSink records the first broken event invariant: rows increase,
// offsets sit inside the input, lines are positive, times are UTC.
type eventCheckSink struct {
	size    int64
	gz      bool
	lastRow int
	err     error
	rawMax  int // longest Raw allowed (0: maxRejectRaw)
}

func (c *eventCheckSink) Segment(*model.Segment) error {
	return fmt.Errorf("segment from an access-log parser")
}
func (c *eventCheckSink) Event(e *model.Event) error {
	switch {
	case c.err != nil:
	case e.Row <= c.lastRow:
		c.err = fmt.Errorf("row %d after row %d", e.Row, c.lastRow)
	case e.Line < 1:
		c.err = fmt.Errorf("row %d on line %d", e.Row, e.Line)
	case !c.gz && (e.Offset < 0 || e.Offset >= c.size):
		c.err = fmt.Errorf("row %d at offset %d outside %d bytes", e.Row, e.Offset, c.size)
	case e.Time.IsZero() || e.Time.Location() != time.UTC:
		c.err = fmt.Errorf("row %d time %v", e.Row, e.Time)
	case len(e.Raw) > max(c.rawMax, maxRejectRaw)+4:
		c.err = fmt.Errorf("row %d raw of %d bytes", e.Row, len(e.Raw))
	}
	c.lastRow = max(c.lastRow, e.Row)
	return nil
}
func (c *eventCheckSink) Warn(int, string) {}
func (c *eventCheckSink) Reject(r Rejection) error {
	if c.err == nil && r.Row != 0 && r.Row <= c.lastRow {
		c.err = fmt.Errorf("rejected row %d after row %d", r.Row, c.lastRow)
	}
	c.lastRow = max(c.lastRow, r.Row)
	return nil
}

// fuzzLog seeds f with the log fixtures of a format and checks that parsing
// arbitrary bytes never panics, hangs, or breaks the event invariants.
func fuzzLog(f *testing.F, format string, seeds ...string) {
	fuzzLogWith(f, format, Options{MaxLine: 1 << 16, Year: 2024}, seeds...)
}

// fuzzLogWith is fuzzLog with the import options opts.
func fuzzLogWith(f *testing.F, format string, opts Options, seeds ...string) {
	for _, c := range logFixtures {
		if c.format == format {
			f.Add(readTestdata(f, "logfixtures/"+c.file))
		}
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	p, err := Lookup(format)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		sink := &eventCheckSink{size: int64(len(data)), gz: IsGzip(data)}
		began := time.Now()
		_, _ = p.Parse(ctx, Input{Name: "fuzz", R: bytes.NewReader(data), Size: int64(len(data)), Opts: opts}, sink)
		if d := time.Since(began); d > 1500*time.Millisecond {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
		if sink.err != nil {
			t.Fatal(sink.err)
		}
		_ = p.Detect("fuzz", data[:min(len(data), HeadSize)])
	})
}

func FuzzCSVLog(f *testing.F) {
	fuzzLog(f, "csv-accesslog", "time,user,ip\n2024-01-01,a,192.0.2.1\n\"x\ny\",\"b\nc")
}
func FuzzJSONL(f *testing.F) {
	fuzzLog(f, "jsonl-accesslog", `[{"ts":1,"user":{"name":"a"}},{"ts":"2024-01-01T00:00:00Z","user":"b","ip":"192.0.2.1","action":"x"}, 3]`,
		`{"value":[{"timestamp":"2024-01-01T00:00:00Z","user":"a","action":"b"}]}`)
}
func FuzzCloudTrail(f *testing.F) {
	fuzzLog(f, "cloudtrail", `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"arn":"a"}},{"eventTime":1}]}`)
}
func FuzzGCP(f *testing.F)   { fuzzLog(f, "gcp-audit") }
func FuzzOkta(f *testing.F)  { fuzzLog(f, "okta") }
func FuzzAzure(f *testing.F) { fuzzLog(f, "azure-signin") }
func FuzzWebLog(f *testing.F) {
	fuzzLog(f, "weblog", string(readTestdata(f, "logs/crowdsec_apache2-logs.log")),
		`192.0.2.1 - mia [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 1 "-" "ua"`+"\n")
}
func FuzzSyslog(f *testing.F) {
	fuzzLog(f, "syslog", "<34>1 2024-03-05T01:02:03Z h sshd 1 - [a b=\"c\"] Accepted password for p from 192.0.2.1 port 1\n")
}
func FuzzLogfmt(f *testing.F) {
	fuzzLog(f, "logfmt", "time=2024-01-01T00:00:00Z user=\"a b\" ip=192.0.2.1 msg=\"x\\\"y\"\n")
}
func FuzzPgaudit(f *testing.F) {
	data := readTestdata(f, "logs/pgaudit_postgresql-2015-08-12_161343.csv")
	fuzzLog(f, "pgaudit", string(data[:4096]))
}
