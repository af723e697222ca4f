// Package gen writes a deterministic, fictional, large case for benchmarks:
// WebVTT meetings with voice tags, a 15-column access-log CSV (and JSON
// Lines), and a fixed set of queries. The same Config gives the same bytes.
// Everything in it is invented: pseudo-words, made-up people and offices.
package gen

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config says how much to write.
type Config struct {
	Meetings int    // WebVTT files
	Cues     int    // cues across all meetings
	LogRows  int    // access-log rows
	JSONL    bool   // also write access_logs.jsonl
	Seed     uint64 // same seed, same bytes
}

// Reference is the size the performance issue measures: 2,000 meetings,
// 200,000 cues, 1,000,000 log rows.
var Reference = Config{Meetings: 2000, Cues: 200000, LogRows: 1000000, JSONL: true, Seed: 42}

// AccessHeader is the access log's header.
var AccessHeader = []string{"ts", "employee_id", "employee", "office", "country", "system", "resource", "data_category",
	"records", "subject_region", "action", "approval_id", "approver", "approver_country", "purpose"}

var common = strings.Fields(`the be to of and a in that have it for not on with as you do at this but by from they we say
or an will one all would there their what so up out if about who get which go when make can like time no just know take
people into year good some could them see other than then now look only come over think also back after use two how our
work first well way even new want because any these give day most us budget invoice payment transfer account contract
client vendor meeting report quarter review audit finance legal compliance risk policy approval access server database
file folder document email password office travel project deadline launch customer data export download upload share
delete backup laptop phone device network security incident investigation evidence statement timeline question answer
okay yeah right sure actually maybe probably really thanks please sorry morning tomorrow yesterday today week month
discuss mention remember send check confirm verify approve reject escalate flag move keep hold close open start stop
number amount total cost estimate target revenue offshore transaction ledger important urgent confidential sensitive
internal external personal official`)

var firstNames = strings.Fields(`Avery Blake Casey Dana Emery Finley Gray Harper Indigo Jules Kai Lane Morgan Noel Oakley
Parker Quinn Reese Sage Tatum Umi Vale Wren Xan Yael Zion Arlo Bryn Cato Dell Eero Fenn Gael Hale Ines Joss Kit Lior Mika Nia`)
var lastNames = strings.Fields(`Ashdown Brightwater Coldbrook Dunmore Elsworth Fairhaven Glenrock Hollins Ironwood
Juniper Kestrel Larkspur Moorfield Northcott Oakhurst Pembrook Quarry Redfern Stonebridge Thornbury Underhill Valecourt
Westerly Yarrow Zellwood`)

type office struct{ name, country string }

var offices = []office{
	{"Los Angeles", "US"}, {"Los Angeles", "US"}, {"Mountain View", "US"}, {"Mountain View", "US"}, {"New York", "US"},
	{"Austin", "US"}, {"Seattle", "US"}, {"Beijing", "CN"}, {"Beijing", "CN"}, {"Shanghai", "CN"}, {"Singapore", "SG"},
	{"Dublin", "IE"}, {"London", "GB"}, {"Toronto", "CA"}, {"Tokyo", "JP"},
}

type zipf struct{ cum []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cum: make([]float64, n)}
	sum := 0.0
	for i := range n {
		sum += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = sum
	}
	for i := range z.cum {
		z.cum[i] /= sum
	}
	return z
}

func (z *zipf) pick(r *rand.Rand) int {
	u := r.Float64()
	lo, hi := 0, len(z.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if z.cum[mid] < u {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

type generator struct {
	r     *rand.Rand
	vocab []string
	wz    *zipf
}

func newGenerator(seed uint64) *generator {
	vocab := append([]string(nil), common...)
	syl := strings.Fields("ka ro mel tan vi sor den pla quo mis tre gan lo ber fin dra cul sen ta mor ix ven pol ru ash")
	vr := rand.New(rand.NewPCG(7, 11)) // one vocabulary for every seed
	seen := map[string]bool{}
	for _, w := range vocab {
		seen[w] = true
	}
	for len(vocab) < 20000 {
		w := ""
		for range 2 + vr.IntN(3) {
			w += syl[vr.IntN(len(syl))]
		}
		if !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), vocab: vocab, wz: newZipf(len(vocab), 1.0)}
}

func (g *generator) person() string {
	return firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
}

var templates = []string{
	"%N said the %W %W was sent to %P last %W",
	"we need to %W the %W before %N gets back from %P",
	"the %P team can see the US user data for the %W project",
	"%N is the master admin, that account can see everything",
	"the approval came from %P, not from the US security team",
	"%N downloaded the %W spreadsheet from the %W folder",
}

func (g *generator) sentence() string {
	if g.r.IntN(4) == 0 {
		t := templates[g.r.IntN(len(templates))]
		var b strings.Builder
		for _, f := range strings.Fields(t) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			switch f {
			case "%N":
				b.WriteString(g.person())
			case "%W":
				b.WriteString(g.vocab[g.wz.pick(g.r)])
			case "%P":
				b.WriteString(offices[g.r.IntN(len(offices))].name)
			default:
				b.WriteString(f)
			}
		}
		return b.String()
	}
	n := 6 + g.r.IntN(14)
	words := make([]string, n)
	for i := range words {
		words[i] = g.vocab[g.wz.pick(g.r)]
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ") + "."
}

func vttTime(ms int) string {
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// Write writes the case into dir: vtt/meeting_NNNN.vtt, access_logs.csv,
// access_logs.jsonl (with JSONL) and queries.tsv. It returns the sample
// sentences the queries were drawn from.
func Write(dir string, c Config) error {
	g := newGenerator(c.Seed)
	if err := os.MkdirAll(filepath.Join(dir, "vtt"), 0o755); err != nil {
		return err
	}
	var sample []string
	left := c.Cues
	for m := 0; m < c.Meetings; m++ {
		// Each meeting gets the average of what is left, ±60%, the last the rest.
		avg := left / (c.Meetings - m)
		n := avg*4/10 + g.r.IntN(avg*12/10+1)
		if m == c.Meetings-1 {
			n = left
		}
		n = max(1, min(n, left))
		left -= n
		s, err := g.meeting(filepath.Join(dir, "vtt", fmt.Sprintf("meeting_%04d.vtt", m)), m, n)
		if err != nil {
			return err
		}
		sample = append(sample, s...)
	}
	if err := g.accessLog(dir, c); err != nil {
		return err
	}
	return writeQueries(filepath.Join(dir, "queries.tsv"), g, sample)
}

func (g *generator) meeting(path string, m, cues int) ([]string, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriter(f)
	spk := make([]string, 2+g.r.IntN(6))
	for i := range spk {
		spk[i] = g.person()
	}
	date := time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(m) * 7 * time.Hour)
	fmt.Fprintf(w, "WEBVTT\n\nNOTE meeting_%04d %s recorded in %s\n\n", m, date.Format(time.RFC3339), offices[g.r.IntN(len(offices))].name)
	var sample []string
	t := 0
	for c := 0; c < cues; c++ {
		text := g.sentence()
		if g.r.IntN(3) == 0 {
			text += " " + g.sentence()
		}
		dur := 1500 + g.r.IntN(6000)
		fmt.Fprintf(w, "%d\n%s --> %s\n<v %s>%s\n\n", c+1, vttTime(t), vttTime(t+dur), spk[g.r.IntN(len(spk))], text)
		if g.r.IntN(500) == 0 {
			sample = append(sample, text)
		}
		t += dur + g.r.IntN(800)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	return sample, f.Close()
}

func (g *generator) accessLog(dir string, c Config) error {
	f, err := os.Create(filepath.Join(dir, "access_logs.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	cw := csv.NewWriter(bw)
	var jw *bufio.Writer
	if c.JSONL {
		jf, err := os.Create(filepath.Join(dir, "access_logs.jsonl"))
		if err != nil {
			return err
		}
		defer jf.Close()
		jw = bufio.NewWriterSize(jf, 1<<20)
	}
	if err := cw.Write(AccessHeader); err != nil {
		return err
	}
	const nEmp = 5000
	emps := make([]string, nEmp)
	home := make([]int, nEmp)
	for i := range emps {
		emps[i], home[i] = g.person(), g.r.IntN(len(offices))
	}
	approvers := make([]string, 40)
	appOffice := make([]int, 40)
	for i := range approvers {
		approvers[i], appOffice[i] = g.person(), g.r.IntN(len(offices))
	}
	ez := newZipf(nEmp, 0.8)
	actions := []string{"read", "read", "read", "read", "query", "query", "export", "download", "share", "update"}
	systems := []string{"user-profile-svc", "messaging-store", "video-meta", "comments-db", "analytics-warehouse", "support-console", "backup-sg"}
	cats := []string{"video_metadata", "video_metadata", "comments", "comments", "public_profile", "public_profile",
		"phone", "email", "birthday", "precise_location", "device_id", "contacts", "messages"}
	regions := []string{"US", "US", "US", "US", "US", "US", "EU", "EU", "SEA", "LATAM"}
	purposes := []string{"debugging", "trust and safety review", "analytics", "model training", "customer support", "data migration", "", ""}
	start := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC).Unix()
	step := int64(365*24*3600) / int64(max(c.LogRows, 1))
	tcur := start
	row := make([]string, len(AccessHeader))
	obj := make(map[string]string, len(AccessHeader))
	for i := 0; i < c.LogRows; i++ {
		tcur += 1 + g.r.Int64N(2*step+1)
		e := ez.pick(g.r)
		o := offices[home[e]]
		cat := cats[g.r.IntN(len(cats))]
		approval, approver, appCountry := "", "", ""
		if g.r.IntN(10) < 7 {
			a := g.r.IntN(len(approvers))
			approval = fmt.Sprintf("APR-%07d", g.r.IntN(10000000))
			approver, appCountry = approvers[a], offices[appOffice[a]].country
		}
		records := 1 + g.r.IntN(50)
		if g.r.IntN(100) == 0 {
			records = 1000 + g.r.IntN(200000)
		}
		row[0] = time.Unix(tcur, 0).UTC().Format(time.RFC3339)
		row[1] = fmt.Sprintf("E%05d", e)
		row[2] = emps[e]
		row[3], row[4] = o.name, o.country
		row[5] = systems[g.r.IntN(len(systems))]
		row[6] = strings.ToLower(regions[g.r.IntN(len(regions))]) + "_users." + cat
		row[7] = cat
		row[8] = strconv.Itoa(records)
		row[9] = regions[g.r.IntN(len(regions))]
		row[10] = actions[g.r.IntN(len(actions))]
		row[11], row[12], row[13] = approval, approver, appCountry
		row[14] = purposes[g.r.IntN(len(purposes))]
		if err := cw.Write(row); err != nil {
			return err
		}
		if jw != nil {
			for k, h := range AccessHeader {
				obj[h] = row[k]
			}
			b, err := json.Marshal(obj)
			if err != nil {
				return err
			}
			jw.Write(b)
			jw.WriteByte('\n')
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if jw != nil {
		if err := jw.Flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeQueries writes 100 queries: 40 single terms, 30 phrases, 30 boolean
// or field queries, as "kind<TAB>casebook query<TAB>SQLite FTS5 query" lines
// (the FTS5 form is the nearest equivalent over transcript text; field
// queries keep only their word).
func writeQueries(path string, g *generator, sample []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	words := func(s string) []string {
		var out []string
		for _, w := range strings.Fields(strings.ToLower(strings.Trim(s, "."))) {
			if len(w) > 3 {
				out = append(out, strings.Trim(w, ".,"))
			}
		}
		return out
	}
	pick := func() []string {
		for {
			if ws := words(sample[g.r.IntN(len(sample))]); len(ws) >= 2 {
				return ws
			}
		}
	}
	if len(sample) == 0 {
		sample = []string{"the master admin can see everything"}
	}
	for i := 0; i < 40; i++ {
		ws := pick()
		t := ws[g.r.IntN(len(ws))]
		fmt.Fprintf(w, "term\t%s\t%s\n", t, t)
	}
	for i := 0; i < 30; i++ {
		ws := pick()
		j := g.r.IntN(len(ws) - 1)
		fmt.Fprintf(w, "phrase\t\"%s %s\"\t\"%s %s\"\n", ws[j], ws[j+1], ws[j], ws[j+1])
	}
	for i := 0; i < 30; i++ {
		ws := pick()
		switch i % 3 {
		case 0:
			fmt.Fprintf(w, "bool\t+%s +%s\t%s AND %s\n", ws[0], ws[len(ws)-1], ws[0], ws[len(ws)-1])
		case 1:
			fmt.Fprintf(w, "bool\t%s -%s\t%s NOT %s\n", ws[0], ws[1], ws[0], ws[1])
		default:
			fmt.Fprintf(w, "field\tcountry:%s %s\t%s\n", offices[g.r.IntN(len(offices))].country, ws[0], ws[0])
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
