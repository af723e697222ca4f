package casefile

import (
	"context"
	"fmt"
	"time"

	"casebook/model"
	"casebook/store"
)

// Overview is what a case holds and what waits for the investigator: the
// window's first view of an opened case.
type Overview struct {
	Title, Investigator string

	Transcripts, AccessLogs int   // sources by kind
	Segments, Events        int64 // records
	Meetings                int   // transcripts: each records one meeting
	MeetingsFrom            string
	MeetingsTo              string         // YYYY-MM-DD of the first and last meeting with a known date
	EventsFrom, EventsTo    time.Time      // the first and last event time; zero when none has one
	Countries               []CountryCount // events by country, most first; Country "" counts those with none

	RulesEnabled    int
	Rules           []RuleWaiting // enabled rules that have not judged the records as they are now
	LastImport      time.Time     // zero when nothing was imported
	OpenSuggestions int64         // rule suggestions waiting for review
	Exhibits        int64         // confirmed evidence
	Statements      int64
	Unsupported     []Statement    // statements with no evidence linked
	Troubled        []model.Source // sources with rejected rows or warnings
}

// CountryCount is how many events carry one country code.
type CountryCount = store.CountryCount

// Why a rule waits to be run.
const (
	RuleNeverRun     = "never run"
	RuleBeforeImport = "run before the last import"
	RuleEditedSince  = "changed since it last ran"
)

// RuleWaiting is an enabled rule whose suggestions do not cover the case as
// it is now, and why (RuleNeverRun, RuleBeforeImport, RuleEditedSince).
type RuleWaiting struct {
	ID, Name string
	LastRun  time.Time // zero when never run
	Why      string
}

// Overview sums the case up: its sources by kind, the meetings and the
// span of dates, events by country; and what waits — rules not run since
// the last import (from the audit trail, whose entry numbers order a rule's
// run against an import exactly), suggestions to review, statements with no
// evidence, sources with rejected rows or warnings. Each figure is one
// aggregate over an indexed column or a small table.
func (c *Case) Overview(ctx context.Context) (Overview, error) {
	var o Overview
	var err error
	if o.Title, err = c.store.Meta(ctx, "title"); err != nil {
		return o, fmt.Errorf("overview: %w", err)
	}
	if o.Investigator, err = c.store.Meta(ctx, "investigator"); err != nil {
		return o, fmt.Errorf("overview: %w", err)
	}
	rules, err := c.Rules(ctx)
	if err != nil {
		return o, fmt.Errorf("overview: %w", err)
	}
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return o, fmt.Errorf("overview: %w", err)
	}
	n, err := c.store.Overview(ctx)
	if err != nil {
		return o, err
	}
	for _, s := range srcs {
		switch s.Kind {
		case model.KindTranscript:
			o.Transcripts++
			o.Meetings++
			if d := s.Describes; len(d) >= 10 {
				d = d[:10]
				if o.MeetingsFrom == "" || d < o.MeetingsFrom {
					o.MeetingsFrom = d
				}
				if d > o.MeetingsTo {
					o.MeetingsTo = d
				}
			}
		case model.KindAccessLog:
			o.AccessLogs++
		}
		if s.Rejects > 0 || len(s.Warnings) > 0 {
			o.Troubled = append(o.Troubled, s)
		}
	}
	o.Segments, o.Events = n.Segments, n.Events
	o.EventsFrom, o.EventsTo = n.EventsFrom, n.EventsTo
	o.Countries = n.Countries
	o.LastImport = n.LastImport.At
	o.OpenSuggestions, o.Exhibits = n.OpenSuggestions, n.Exhibits
	o.Statements, o.Unsupported = n.StatementsTotal, n.Unsupported
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		o.RulesEnabled++
		run, ran := n.RuleRuns[r.ID]
		w := RuleWaiting{ID: r.ID, Name: r.Name, LastRun: run.At}
		switch {
		case !ran:
			w.Why = RuleNeverRun
		case run.Seq < n.LastImport.Seq:
			w.Why = RuleBeforeImport
		case run.Seq < n.RuleEdits[r.ID].Seq:
			w.Why = RuleEditedSince
		default:
			continue
		}
		o.Rules = append(o.Rules, w)
	}
	return o, nil
}
