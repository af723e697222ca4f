package importer

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// Zoom chat export: "HH:MM:SS<TAB>Name:<TAB>text" (cloud recordings), or
// "HH:MM:SS From Name to Everyone: text" (saved chats; the words may be on
// the following, indented lines). The time becomes StartMS; lines that do
// not start a message continue the previous one. A private message keeps
// its recipient in front of the text: "(privately to Name) …".

func init() {
	Register(Format{
		Name:    "zoom-chat",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Zoom chat export (HH:MM:SS Name: text)",
		Detect:  detectZoomChat,
		Parse:   parseZoomChat,
	})
}

var (
	zoomChatTab  = regexp.MustCompile(`^(\d{1,2}:\d{2}:\d{2})\t[ \t]*([^\t]{1,120}?)[ \t]*:[ \t]*\t(.*)$`)
	zoomChatFrom = regexp.MustCompile(`^(\d{1,2}:\d{2}:\d{2})[ \t]+From[ \t]+(.{1,120}?)[ \t]+to[ \t]+(.{1,120}?)[ \t]*:[ \t]*(.*)$`)
	// the very old form: "10:01:02	 From  Name : text"
	zoomChatOld = regexp.MustCompile(`^(\d{1,2}:\d{2}:\d{2})[ \t]+From[ \t]+(.{1,120}?)[ \t]+:[ \t]+(.*)$`)
)

// zoomChatLine parses a message line: time, sender, recipient ("" for
// everyone) and text.
func zoomChatLine(s string) (ms int64, from, to, text string, ok bool) {
	if len(s) < 8 || s[0] < '0' || s[0] > '9' {
		return 0, "", "", "", false
	}
	var clock string
	if f := strings.SplitN(s, "\t", 3); len(f) == 3 && strings.HasSuffix(strings.TrimRight(f[1], " "), ":") {
		// the cloud-recording form, without a regular expression
		clock = f[0]
		from = strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(f[1], " "), ":"))
		text = f[2]
		if from == "" || len(from) > 480 {
			return 0, "", "", "", false
		}
	} else if m := zoomChatTab.FindStringSubmatch(s); m != nil {
		clock, from, text = m[1], m[2], m[3]
	} else if m := zoomChatFrom.FindStringSubmatch(s); m != nil {
		clock, from, to, text = m[1], m[2], m[3], m[4]
	} else if m := zoomChatOld.FindStringSubmatch(s); m != nil {
		clock, from, text = m[1], m[2], m[3]
	} else {
		return 0, "", "", "", false
	}
	ms, ok = parseClock(clock)
	if !ok {
		return 0, "", "", "", false
	}
	if strings.EqualFold(to, "everyone") || strings.EqualFold(to, "all panelists") {
		to = ""
	}
	if i := strings.LastIndex(to, "("); i > 0 && strings.HasSuffix(to, ")") {
		to = strings.TrimSpace(to[:i]) // "(Direct Message)", "(Privately)"
	}
	return ms, from, to, text, true
}

func detectZoomChat(name string, head []byte) int {
	hits, lines := 0, 0
	for _, l := range headLines(head, 400) {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lines++
		if _, _, _, _, ok := zoomChatLine(l); ok {
			hits++
		}
	}
	if hits == 0 || (hits < 2 && lines > 1) || hits*3 < lines {
		return 0
	}
	if nameHas(name, "chat.txt") {
		return 93
	}
	return 90
}

func parseZoomChat(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	w := newSegWriter(ctx, sink)
	var warn warnings
	var cur *model.Segment
	var raw strings.Builder
	msgs := 0
	flush := func() error {
		if cur == nil {
			return nil
		}
		cur.Text = cleanChat(raw.String())
		raw.Reset()
		s := cur
		cur = nil
		if s.Text == "" {
			warn.add(s.Line, "empty message")
		}
		return w.emit(s)
	}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		if ms, from, to, text, ok := zoomChatLine(l.Text); ok {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			msgs++
			cur = newSeg(l.No, l.Offset)
			cur.StartMS, cur.Speaker, cur.Length = ms, NormalizeSpeaker(from), int64(l.Len)
			if to != "" {
				raw.WriteString("(privately to " + collapseSpace(to) + ") ")
			}
			raw.WriteString(text)
			continue
		}
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		if cur == nil {
			warn.add(l.No, "text outside a message ignored")
			continue
		}
		raw.WriteByte('\n')
		raw.WriteString(l.Text)
		cur.Length = l.Offset + int64(l.Len) - cur.Offset
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if msgs == 0 {
		return Meta{}, Errorf(in.Name, 1, "not a Zoom chat export: no \"HH:MM:SS Name: text\" lines")
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", ""), nil
}

// cleanChat collapses a chat message's white space but, unlike cue text,
// keeps angle brackets: chat is typed text, not markup.
func cleanChat(s string) string {
	return collapseSpace(invisible.Replace(strings.ToValidUTF8(s, "\uFFFD")))
}
