// Package importer turns files into model values. It detects a file's format
// from its content (and name), decodes its text, and streams the records it
// finds to a Sink; it never persists anything itself. Every record carries
// where it sits in the original (line and byte offset) so that a report can
// cite it exactly.
//
// Each format registers a Format with Register in an init function. The
// casefile package picks one with Detect (or Lookup, when the investigator
// forces a format) and calls its Parse function on the stored original.
package importer
