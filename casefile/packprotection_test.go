package casefile_test

import (
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"casebook/casefile"
)

func TestPackProtectionTellsWhatUnpackWillNeed(t *testing.T) {
	defer casefile.SetScryptWorkFactorForTest(10)()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts casefile.PackOptions
		want string
	}{
		{"plain", casefile.PackOptions{}, casefile.PackPlain},
		{"passphrase", casefile.PackOptions{Passphrase: "correct horse"}, casefile.PackPassphrase},
		{"keys", casefile.PackOptions{Recipients: []string{id.Recipient().String()}}, casefile.PackKeys},
	} {
		_, pack, _ := packedCase(t, tc.opts)
		got, err := casefile.PackProtection(pack)
		if err != nil || got != tc.want {
			t.Errorf("%s pack: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := casefile.PackProtection(filepath.Join(t.TempDir(), "missing.zip")); err == nil {
		t.Error("a missing pack file gave no error")
	}
	broken := writeFile(t, "broken.zip", "age-encryption.org/v1\nnot a header")
	if _, err := casefile.PackProtection(broken); err == nil || !strings.Contains(err.Error(), "damaged or was altered") {
		t.Errorf("a broken age header: %v", err)
	}
}
