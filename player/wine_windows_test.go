//go:build wine

package player

// Under Wine (make test-windows), Go's temporary folders and os.RemoveAll use
// the deletion call Wine implements; see internal/wine. Nothing else changes.
import _ "casebook/internal/wine"
