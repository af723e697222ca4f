package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"casebook/importer"
	"casebook/model"
	"casebook/store"
)

// The roster says who the actors are; the data map says what the resources
// hold. Both are the case's own tables, loaded from files the investigator
// gives, replaced whole by each load and audited with the file's SHA-256.
// What they say about an event is its context (model.EventContext): filled
// at import and recomputed for every event when either table changes, in the
// same transaction that replaces the table, with the changed events queued
// for the index through the outbox. The context never overwrites what the
// source said and is not part of the record's seal.

// contextApplier computes events' context from the roster and the data map.
type contextApplier struct {
	keys      map[string]int // identifier (lower case, in every form) → roster row
	ambiguous []string       // identifiers two people share: they match neither
	people    map[int]model.RosterEntry
	entries   []mapEntry
	memo      map[memoKey]bool // whether an entry matches a value, bounded
}

type mapEntry struct {
	model.DataMapEntry
	re *regexp.Regexp
}

// memoLimit bounds the data-map memo (resources repeat heavily in logs).
const memoLimit = 200_000

func (c *Case) newContextApplier(ctx context.Context) (*contextApplier, error) {
	people, err := c.store.Roster(ctx)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	dm, err := c.store.DataMap(ctx)
	if err != nil {
		return nil, fmt.Errorf("data map: %w", err)
	}
	return newApplier(people, dm)
}

func newApplier(people []model.RosterEntry, dm []model.DataMapEntry) (*contextApplier, error) {
	a := &contextApplier{people: map[int]model.RosterEntry{}, memo: map[memoKey]bool{}}
	a.keys, a.ambiguous = rosterKeys(people)
	for _, p := range people {
		a.people[p.Row] = p
	}
	for _, e := range dm {
		re, err := importer.CompilePattern(e.Pattern)
		if err != nil {
			return nil, fmt.Errorf("data map row %d: %w", e.Row, err)
		}
		a.entries = append(a.entries, mapEntry{e, re})
	}
	return a, nil
}

// empty reports whether there is neither a roster nor a data map.
func (a *contextApplier) empty() bool { return len(a.people) == 0 && len(a.entries) == 0 }

// rosterKeys indexes every identifier of every person in each of its forms
// (as written, the e-mail's local part, the user name of an ARN or of
// DOMAIN\user, the display name), lower case. A form claimed by two people
// names neither: it is left out and returned in ambiguous.
func rosterKeys(people []model.RosterEntry) (keys map[string]int, ambiguous []string) {
	keys = map[string]int{}
	bad := map[string]bool{}
	add := func(k string, row int) {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" || bad[k] {
			return
		}
		if r, ok := keys[k]; ok && r != row {
			delete(keys, k)
			bad[k] = true
			ambiguous = append(ambiguous, k)
			return
		}
		keys[k] = row
	}
	for _, p := range people {
		for _, id := range p.IDs {
			for _, f := range identifierForms(id) {
				add(f, p.Row)
			}
		}
		add(p.Name, p.Row)
	}
	return keys, ambiguous
}

// identifierForms are the forms an identifier is matched in: itself first,
// then the e-mail's local part, the last part of an ARN or principal
// (arn:aws:iam::1:user/wzhang, …:assumed-role/Role/wzhang → wzhang), the
// user of DOMAIN\user, and a principal without its "user:" prefix.
func identifierForms(id string) []string {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil
	}
	out := []string{id}
	v := id
	for _, p := range []string{"user:", "serviceAccount:", "group:"} {
		if rest, ok := strings.CutPrefix(v, p); ok {
			v = rest
			out = append(out, v)
		}
	}
	if strings.HasPrefix(strings.ToLower(v), "arn:") {
		if i := strings.LastIndexAny(v, "/:"); i >= 0 && i+1 < len(v) {
			out = append(out, v[i+1:])
		}
	}
	if i := strings.LastIndexByte(v, '\\'); i >= 0 && i+1 < len(v) {
		out = append(out, v[i+1:])
	}
	if at := strings.IndexByte(v, '@'); at > 0 {
		out = append(out, v[:at])
	}
	return out
}

// person finds the roster entry of an event's actor: the actor id's forms
// first, then the actor name's.
func (a *contextApplier) person(e *model.Event) (model.RosterEntry, bool) {
	if len(a.keys) == 0 {
		return model.RosterEntry{}, false
	}
	for _, v := range []string{e.ActorID, e.ActorName} {
		for _, f := range identifierForms(v) {
			if row, ok := a.keys[strings.ToLower(f)]; ok {
				return a.people[row], true
			}
		}
	}
	return model.RosterEntry{}, false
}

// mapField is the value of a data-map field of an event.
func mapField(e *model.Event, field string) string {
	switch field {
	case "resource":
		return e.Resource
	case "action":
		return e.Action
	case "system":
		return e.System
	case "actor":
		return e.ActorName
	case "actor_id":
		return e.ActorID
	case "office":
		return e.Office
	case "ip":
		return e.IP
	case "purpose":
		return e.Purpose
	}
	return ""
}

// entry finds the first data-map entry matching the event.
func (a *contextApplier) entry(e *model.Event) (model.DataMapEntry, bool) {
	var more []string // the record's other resources, read once
	for i := range a.entries {
		m := &a.entries[i]
		if v := mapField(e, m.Field); v != "" && a.match(i, v) {
			return m.DataMapEntry, true
		}
		if m.Field == "resource" {
			if more == nil {
				more = append(otherResources(e.Raw), "")
			}
			for _, v := range more {
				if v != "" && v != e.Resource && a.match(i, v) {
					return m.DataMapEntry, true
				}
			}
		}
	}
	return model.DataMapEntry{}, false
}

// resourceKeys are the JSON keys under which cloud audit records list the
// resources a call touched (CloudTrail's resources[].ARN, its console
// export's Resources[].ResourceName, GCP's resourceName).
var resourceKeys = []string{`"ResourceName"`, `"resourceName"`, `"ARN"`}

// otherResources lists the resources a JSON record names besides the one
// the importer kept as the event's resource: a RunInstances call names the
// VPC first and the instance it started fourth, and a data-map entry for
// the instance must see it. Escaped JSON inside a string (CloudTrail's
// CloudTrailEvent) is read too.
func otherResources(raw string) []string {
	if !strings.HasPrefix(strings.TrimSpace(raw), "{") {
		return nil
	}
	var out []string
	for _, k := range resourceKeys {
		for _, key := range []string{k, strings.ReplaceAll(k, `"`, `\"`)} {
			rest := raw
			for len(out) < 64 {
				i := strings.Index(rest, key)
				if i < 0 {
					break
				}
				rest = strings.TrimLeft(rest[i+len(key):], " \t")
				if !strings.HasPrefix(rest, ":") {
					continue
				}
				rest = strings.TrimLeft(rest[1:], " \t\\")
				if !strings.HasPrefix(rest, `"`) {
					continue
				}
				rest = rest[1:]
				end := strings.IndexAny(rest, `"\`)
				if end < 0 {
					break
				}
				if v := rest[:end]; v != "" && !slices.Contains(out, v) {
					out = append(out, v)
				}
				rest = rest[end:]
			}
		}
	}
	return out
}

// match reports whether entry i's pattern matches v, remembering the answer
// (resources and actions repeat heavily in logs).
func (a *contextApplier) match(i int, v string) bool {
	k := memoKey{i, v}
	if hit, ok := a.memo[k]; ok {
		return hit
	}
	hit := a.entries[i].re.MatchString(v)
	if len(a.memo) < memoLimit {
		a.memo[k] = hit
	}
	return hit
}

type memoKey struct {
	entry int
	value string
}

// context computes an event's context.
func (a *contextApplier) context(e *model.Event) model.EventContext {
	var c model.EventContext
	if a == nil {
		return c
	}
	if p, ok := a.person(e); ok {
		c.Person, c.RosterRow, c.PersonOffice, c.PersonCountry = p.Name, p.Row, p.Office, p.Country
		if c.Person == "" && len(p.IDs) > 0 {
			c.Person = p.IDs[0]
		}
	}
	if m, ok := a.entry(e); ok {
		c.MapCategory, c.MapRegion, c.MapRow = m.Category, m.Region, m.Row
	}
	return c
}

// ContextResult is what loading a roster or a data map did.
type ContextResult struct {
	File      string
	SHA256    string
	Entries   int      // people or map entries loaded
	Events    int64    // events in the case
	Changed   int64    // events whose context changed
	Matched   int64    // events the new table now gives a person (roster) or a category (map)
	Ambiguous []string // identifiers two people share (roster only): they match neither
}

// ImportRoster replaces the case's roster with a CSV or .xlsx file of people
// (see importer.ReadRoster) and recomputes every event's person, office and
// country from it.
func (c *Case) ImportRoster(ctx context.Context, path string, progress ProgressFunc) (ContextResult, error) {
	var people []model.RosterEntry
	res, err := c.readContextFile(ctx, path, func(name string, r io.Reader, size int64) (err error) {
		people, err = importer.ReadRoster(ctx, name, r, size)
		return err
	})
	if err != nil {
		return res, err
	}
	dm, err := c.store.DataMap(ctx)
	if err != nil {
		return res, err
	}
	a, err := newApplier(people, dm)
	if err != nil {
		return res, err
	}
	res.Entries, res.Ambiguous = len(people), a.ambiguous
	err = c.storeContextLoad(ctx, &res, "roster", a, func(x model.EventContext) bool { return x.RosterRow > 0 }, progress,
		func(load store.ContextLoad, fn store.ContextFunc, p func(int64)) (store.ContextChange, error) {
			return c.store.ReplaceRoster(ctx, c.Investigator(ctx), load, people, a.keys, fn, p)
		})
	return res, err
}

// ImportDataMap replaces the case's data map with a CSV or .xlsx file of
// field, pattern, category, region rows (see importer.ReadDataMap) and
// recomputes every event's mapped category and region.
func (c *Case) ImportDataMap(ctx context.Context, path string, progress ProgressFunc) (ContextResult, error) {
	var dm []model.DataMapEntry
	res, err := c.readContextFile(ctx, path, func(name string, r io.Reader, size int64) (err error) {
		dm, err = importer.ReadDataMap(ctx, name, r, size)
		return err
	})
	if err != nil {
		return res, err
	}
	people, err := c.store.Roster(ctx)
	if err != nil {
		return res, err
	}
	a, err := newApplier(people, dm)
	if err != nil {
		return res, err
	}
	res.Entries = len(dm)
	err = c.storeContextLoad(ctx, &res, "datamap", a, func(x model.EventContext) bool { return x.MapRow > 0 }, progress,
		func(load store.ContextLoad, fn store.ContextFunc, p func(int64)) (store.ContextChange, error) {
			return c.store.ReplaceDataMap(ctx, c.Investigator(ctx), load, dm, fn, p)
		})
	return res, err
}

// storeContextLoad replaces a table through replace, which recomputes every
// event's context with a (counting in res.Matched the events hit says the
// new table reaches), then brings the index in step.
func (c *Case) storeContextLoad(ctx context.Context, res *ContextResult, stage string, a *contextApplier,
	hit func(model.EventContext) bool, progress ProgressFunc,
	replace func(store.ContextLoad, store.ContextFunc, func(int64)) (store.ContextChange, error)) error {
	ch, err := replace(store.ContextLoad{File: res.File, SHA256: res.SHA256}, func(e *model.Event) model.EventContext {
		x := a.context(e)
		if hit(x) {
			res.Matched++
		}
		return x
	}, func(done int64) { progress.report(Progress{Stage: stage, Done: done}) })
	if err != nil {
		return fmt.Errorf("%s %s: %w", stage, res.File, err)
	}
	res.Events, res.Changed = ch.Events, ch.Changed
	return c.afterChange(ctx)
}

// Roster returns the case's roster.
func (c *Case) Roster(ctx context.Context) ([]model.RosterEntry, error) { return c.store.Roster(ctx) }

// DataMap returns the case's data map.
func (c *Case) DataMap(ctx context.Context) ([]model.DataMapEntry, error) {
	return c.store.DataMap(ctx)
}

// readContextFile refuses a read-only case, then opens a roster or data-map
// file, hashes it and parses it.
func (c *Case) readContextFile(ctx context.Context, path string, parse func(name string, r io.Reader, size int64) error) (ContextResult, error) {
	res := ContextResult{File: filepath.Base(path)}
	if err := c.refuseIfReadOnly(); err != nil {
		return res, err
	}
	f, err := os.Open(path)
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, cleanOSError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	h := sha256.New()
	if err := parse(path, io.TeeReader(f, h), st.Size()); err != nil {
		return res, err
	}
	if _, err := io.Copy(h, f); err != nil { // the rest, if the parser stopped early
		return res, fmt.Errorf("%s: %w", path, err)
	}
	res.SHA256 = hex.EncodeToString(h.Sum(nil))
	return res, ctx.Err()
}
