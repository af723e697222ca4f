package importer

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"casebook/model"
)

// genReader writes n rows of a fixed fictional pattern on the fly, so the
// input itself takes no memory and the heap shows only the parser's.
type genReader struct {
	n, i   int
	header string
	row    func(i int) string
	buf    []byte
}

// cycled returns row with its first 1,000 rows made once and repeated, so
// that generating the input costs next to nothing.
func cycled(row func(int) string) func(int) string {
	cache := make([]string, 1000)
	for i := range cache {
		cache[i] = row(i + 1)
	}
	return func(i int) string { return cache[(i-1)%len(cache)] }
}

func (g *genReader) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.i <= g.n {
		if g.i == 0 {
			g.buf = append(g.buf, g.header...)
		} else {
			g.buf = append(g.buf, g.row(g.i)...)
		}
		g.i++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	k := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[k:])]
	return k, nil
}

var benchOffices = []struct{ office, cc, ip string }{
	{"Los Angeles", "US", "192.0.2."}, {"Manila", "PH", "198.51.100."}, {"Singapore", "SG", "203.0.113."},
}

func accessCSVRow(i int) string {
	o := benchOffices[i%len(benchOffices)]
	appr := ""
	if i%7 != 0 {
		appr = fmt.Sprintf("APR-%d", 1000+i%900)
	}
	return fmt.Sprintf("2024-03-%02dT%02d:%02d:%02dZ,%s,E%d,%s,%s,%s%d,read,us_users.profiles,profile,%d,%s\n",
		1+i%28, i%24, i%60, (i/60)%60, benchSpeakers[i%len(benchSpeakers)], 1000+i%50, o.office, o.cc, o.ip, 1+i%250, i%5000, appr)
}

func accessJSONRow(i int) string {
	o := benchOffices[i%len(benchOffices)]
	return fmt.Sprintf(`{"ts":"2024-03-%02dT%02d:%02d:%02dZ","user":{"name":%q,"id":"E%d","office":{"city":%q,"country":%q}},"src":{"ip":"%s%d"},"event":{"action":"read","resource":"us_users.profiles","records":%d},"approval":{"ticket":"APR-%d"}}`+"\n",
		1+i%28, i%24, i%60, (i/60)%60, benchSpeakers[i%len(benchSpeakers)], 1000+i%50, o.office, o.cc, o.ip, 1+i%250, i%5000, 1000+i%900)
}

// heapSink counts events and samples the heap in use every 10,000 rows.
type heapSink struct {
	n, rejects int
	peak       uint64
	ms         runtime.MemStats
}

func (h *heapSink) Segment(*model.Segment) error { return nil }
func (h *heapSink) Event(*model.Event) error {
	h.n++
	if h.n%10000 == 0 {
		runtime.ReadMemStats(&h.ms)
		h.peak = max(h.peak, h.ms.HeapInuse)
	}
	return nil
}
func (h *heapSink) Warn(int, string)       {}
func (h *heapSink) Reject(Rejection) error { h.rejects++; return nil }

func benchAccess(b *testing.B, format, header string, row func(int) string) {
	row = cycled(row)
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%s", map[int]string{100_000: "100k", 1_000_000: "1M"}[n]), func(b *testing.B) {
			f, err := Lookup(format)
			if err != nil {
				b.Fatal(err)
			}
			var size int64
			for i := 1; i <= n; i++ {
				size += int64(len(row(i)))
			}
			b.SetBytes(size + int64(len(header)))
			var peak uint64
			for b.Loop() {
				runtime.GC()
				sink := &heapSink{}
				in := Input{Name: "bench", R: &genReader{n: n, header: header, row: row}, Size: -1}
				if _, err := f.Parse(context.Background(), in, sink); err != nil {
					b.Fatal(err)
				}
				if sink.n != n || sink.rejects != 0 {
					b.Fatalf("%d events, %d rejects", sink.n, sink.rejects)
				}
				peak = max(peak, sink.peak)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkParseAccessCSV parses 100k and 1M generated rows: rows/s, MB/s,
// and the peak heap in use, which must not grow with the row count.
func BenchmarkParseAccessCSV(b *testing.B) {
	benchAccess(b, "csv-accesslog",
		"timestamp,employee,employee_id,office,country,ip,action,resource,data_category,record_count,approval_id\n", accessCSVRow)
}

// BenchmarkParseAccessJSONL is the same for JSON Lines with nested fields.
func BenchmarkParseAccessJSONL(b *testing.B) {
	benchAccess(b, "jsonl-accesslog", "", accessJSONRow)
}
