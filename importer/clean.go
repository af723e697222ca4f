package importer

import (
	"strings"
	"unicode/utf8"

	"casebook/model"
)

// cleanSink stands between every parser and the caller's sink: no record
// leaves the importer with invalid UTF-8 or a NUL byte in its text, whatever
// the file held. Both become U+FFFD, the mark of a character that could not
// be read; the record's offset still points at the original bytes.
type cleanSink struct{ Sink }

// safeText returns s as valid UTF-8 without NUL bytes.
func safeText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func cleanAll(fields ...*string) {
	for _, f := range fields {
		*f = safeText(*f)
	}
}

func (c cleanSink) Segment(g *model.Segment) error {
	cleanAll(&g.Speaker, &g.Text)
	return c.Sink.Segment(g)
}

func (c cleanSink) Event(e *model.Event) error {
	cleanAll(&e.TimeText, &e.ActorName, &e.ActorID, &e.Office, &e.Country, &e.IP, &e.Action, &e.System,
		&e.Resource, &e.DataCategory, &e.SubjectRegion, &e.ApprovalID, &e.Approver, &e.ApproverCountry,
		&e.Purpose, &e.Raw)
	return c.Sink.Event(e)
}

func (c cleanSink) Warn(line int, msg string) { c.Sink.Warn(line, safeText(msg)) }

func (c cleanSink) Reject(r Rejection) error {
	r.Raw, r.Reason = safeText(r.Raw), safeText(r.Reason)
	return c.Sink.Reject(r)
}
