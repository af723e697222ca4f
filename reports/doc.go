// Package reports writes an investigation's report as a PDF (with gofpdf):
// cover, table of contents, summary with a chart, findings with exhibits that
// cite the exact place in a source file whose SHA-256 is printed, and
// appendices with the chain of custody, methodology and audit summary.
//
// The package knows nothing about cases: casefile fills a Report and calls
// Write. Output is deterministic — the same Report and Options give the same
// bytes — so a report can be regenerated and compared.
//
// Text is set in runs by script: DejaVu Sans for Latin, Greek and Cyrillic,
// Droid Sans Fallback for Chinese, Japanese and Korean (which has no Latin
// glyphs), since gofpdf has no font fallback of its own.
package reports
