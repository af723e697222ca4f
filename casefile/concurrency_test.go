package casefile_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// TestReadersAndOneWriterAtOnce runs searches, listings, the timeline and
// evidence reads on several goroutines while one goroutine imports, tags,
// notes and runs the rules: under -race this is the check that a Case may
// be shared by the window's goroutines. Every read must succeed and see a
// consistent case (never more indexed items than stored records).
func TestReadersAndOneWriterAtOnce(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	logs := make([]string, 4)
	for i := range logs {
		logs[i] = filepath.Join(t.TempDir(), fmt.Sprintf("access-%d.csv", i))
		var b []byte
		b = append(b, "timestamp,employee,office_country,resource,approval_id\n"...)
		for r := 0; r < 500; r++ {
			b = fmt.Appendf(b, "2022-03-%02dT10:%02d:00Z,E%03d,%s,us_users.profile,%s\n", 1+i, r%60, r, []string{"CN", "US", "SG"}[r%3], map[bool]string{true: "APR-1"}[r%2 == 0])
		}
		if err := os.WriteFile(logs[i], b, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	wg.Add(1)
	go func() { // the one writer
		defer wg.Done()
		defer cancel()
		for i, p := range logs {
			res, err := c.Import(ctx, []string{p}, casefile.ImportOptions{}, nil)
			if err == nil && res[0].Err != nil {
				err = res[0].Err
			}
			if err != nil {
				errs <- fmt.Errorf("import: %w", err)
				return
			}
			if _, err := c.TagSearch(ctx, casefile.Query{Text: "country:CN"}, fmt.Sprintf("wave-%d", i), casefile.TagOptions{}); err != nil {
				errs <- fmt.Errorf("tag: %w", err)
				return
			}
			item := model.ItemID{Kind: model.ItemEvent, N: int64(1 + i)}
			if _, err := c.AddNote(ctx, item, "checked in wave "+fmt.Sprint(i), false); err != nil {
				errs <- fmt.Errorf("note: %w", err)
				return
			}
			if _, err := c.RunRules(ctx); err != nil {
				errs <- fmt.Errorf("rules: %w", err)
				return
			}
		}
	}()
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func() { // readers, until the writer is done
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := c.Search(context.Background(), casefile.Query{Text: "profile OR mia", Facets: true}); err != nil {
					errs <- fmt.Errorf("search: %w", err)
					return
				}
				// The index is read first: it is never ahead of the database.
				all, err := c.Count(context.Background(), casefile.Query{})
				if err != nil {
					errs <- fmt.Errorf("count: %w", err)
					return
				}
				srcs, err := c.Sources(context.Background())
				if err != nil {
					errs <- fmt.Errorf("sources: %w", err)
					return
				}
				var stored int64
				for _, s := range srcs {
					stored += s.Records
				}
				if int64(all) > stored {
					errs <- fmt.Errorf("index holds %d items, the database %d", all, stored)
					return
				}
				if _, err := c.Timeline(context.Background()); err != nil {
					errs <- fmt.Errorf("timeline: %w", err)
					return
				}
				if _, err := c.Evidence(context.Background()); err != nil {
					errs <- fmt.Errorf("evidence: %w", err)
					return
				}
				if _, err := c.Tags(context.Background()); err != nil {
					errs <- fmt.Errorf("tags: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if probs := verifyProblems(t, c); len(probs) > 0 {
		t.Fatalf("verify after the concurrent run: %v", probs)
	}
	if n := searchTotal(t, c); n == 0 {
		t.Fatal("nothing searchable after the run")
	}
}
