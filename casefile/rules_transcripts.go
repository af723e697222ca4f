package casefile

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"casebook/model"
	"casebook/store"
)

// phraseRule searches transcripts for each phrase (as an exact phrase, via
// the case's search) and suggests every segment that says one.
func (c *Case) phraseRule(ctx context.Context, r Rule, phrases []string, conf float64) ([]store.Suggestion, error) {
	seen := map[string]bool{}
	names := map[string]string{}
	var out []store.Suggestion
	for _, ph := range phrases {
		ph = strings.TrimSpace(strings.ReplaceAll(ph, `"`, ""))
		if ph == "" {
			continue
		}
		q := Query{Text: `"` + ph + `"`, Filters: Filters{Kind: "segment"}}
		err := c.SearchAll(ctx, q, func(h Hit) error {
			if seen[h.ID] {
				return nil
			}
			id, err := model.ParseItemID(h.ID)
			if err != nil {
				return err
			}
			seen[h.ID] = true
			src, ok := names[h.SourceID]
			if !ok {
				if sid, err := model.ParseItemID(h.SourceID); err == nil {
					if s, err := c.store.Source(ctx, sid.N); err == nil {
						src = s.Name
					}
				}
				names[h.SourceID] = src
			}
			expl := strings.NewReplacer("{speaker}", firstNonEmpty(h.Speaker, "Someone"), "{source}", src,
				"{where}", fmt.Sprintf("line %d, %s", h.Line, h.ID), "{phrase}", ph).Replace(nonEmpty(r.Explanation, "{speaker} said “{phrase}”"))
			expl += ": “" + clipText(h.Text, 160) + "”"
			out = append(out, store.Suggestion{Item: id, Confidence: conf, Explanation: expl})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("phrase %q: %w", ph, err)
		}
	}
	return out, nil
}

// correlationRule links people named in a dated transcript (as speaker or in
// the words) with their events matching the rule's condition within ±days
// of the meeting: each such event is suggested, related to the segment.
func (c *Case) correlationRule(ctx context.Context, r Rule, pol Policy, days int, conf float64) ([]store.Suggestion, error) {
	where, args, err := CompileRule(r.Condition, pol)
	if err != nil {
		return nil, err
	}
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	// Only events near a dated meeting can be suggested: read just those,
	// over the meetings' windows merged into disjoint spans, a bounded
	// number of spans a query (SQLite limits an expression's depth).
	window := time.Duration(days) * 24 * time.Hour
	var spans [][2]int64
	for _, src := range srcs {
		if src.Kind != model.KindTranscript || src.Describes == "" {
			continue
		}
		day, err := time.Parse("2006-01-02", src.Describes)
		if err != nil {
			continue
		}
		spans = append(spans, [2]int64{day.Add(-window).UnixNano(), day.Add(window + 24*time.Hour).UnixNano()})
	}
	spans = mergeSpans(spans)
	if len(spans) == 0 {
		return nil, nil
	}
	byActor := map[string][]model.Event{}

	for lo := 0; lo < len(spans); lo += correlationSpansPerQuery {
		chunk := spans[lo:min(lo+correlationSpansPerQuery, len(spans))]
		near := make([]string, len(chunk))
		qargs := append([]any(nil), args...)
		for i, s := range chunk {
			near[i] = "time_ns >= ? AND time_ns < ?"
			qargs = append(qargs, s[0], s[1])
		}
		q := "(" + where + ") AND (" + strings.Join(near, " OR ") + ")"
		err = c.store.ScanEvents(ctx, q, qargs, func(e model.Event) error {
			// The roster's name for the actor (the person behind an ARN or
			// an e-mail) before the name the log gives.
			if who := firstNonEmpty(e.Context.Person, e.ActorName); who != "" && !e.Time.IsZero() {
				e.Raw = ""
				byActor[who] = append(byActor[who], e)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(byActor) == 0 {
		return nil, nil
	}
	// A label merged into a person (speakers --merge "Speaker 2=Wei Zhang")
	// speaks as that person.
	aliases, err := c.store.SpeakerAliases(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.Suggestion
	for _, src := range srcs {
		if src.Kind != model.KindTranscript || src.Describes == "" {
			continue
		}
		day, err := time.Parse("2006-01-02", src.Describes)
		if err != nil {
			continue
		}
		segs, err := c.store.SourceSegments(ctx, src.ID)
		if err != nil {
			return nil, err
		}
		// Where each speaker first speaks and where each word first
		// appears, so that each actor costs a lookup, not a pass over the
		// meeting (a case holds thousands of meetings and actors).
		firstSpeaks := map[string]int{}
		wordAt := map[string][]int{}
		for i := range segs {
			for _, name := range []string{segs[i].Speaker, aliases[segs[i].Speaker]} {
				if sp := strings.ToLower(name); sp != "" {
					if _, ok := firstSpeaks[sp]; !ok {
						firstSpeaks[sp] = i
					}
				}
			}
			for _, w := range strings.FieldsFunc(strings.ToLower(segs[i].Text), func(r rune) bool { return !isWordRune(r) }) {
				if at := wordAt[w]; len(at) == 0 || at[len(at)-1] != i {
					wordAt[w] = append(at, i)
				}
			}
		}
		for actor, evts := range byActor {
			var first *model.Segment
			how := "speaks"
			speaks, spoke := firstSpeaks[strings.ToLower(actor)]
			named := -1
			if words := strings.FieldsFunc(strings.ToLower(actor), func(r rune) bool { return !isWordRune(r) }); len(words) > 0 {
				for _, i := range wordAt[words[0]] {
					if spoke && i >= speaks {
						break
					}
					if containsName(segs[i].Text, actor) {
						named = i
						break
					}
				}
			}
			switch {
			case spoke && (named < 0 || speaks <= named):
				first = &segs[speaks]
			case named >= 0:
				first, how = &segs[named], "is named"
			default:
				continue
			}
			seg := model.ItemID{Kind: model.ItemSegment, N: first.ID}.String()
			for _, e := range evts {
				if e.Time.Before(day.Add(-window)) || !e.Time.Before(day.Add(window+24*time.Hour)) {
					continue
				}
				expl := fmt.Sprintf("%s, within %d days of the %s meeting %s where %s %s (%s)",
					explainEvent(eventExplanation, e, nil), days, src.Describes, src.Name, actor, how, seg)
				out = append(out, store.Suggestion{Item: model.ItemID{Kind: model.ItemEvent, N: e.ID}, Related: seg,
					Confidence: conf, Explanation: expl})
			}
		}
	}
	return out, nil
}

// containsName reports whether text names name as whole words, ignoring case.
func containsName(text, name string) bool {
	lt, ln := strings.ToLower(text), strings.ToLower(name)
	for off := 0; ; {
		i := strings.Index(lt[off:], ln)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(lt[:i])
		after, _ := utf8.DecodeRuneInString(lt[i+len(ln):])
		if (i == 0 || !isWordRune(before)) && (i+len(ln) == len(lt) || !isWordRune(after)) {
			return true
		}
		off = i + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// clipText shortens s to about n characters.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n]) + "…"
}

// mergeSpans sorts [lo, hi) spans and merges those that overlap or touch.
func mergeSpans(spans [][2]int64) [][2]int64 {
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var out [][2]int64
	for _, s := range spans {
		if n := len(out); n > 0 && s[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}

// correlationSpansPerQuery bounds the time spans in one query of the
// correlation rule: SQLite refuses expressions deeper than 1,000.
var correlationSpansPerQuery = 200
