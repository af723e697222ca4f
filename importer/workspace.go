package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"casebook/model"
)

// Google Workspace audit activities, as the Admin SDK Reports API returns
// them (activities.list: {"kind":"admin#reports#activities","items":[…]})
// or one activity per line ({"kind":"admin#reports#activity",…}): login,
// admin, drive, token and the other applications. Each activity is one
// event: its events[].name joined form the action ("login_failure",
// "CHANGE_PASSWORD, CREATE_USER"), actor.email the actor, ipAddress the IP,
// id.applicationName the system; the parameters that name what was acted on
// (doc_title, USER_EMAIL, …) fill the resource, the rest the purpose.

func init() {
	Register(Format{
		Name:    "gworkspace",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Google Workspace audit activities (Admin SDK Reports API JSON)",
		Detect:  detectWorkspace,
		Parse:   parseWorkspace,
	})
}

func detectWorkspace(name string, head []byte) int {
	if c := firstNonSpace(head); c != '{' && c != '[' {
		return 0
	}
	h := string(head)
	if strings.Contains(h, `admin#reports#activit`) {
		return 97
	}
	// Exports that dropped "kind" still carry the activity's shape.
	if headHas(head, `"applicationName"`, `"uniqueQualifier"`, `"profileId"`, `"callerType"`) >= 3 && strings.Contains(h, `"events"`) {
		return 90
	}
	return 0
}

// workspaceResourceParams name what an activity acted on, best first.
var workspaceResourceParams = []string{
	"doc_title", "doc_id", "USER_EMAIL", "GROUP_EMAIL", "target_user", "affected_email_address",
	"APPLICATION_NAME", "app_name", "client_id", "SETTING_NAME", "ORG_UNIT_NAME", "resource_id", "DOMAIN_NAME",
}

// workspaceParams collects events.E.parameters.P: name → value (value,
// intValue, boolValue or multiValue joined), in the order first seen.
func workspaceParams(f jsonFields, ev int) (map[string]string, []string) {
	out := map[string]string{}
	var order []string
	pre := "events." + strconv.Itoa(ev) + ".parameters."
	for p := 0; p < 200; p++ {
		base := pre + strconv.Itoa(p) + "."
		name := f[base+"name"]
		if name == "" {
			break
		}
		v := f.first(base+"value", base+"intValue", base+"boolValue")
		if v == "" {
			var mv []string
			for k := 0; k < 50; k++ {
				x, ok := f[base+"multiValue."+strconv.Itoa(k)]
				if !ok {
					break
				}
				mv = append(mv, x)
			}
			v = strings.Join(mv, ", ")
		}
		if _, dup := out[name]; !dup {
			order = append(order, name)
		}
		out[name] = v
	}
	return out, order
}

// workspaceStream reads activities. An activity holds an "events" array; in
// a pretty-printed file the generic JSON streamer can still take it for a
// wrapper of records (it decides on reaching the array), so here only "items"
// (the activities.list response) wraps activities. One activity per
// line, a response per line, a pretty-printed response or JSON array, and
// pretty-printed activities one after another are all read.
func workspaceStream(ctx context.Context, in Input, fn func(*jsonRecord) error) (string, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return "", err
	}
	p := newPeekInput(in)
	s := &jsonStreamer{ctx: ctx, name: in.Name, fn: fn}
	switch {
	case jsonLineMode(p.head):
		return workspaceLines(s, p.in.R, in.Opts.LineLimit())
	case firstNonSpace(p.head) == '{' && !workspaceListHead(p.head):
		return workspaceObjects(s, p.in.R, in.Opts.LineLimit())
	}
	return streamJSON(ctx, p.in, fn)
}

// workspaceListHead reports whether the first object of head is an
// activities.list response (it holds "items" before any "events").
func workspaceListHead(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		switch k {
		case "items":
			return true
		case "events", "actor", "id":
			return false
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// workspaceLines reads one activity (or one activities.list response) per line.
func workspaceLines(s *jsonStreamer, r io.Reader, limit int) (string, error) {
	lr, err := NewLineReader(s.name, r, limit)
	if err != nil {
		return "", err
	}
	for {
		inv := lr.Invalid()
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return lr.Encoding(), nil
		}
		if err != nil {
			return "", err
		}
		t := strings.TrimSpace(l.Text)
		if t == "" {
			continue
		}
		lead := int64(strings.Index(l.Text, t[:1]))
		if lr.Invalid() > inv {
			if err := s.emit([]byte(l.Text), l.Offset+lead, l.No, "invalid UTF-8"); err != nil {
				return "", err
			}
			continue
		}
		if workspaceListHead([]byte(t)) {
			at := func(d int64) int64 { return l.Offset + min(d, int64(l.Len)) }
			if err := s.tokens(strings.NewReader(l.Text), at, l.No, limit); err != nil {
				return "", err
			}
			continue
		}
		if err := s.emit([]byte(t), l.Offset+lead, l.No, ""); err != nil {
			return "", err
		}
	}
}

// workspaceObjects reads pretty-printed activities one after another, each
// decoded whole (one held at a time).
func workspaceObjects(s *jsonStreamer, r io.Reader, limit int) (string, error) {
	dr, enc, err := NewOffsetReader(r)
	if err != nil {
		return "", Errorf(s.name, 0, "read: %v", err)
	}
	lt := &lineTracker{trackReader: trackReader{r: dr, max: limit + 64<<10, name: s.name}, lineBase: 1}
	dec := json.NewDecoder(lt)
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return enc, nil
		}
		if err != nil {
			var ie *Error
			if errors.As(err, &ie) {
				return "", err
			}
			return "", Errorf(s.name, lt.lineAt(dec.InputOffset()), "malformed JSON after activity %d: %v", s.n, err)
		}
		end := dec.InputOffset()
		start := end - int64(len(raw))
		line := lt.lineAt(start)
		bad := ""
		if len(raw) == 0 || raw[0] != '{' {
			bad = "not a JSON object"
		}
		rec := append([]byte(nil), raw...)
		off := dr.SourceOffset(start)
		lt.forgetTo(end)
		if err := s.emit(rec, off, line, bad); err != nil {
			return "", err
		}
	}
}

func parseWorkspace(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseKnownJSONFrom(ctx, in, sink, workspaceStream, func(f jsonFields, e *model.Event) {
		e.TimeText = f.first("id.time")
		e.ActorName = f.first("actor.email", "actor.key", "actor.profileId")
		e.ActorID = f.first("actor.profileId")
		e.IP = ipOnly(f.first("ipAddress"))
		e.System = "google-workspace"
		if app := f.first("id.applicationName"); app != "" {
			e.System += ":" + app
		}
		var names, types []string
		params := map[string]string{}
		var order []string
		for ev := 0; ev < 100; ev++ {
			n := f.first("events." + strconv.Itoa(ev) + ".name")
			if n == "" {
				break
			}
			names = append(names, n)
			if t := f.first("events." + strconv.Itoa(ev) + ".type"); t != "" && !contains(types, t) {
				types = append(types, t)
			}
			p, o := workspaceParams(f, ev)
			for _, k := range o {
				if _, dup := params[k]; !dup {
					params[k] = p[k]
					order = append(order, k)
				}
			}
		}
		e.Action = strings.Join(names, ", ")
		for _, k := range workspaceResourceParams {
			if v := params[k]; v != "" {
				e.Resource = v
				break
			}
		}
		var why []string
		if len(types) > 0 {
			why = append(why, "type "+strings.Join(types, ", "))
		}
		if ct := f.first("actor.callerType"); ct != "" && ct != "USER" {
			why = append(why, "caller "+ct)
		}
		for _, k := range order {
			if v := params[k]; v != "" && v != e.Resource {
				why = append(why, k+"="+v)
			}
		}
		e.Purpose = cutText(strings.Join(why, "; "), 500)
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
