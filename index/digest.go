package index

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// fieldDigest is a stored, unindexed field: the digest of everything else
// the document gave the index (see Doc.Digest), so that verify --deep can
// check what the index holds against what the records would give it today.
const fieldDigest = "digest"

// digestField is the mapping of fieldDigest: kept, never searched.
func digestField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Name = fieldDigest
	f.Index = false
	f.Store = true
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}

// Digest is the digest of the fields the document gives the index: the
// first 16 bytes of the SHA-256 of their names and values in name order, in
// unpadded base64url. Two documents with the same digest index the same
// terms; a document whose record, tags, notes or context changed has
// another. It detects an index that drifted from the database, not a forger
// who rewrites both the index and its digests (the records' own seals are
// what verify checks against the originals).
func (d Doc) Digest() string { return digestOf(d.fields()) }

func digestOf(fields map[string]interface{}) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != fieldDigest {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	buf := make([]byte, 0, 512)
	for _, k := range keys {
		// key, a type letter and each value, NUL-separated: the values
		// are valid UTF-8 without NUL (the importers guarantee it), so the
		// encoding is unambiguous.
		buf = append(append(buf, k...), 0)
		switch v := fields[k].(type) {
		case string:
			buf = append(append(append(buf, 's', 0), v...), 0)
		case []string:
			buf = append(buf, 'l', 0)
			for _, x := range v {
				buf = append(append(buf, x...), 0)
			}
		case float64:
			buf = strconv.AppendFloat(append(buf, 'f', 0), v, 'g', -1, 64)
			buf = append(buf, 0)
		default:
			buf = fmt.Appendf(append(buf, '?', 0), "%v\x00", v)
		}
	}
	sum := sha256.Sum256(buf)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// Digests returns the stored digest of each of the documents named by ids
// that the index holds; an id the index does not hold is absent from the
// map, and a document indexed before digests were kept maps to "".
func (ix *Index) Digests(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fieldDigest}
	req.SortBy([]string{"_id"})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("read index digests: %w", err)
	}
	for _, h := range res.Hits {
		s, _ := h.Fields[fieldDigest].(string)
		out[h.ID] = s
	}
	return out, nil
}
