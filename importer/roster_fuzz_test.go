package importer

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzReadRoster checks that any bytes give people or an error naming the
// file, never a panic, and that every person read has a name or an
// identifier and a known country (or none).
func FuzzReadRoster(f *testing.F) {
	for _, p := range []string{"../casefile/testdata/context/lumora_roster.csv"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("email;name\n\"a@b\";\"A\"\n"))
	f.Add([]byte("\xEF\xBB\xBFname,arn,country\nX,arn:aws:iam::1:user/x,United Kingdom\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		people, err := ReadRoster(ctx, "roster.csv", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "roster.csv") && ctx.Err() == nil {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, p := range people {
			if p.Name == "" && len(p.IDs) == 0 {
				t.Fatalf("row %d has neither name nor identifier", p.Row)
			}
			if p.Country != "" && !IsCountryCode(p.Country) {
				t.Fatalf("row %d country %q", p.Row, p.Country)
			}
		}
	})
}

// FuzzReadDataMap checks that any bytes give entries whose patterns compile
// or an error naming the file.
func FuzzReadDataMap(f *testing.F) {
	if b, err := os.ReadFile("../casefile/testdata/context/lumora_datamap.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("resource,re:^(a|b)+$,phone,US\naction,Get*,secrets,*\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		dm, err := ReadDataMap(ctx, "map.csv", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "map.csv") && ctx.Err() == nil {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, d := range dm {
			if _, err := CompilePattern(d.Pattern); err != nil {
				t.Fatalf("row %d: %v", d.Row, err)
			}
		}
	})
}
