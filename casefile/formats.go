package casefile

import "casebook/importer"

// FormatInfo describes one file format Casebook imports.
type FormatInfo struct {
	Name    string
	Kind    string
	Version int
	Title   string
}

// Formats lists the formats Casebook imports.
func Formats() []FormatInfo {
	var out []FormatInfo
	for _, f := range importer.Formats() {
		out = append(out, FormatInfo{f.Name, string(f.Kind), f.Version, f.Title})
	}
	return out
}

// MappingRoles lists the event fields an access-log column can be mapped to.
func MappingRoles() []string { return append([]string(nil), importer.Roles...) }
