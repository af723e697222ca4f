package depcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// module is Casebook's module path.
const module = "casebook"

// networkImport reports whether an import path is a package whose purpose is
// talking over a network. net/url, net/netip, net/mail and net/textproto
// only parse text and are allowed.
func networkImport(p string) bool {
	switch {
	case p == "net", p == "crypto/tls", p == "net/smtp":
		return true
	case p == "net/http" || strings.HasPrefix(p, "net/http/"):
		return true
	case p == "net/rpc" || strings.HasPrefix(p, "net/rpc/"):
		return true
	}
	return false
}

// pkg is the part of "go list -json" the checks read.
type pkg struct {
	ImportPath   string
	Standard     bool
	Imports      []string
	TestImports  []string
	XTestImports []string
	Error        *struct{ Err string }
}

func ours(p string) bool { return p == module || strings.HasPrefix(p, module+"/") }

// goList runs go list -json at the module root and decodes its packages.
func goList(t *testing.T, env []string, args ...string) []pkg {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	cmd := exec.Command("go", append([]string{"list", "-e", "-json", "-tags", "migrated_fynedo"}, args...)...)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestNoPackageOfOursImportsTheNetwork fails when any of Casebook's own
// packages, or their tests, imports net, net/http or another network
// package directly, on any of the platforms Casebook builds for.
func TestNoPackageOfOursImportsTheNetwork(t *testing.T) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		t.Run(goos, func(t *testing.T) {
			pkgs := goList(t, []string{"GOOS=" + goos}, "./...")
			checked := 0
			for _, p := range pkgs {
				if !ours(p.ImportPath) {
					continue
				}
				if p.Error != nil {
					t.Errorf("%s: %s", p.ImportPath, p.Error.Err)
				}
				checked++
				for kind, list := range map[string][]string{"imports": p.Imports, "test imports": p.TestImports, "external test imports": p.XTestImports} {
					for _, imp := range list {
						if networkImport(imp) {
							t.Errorf("%s %s %s: Casebook never opens a network connection", p.ImportPath, kind, imp)
						}
					}
				}
			}
			if checked < 10 {
				t.Fatalf("only %d packages of ours listed", checked)
			}
		})
	}
}

// TestListThirdPartyPackagesThatImportTheNetwork logs which third-party
// packages in the program's build import a network package themselves (and
// so could): Casebook's own code never calls them to connect.
func TestListThirdPartyPackagesThatImportTheNetwork(t *testing.T) {
	pkgs := goList(t, nil, "-deps", ".")
	found := map[string][]string{}
	for _, p := range pkgs {
		if ours(p.ImportPath) || p.Standard {
			continue
		}
		for _, imp := range p.Imports {
			if networkImport(imp) {
				found[imp] = append(found[imp], p.ImportPath)
			}
		}
	}
	var imps []string
	for imp := range found {
		imps = append(imps, imp)
	}
	sort.Strings(imps)
	if len(imps) == 0 {
		t.Log("no third-party package in the build imports a network package")
	}
	for _, imp := range imps {
		sort.Strings(found[imp])
		t.Logf("third-party packages importing %s: %s", imp, strings.Join(found[imp], ", "))
	}
}

func TestTheCheckKnowsNetworkPackagesFromParsers(t *testing.T) {
	for p, want := range map[string]bool{"net": true, "net/http": true, "net/http/httptest": true, "crypto/tls": true,
		"net/rpc/jsonrpc": true, "net/smtp": true, "net/url": false, "net/netip": false, "net/mail": false, "netx": false} {
		if networkImport(p) != want {
			t.Errorf("networkImport(%q) = %v, want %v", p, !want, want)
		}
	}
}
