package index

import (
	"testing"
	"time"
)

func eventLikeDoc() Doc {
	n := 120.0
	return Doc{ID: "evt-123456", Kind: "event", Source: "src-2", Actor: "arn:aws:iam::111122223333:user/lwang",
		Person: "Li Wang", Country: "CN", Office: "Beijing", Category: "phone", Approval: "no",
		Text: "2022-03-14T02:11:09Z lwang export user_phone 120 rows 10.20.30.40 Beijing CN",
		Time: time.Date(2022, 3, 14, 2, 11, 9, 0, time.UTC), Records: &n, IPs: []string{"10.20.30.40"}}
}

// Every part of a document that reaches the index changes its digest, and
// nothing else does.
func TestDigestFollowsEveryIndexedField(t *testing.T) {
	base := eventLikeDoc()
	d0 := base.Digest()
	if d0 != eventLikeDoc().Digest() || len(d0) != 22 {
		t.Fatalf("digest %q is not stable or not 16 bytes in base64", d0)
	}
	n := 121.0
	for name, change := range map[string]func(*Doc){
		"text":     func(d *Doc) { d.Text += "!" },
		"actor":    func(d *Doc) { d.Actor = "lwang2" },
		"person":   func(d *Doc) { d.Person = "Wang Li" },
		"country":  func(d *Doc) { d.Country = "US" },
		"records":  func(d *Doc) { d.Records = &n },
		"time":     func(d *Doc) { d.Time = d.Time.Add(time.Millisecond) },
		"tag":      func(d *Doc) { d.Tags = []string{"foreign-access"} },
		"note":     func(d *Doc) { d.Notes = "checked" },
		"ip":       func(d *Doc) { d.IPs = []string{"10.20.30.41"} },
		"approval": func(d *Doc) { d.Approval = "yes" },
		// A value moved from one field to another must not give the same digest.
		"moved": func(d *Doc) { d.Office, d.Category = d.Category, d.Office },
	} {
		d := eventLikeDoc()
		change(&d)
		if d.Digest() == d0 {
			t.Errorf("changing %s leaves the digest as it was", name)
		}
	}
	same := eventLikeDoc()
	same.Country = "cn" // normalised to CN: the index holds the same terms
	if same.Digest() != d0 {
		t.Errorf("a country in lower case indexes the same terms but digests differently")
	}
}

func BenchmarkDocDigest(b *testing.B) {
	d := eventLikeDoc()
	b.ReportAllocs()
	for b.Loop() {
		_ = d.Digest()
	}
}

func BenchmarkDocFields(b *testing.B) {
	d := eventLikeDoc()
	b.ReportAllocs()
	for b.Loop() {
		_ = d.fields()
	}
}
