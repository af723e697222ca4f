// Package assets holds the files Casebook embeds in its binary: the app
// icon, the fonts reports are set in, and (in assets/demo) the generator of
// the built-in fictional demo case.
package assets

import _ "embed"

// Icon is the application icon, a 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

// SansRegular is DejaVu Sans, the Latin body font of reports (licence in fonts/DejaVu-LICENSE.txt).
//
//go:embed fonts/DejaVuSans.ttf
var SansRegular []byte

// SansBold is DejaVu Sans Bold.
//
//go:embed fonts/DejaVuSans-Bold.ttf
var SansBold []byte

// SansOblique is DejaVu Sans Oblique.
//
//go:embed fonts/DejaVuSans-Oblique.ttf
var SansOblique []byte

// CJK is Droid Sans Fallback, which has Chinese, Japanese and Korean glyphs
// but no Latin ones: reports set text in runs, each in the font that has its
// glyphs (licence in fonts/DroidSansFallback-LICENSE.txt, Apache-2.0).
//
//go:embed fonts/DroidSansFallbackFull.ttf
var CJK []byte
