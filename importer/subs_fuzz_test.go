package importer

import (
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for the caption formats added for real-world subtitles,
// seeded with the third-party files in testdata/realsubs and the fictional
// samples of their tests.

// realSubSeeds returns the fetched caption files whose names end with one of
// exts (when this machine has them) and the fictional fixtures of the same kinds.
func realSubSeeds(f *testing.F, exts ...string) [][]byte {
	f.Helper()
	out := fetchedSeeds("realsubs", exts...)
	for _, e := range exts {
		names, _ := filepath.Glob(filepath.Join("testdata", "fixtures", "*"+e))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				out = append(out, b)
			}
		}
	}
	if len(out) == 0 {
		f.Fatalf("no seeds for %v", exts)
	}
	return out
}

func FuzzSBV(f *testing.F) {
	seeds := append(realSubSeeds(f, ".sbv"), []byte("0:00:01.000,0:00:02.000\nMIA: x\nstray\n0:00:0x.000,1:00:00.000\n\ny\n"))
	fuzzParse(f, "sbv", seeds...)
}

func FuzzSSA(f *testing.F) {
	seeds := append(realSubSeeds(f, ".ssa", ".ass"), []byte(lumoraASS),
		[]byte("[Events]\nFormat: Text\nDialogue: {\\i1}a\\Nb{\nFormat: Start\nDialogue: 1:00:00.00\n"))
	fuzzParse(f, "ssa", seeds...)
}

func FuzzTTML(f *testing.F) {
	seeds := append(realSubSeeds(f, ".ttml", ".dfxp"), []byte(lumoraTTML),
		[]byte(`<tt xmlns="http://www.w3.org/ns/ttml" ttp:frameRate="0" ttp:tickRate="1e308"><body begin="99999999h"><div><p begin="1t" dur="1f">a<br/><span>b</span></p></div></body></tt>`))
	fuzzParse(f, "ttml", seeds...)
}

// FuzzCaptionLabels fuzzes the speaker-label evidence through SubRip, the
// CR-only reader included.
func FuzzCaptionLabels(f *testing.F) {
	seeds := append(realSubSeeds(f, ".srt", ".vtt"), srtOf("Mia Chen: a", "- Daniel Okafor: b|- Mia Chen: c", ">> X: d"))
	fuzzParse(f, "srt", seeds...)
}
