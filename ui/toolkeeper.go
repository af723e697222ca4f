package ui

import (
	"context"
	"io"

	"casebook/casefile"
	"casebook/model"
)

// What the window's smaller tools need from a case: exports, saved
// searches, rules, batch searches and tags.
type toolKeeper interface {
	Export(ctx context.Context, w io.Writer, opts casefile.ExportOptions) (int, error)
	DeleteSearch(ctx context.Context, name string) error
	SaveRule(ctx context.Context, r casefile.Rule) error
	BatchSearch(ctx context.Context, terms []casefile.BatchTerm, base casefile.Query) ([]casefile.BatchResult, error)
	CreateTag(ctx context.Context, name, color, description string) (model.Tag, error)
	RenameTag(ctx context.Context, from, to string) error
	MergeTag(ctx context.Context, from, into string) error
	DeleteTag(ctx context.Context, name string) error
}
