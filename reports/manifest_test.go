package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"casebook/reports"
)

// squeeze drops every space and line break, as drawn text wraps where the page does.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

func TestAReportCarriesItsManifestAndItsTextCanBeReadBack(t *testing.T) {
	r := sample(40)
	r.Manifest = []byte(`{"exhibits":[{"exhibit":"EX-0001","item":"seg-12"}]}`)
	pdf := write(t, r, reports.Options{Date: reportDate})
	back, err := reports.Read(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Manifest, r.Manifest) {
		t.Errorf("manifest read back as %q", back.Manifest)
	}
	all := squeeze(strings.Join(back.Pages, "\n"))
	for _, want := range []string{r.Sections[0].Exhibits[0].Text, "EX-0002", "us_users.phone",
		"Manifest SHA-256 " + reports.ManifestDigest(r.Manifest), "所有数据都能看到"} {
		if !strings.Contains(all, squeeze(want)) {
			t.Errorf("text read back lacks %q", want)
		}
	}
	// The same words through poppler, so the reader is not checking itself.
	if !strings.Contains(squeeze(pdfText(t, pdf)), squeeze(reports.ManifestDigest(r.Manifest))) {
		t.Errorf("pdftotext does not see the manifest digest")
	}
}

func TestAReportWithoutAManifestHasNoneAndAForeignFileIsRefused(t *testing.T) {
	back, err := reports.Read(write(t, sample(3), reports.Options{Date: reportDate}))
	if err != nil || back.Manifest != nil || len(back.Pages) == 0 {
		t.Errorf("manifest %q, %d pages, err %v", back.Manifest, len(back.Pages), err)
	}
	if _, err := reports.Read([]byte("hello")); err == nil {
		t.Error("a text file was read as a report")
	}
}

func FuzzRead(f *testing.F) {
	r := sample(3)
	r.Manifest = []byte(`{}`)
	var buf bytes.Buffer
	if err := reports.Write(&buf, r, reports.Options{Date: reportDate}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("%PDF-1.3\n<< /Length 99999 >>\nstream\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		reports.Read(b) // must not panic or run away
	})
}
