package casefile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"casebook/model"
	"casebook/store"
)

// SavedSearch is a named search kept in the case: a query and its filters.
type SavedSearch struct {
	Name      string
	Query     string
	Filters   Filters
	CreatedAt time.Time
}

// SaveSearch keeps a search under a name (audited). The query must parse;
// a name already taken is model.ErrDuplicate.
func (c *Case) SaveSearch(ctx context.Context, name string, q Query) (SavedSearch, error) {
	ix, err := c.searchIndex()
	if err != nil {
		return SavedSearch{}, err
	}
	r := q.request()
	if _, err := ix.Compile(r.Query, r.Filter); err != nil {
		return SavedSearch{}, fmt.Errorf("save search %q: %w", name, err)
	}
	f, err := json.Marshal(q.Filters)
	if err != nil {
		return SavedSearch{}, err
	}
	ss, err := c.store.SaveSearch(ctx, c.Investigator(ctx), store.SavedSearch{Name: strings.TrimSpace(name), Query: q.Text, Filters: string(f)})
	if err != nil {
		return SavedSearch{}, err
	}
	return SavedSearch{Name: ss.Name, Query: ss.Query, Filters: q.Filters, CreatedAt: ss.CreatedAt}, nil
}

// SavedSearches lists the case's saved searches by name.
func (c *Case) SavedSearches(ctx context.Context) ([]SavedSearch, error) {
	list, err := c.store.SavedSearches(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SavedSearch, 0, len(list))
	for _, s := range list {
		ss := SavedSearch{Name: s.Name, Query: s.Query, CreatedAt: s.CreatedAt}
		if err := json.Unmarshal([]byte(s.Filters), &ss.Filters); err != nil {
			return nil, fmt.Errorf("saved search %q: filters: %w", s.Name, err)
		}
		out = append(out, ss)
	}
	return out, nil
}

// DeleteSearch removes a saved search (audited); an unknown name is
// model.ErrNotFound.
func (c *Case) DeleteSearch(ctx context.Context, name string) error {
	return c.store.DeleteSearch(ctx, c.Investigator(ctx), name)
}

// AsQuery returns the saved search as a query.
func (s SavedSearch) AsQuery() Query { return Query{Text: s.Query, Filters: s.Filters} }

// BatchTerm is one line of a batch search.
type BatchTerm struct {
	Term  string `json:"term"`
	Label string `json:"label,omitempty"`
}

// BatchResult is the hit count of one term of a batch search. Err is set
// (and Hits zero) when the term is not a valid query.
type BatchResult struct {
	BatchTerm
	Hits uint64
	Err  error
}

// ReadBatchTerms reads a list of terms: JSON Lines objects with "term" and
// an optional "label", or CSV whose first column is the term and second the
// label (a first row "term[,label]" is a header). Blank lines are skipped.
func ReadBatchTerms(r io.Reader) ([]BatchTerm, error) {
	br := bufio.NewReader(r)
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var out []BatchTerm
		for i, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var bt BatchTerm
			if err := json.Unmarshal([]byte(line), &bt); err != nil {
				return nil, fmt.Errorf("line %d: %v: %w", i+1, err, model.ErrInvalid)
			}
			if strings.TrimSpace(bt.Term) == "" {
				return nil, fmt.Errorf("line %d: no \"term\": %w", i+1, model.ErrInvalid)
			}
			out = append(out, bt)
		}
		return out, nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out []BatchTerm
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, model.ErrInvalid)
		}
		if len(rec) == 0 || strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if row == 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "term") {
			continue
		}
		bt := BatchTerm{Term: strings.TrimSpace(rec[0])}
		if len(rec) > 1 {
			bt.Label = strings.TrimSpace(rec[1])
		}
		out = append(out, bt)
	}
	return out, nil
}

// BatchSearch counts the hits of each term (a query in Casebook's language)
// within base's filters (base.Text, if any, must match too). A term that is
// not a valid query gets its error in its result; the batch goes on.
func (c *Case) BatchSearch(ctx context.Context, terms []BatchTerm, base Query) ([]BatchResult, error) {
	out := make([]BatchResult, 0, len(terms))
	for _, t := range terms {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		q := base
		q.Text = t.Term
		if strings.TrimSpace(base.Text) != "" {
			q.Text = "(" + base.Text + ") AND (" + t.Term + ")"
		}
		n, err := c.Count(ctx, q)
		r := BatchResult{BatchTerm: t, Hits: n}
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return out, err
			}
			r.Err = err
		}
		out = append(out, r)
	}
	return out, nil
}
