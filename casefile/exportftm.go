package casefile

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"casebook/importer"
	"casebook/model"
	"casebook/store"
)

// The FollowTheMoney (FtM) export: the data model of OCCRP's Aleph. Every
// entity is {"id", "schema", "properties": {name: [values]}}, one a line.
//
// Two exports share the ids below:
//   - exportFtM (What "evidence"): the sources, the people in the exhibits,
//     a Mention per quoted segment and an Event per event exhibit;
//   - exportFtMAll (What "all"): the whole case, streamed (see there).
//
// Ids are SHA-1 over the case id and a key that names the thing, never its
// position in the export: the same case exported twice gives the same ids,
// and a thing that changed keeps its id, so loading the file into Aleph again
// updates entities instead of duplicating them.

// ftmEntity is one FollowTheMoney entity.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// ftmID makes a stable entity id from the case id and a key.
func ftmID(caseID, key string) string {
	h := sha1.Sum([]byte("casebook:" + caseID + ":" + key))
	return hex.EncodeToString(h[:])
}

// exportFtM writes the case as FollowTheMoney entities: a Document per
// source, a Person per speaker or actor who appears in the evidence, a
// Mention per quoted segment, and an Event per access event in the evidence
// (with the document as proof).
func (c *Case) exportFtM(ctx context.Context, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	put := func(e ftmEntity) error { n++; return enc.Encode(e) }
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return 0, err
	}
	docID := map[int64]string{}
	for _, s := range srcs {
		id := ftmID(c.id, "src:"+s.SHA256)
		docID[s.ID] = id
		props := map[string][]string{"fileName": {s.Name}, "fileSize": {strconv.FormatInt(s.Size, 10)},
			"title": {firstNonEmpty(s.Title, s.Name)}, "summary": {"SHA-256 " + s.SHA256},
			"processingAgent": {s.Importer}, "encoding": {s.Encoding}}
		if s.Describes != "" {
			props["date"] = []string{s.Describes}
		}
		if err := put(ftmEntity{id, "Document", props}); err != nil {
			return n, err
		}
	}
	people := map[string]string{}
	person := func(name string) (string, error) {
		if id, ok := people[name]; ok {
			return id, nil
		}
		id := ftmID(c.id, "person:"+strings.ToLower(name))
		people[name] = id
		return id, put(ftmEntity{id, "Person", map[string][]string{"name": {name}}})
	}
	ev, err := c.store.Evidence(ctx)
	if err != nil {
		return n, err
	}
	for _, t := range ev {
		switch t.Item.Kind {
		case model.ItemSegment:
			seg, err := c.store.Segment(ctx, t.Item.N)
			if err != nil || seg.Speaker == "" {
				continue
			}
			pid, err := person(seg.Speaker)
			if err != nil {
				return n, err
			}
			if err := put(ftmEntity{ftmID(c.id, "mention:"+t.Item.String()), "Mention", map[string][]string{
				"document": {docID[seg.SourceID]}, "resolved": {pid}, "name": {seg.Speaker}, "detectedSchema": {"Person"}}}); err != nil {
				return n, err
			}
		case model.ItemEvent:
			e, err := c.store.Event(ctx, t.Item.N)
			if err != nil {
				continue
			}
			props := map[string][]string{"name": {store.ExhibitLabel(t.Exhibit) + " " + t.Tag}, "summary": {e.Summary()},
				"proof": {docID[e.SourceID]}, "recordId": {strconv.Itoa(e.Row)}}
			if !e.Time.IsZero() {
				props["date"] = []string{ftmDate(e.Time)}
			}
			if c := ftmCountry(e.Country); c != "" {
				props["country"] = []string{c}
			}
			if who := firstNonEmpty(e.ActorName, e.ActorID); who != "" {
				pid, err := person(who)
				if err != nil {
					return n, err
				}
				props["involved"] = []string{pid}
			}
			if err := put(ftmEntity{ftmID(c.id, "event:"+t.Item.String()), "Event", props}); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// ftmMaxLen is the longest value (in characters) FtM keeps for a property,
// by its type: text 65,000, name 384, address 250, string 1,024.
func ftmMaxLen(prop string) int {
	switch prop {
	case "bodyText", "description", "summary", "notes":
		return 65000
	case "name":
		return 384
	case "location", "full", "address":
		return 250
	}
	return 1024
}

// clipRunes cuts s to at most n characters, on a character boundary.
func clipRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// ftmBag gathers an entity's values, each once; entity() sorts them, so an
// entity built from the same facts in any order is the same line.
type ftmBag struct {
	id, schema string
	props      map[string]map[string]struct{}
}

func newFtmBag(id, schema string) *ftmBag {
	return &ftmBag{id: id, schema: schema, props: map[string]map[string]struct{}{}}
}

// add adds non-empty values (trimmed, cut to the property's length).
func (b *ftmBag) add(prop string, vals ...string) {
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		set := b.props[prop]
		if set == nil {
			set = map[string]struct{}{}
			b.props[prop] = set
		}
		set[clipRunes(v, ftmMaxLen(prop))] = struct{}{}
	}
}

// count is how many values prop has.
func (b *ftmBag) count(prop string) int { return len(b.props[prop]) }

func (b *ftmBag) entity() ftmEntity {
	props := make(map[string][]string, len(b.props))
	for k, set := range b.props {
		vals := make([]string, 0, len(set))
		for v := range set {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		props[k] = vals
	}
	return ftmEntity{ID: b.id, Schema: b.schema, Properties: props}
}

// ftmAccountIPs bounds the addresses kept on one UserAccount; every event
// still carries its own address (ipMentioned).
const ftmAccountIPs = 100

// ftmAll is the state of one whole-case export. Memory grows with the people,
// accounts, offices and employers (a roster's worth), never with the events
// or segments, which stream through in batches.
type ftmAll struct {
	c        *Case
	enc      *json.Encoder
	n        int
	aliases  map[string]string  // speaker label → the person it was merged into
	bags     map[string]*ftmBag // people, accounts, addresses, organisations, employments by id
	docs     map[int64]string   // source id → its entity id
	segSrc   map[int64]int64    // segment id → source id, for the few items notes point at
	progress ProgressFunc
}

// exportFtMAll streams the whole case as FollowTheMoney entities:
//   - each transcript a Document (with its segments' words as bodyText, its
//     language when the words tell it, contentHash, fileSize, mimeType) and a
//     Mention of each speaker in it; each access log a Table;
//   - each event an Event (date, country, summary, the person involved, the
//     resource in its description, the log as proof);
//   - each actor a UserAccount (username, email, ipAddress) owned by a Person
//     when the roster or the log names one; the roster's people as Person, their
//     offices as Address, their employers as Organization with an Employment;
//   - each exhibit (a confirmed tagging), note and statement a Note about what
//     it concerns; each quoted segment's speaker a Mention, as exportFtM does.
func (c *Case) exportFtMAll(ctx context.Context, w io.Writer, progress ProgressFunc) (int, error) {
	x := &ftmAll{c: c, enc: json.NewEncoder(w), bags: map[string]*ftmBag{}, docs: map[int64]string{},
		segSrc: map[int64]int64{}, progress: progress}
	x.enc.SetEscapeHTML(false)
	var err error
	if x.aliases, err = c.store.SpeakerAliases(ctx); err != nil {
		return 0, fmt.Errorf("ftm export: speakers: %w", err)
	}
	steps := []struct {
		what string
		fn   func(context.Context) error
	}{{"speakers", x.speakers}, {"roster", x.roster}, {"sources", x.sources}, {"events", x.events},
		{"exhibits", x.exhibits}, {"notes", x.notes}, {"statements", x.statements}}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return x.n, fmt.Errorf("ftm export: %s: %w", s.what, err)
		}
	}
	// The people, accounts, offices and employers, in id order.
	ids := make([]string, 0, len(x.bags))
	for id := range x.bags {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := x.put(x.bags[id].entity()); err != nil {
			return x.n, err
		}
	}
	return x.n, nil
}

func (x *ftmAll) put(e ftmEntity) error {
	x.n++
	if err := x.enc.Encode(e); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

func (x *ftmAll) id(key string) string { return ftmID(x.c.id, key) }

// bag returns the gathered entity with id, made with schema when new.
func (x *ftmAll) bag(id, schema string) *ftmBag {
	b := x.bags[id]
	if b == nil {
		b = newFtmBag(id, schema)
		x.bags[id] = b
	}
	return b
}

// person returns the Person for a name (a speaker label resolves to the
// person it was merged into), "" for no name. Its id is the one exportFtM
// gives the same name.
func (x *ftmAll) person(name string) string {
	name = strings.TrimSpace(name)
	if p := x.aliases[name]; p != "" {
		name = p
	}
	if name == "" {
		return ""
	}
	id := x.id("person:" + strings.ToLower(name))
	x.bag(id, "Person").add("name", name)
	return id
}

// address returns the Address for an office, "" for none.
func (x *ftmAll) address(office, country string) string {
	office = strings.TrimSpace(office)
	if office == "" {
		return ""
	}
	id := x.id("office:" + strings.ToLower(office))
	b := x.bag(id, "Address")
	b.add("full", office)
	b.add("country", ftmCountry(country))
	return id
}

// organization returns the Organization for an employer, "" for none.
func (x *ftmAll) organization(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	id := x.id("org:" + strings.ToLower(name))
	x.bag(id, "Organization").add("name", name)
	return id
}

// account returns the UserAccount for an identifier (lower case is one
// account), "" for none.
func (x *ftmAll) account(ident string) string {
	ident = strings.TrimSpace(ident)
	if ident == "" {
		return ""
	}
	id := x.id("account:" + strings.ToLower(ident))
	b := x.bag(id, "UserAccount")
	b.add("username", ident)
	if isEmail(ident) {
		b.add("email", ident)
	}
	return id
}

// speakers: the registry's people, with the role and office it records.
func (x *ftmAll) speakers(ctx context.Context) error {
	sp, err := x.c.store.Speakers(ctx)
	if err != nil {
		return err
	}
	for _, s := range sp {
		if s.AliasOf != "" || (s.Role == "" && s.Office == "") {
			continue // a merged label is its person; a bare label appears with its transcript
		}
		p := x.bag(x.person(s.Name), "Person")
		p.add("position", s.Role)
		p.add("addressEntity", x.address(s.Office, ""))
	}
	return nil
}

// roster: each person with country, e-mail, office (Address), employer
// (Organization and Employment, the team as the role) and identifiers
// (UserAccounts they own).
func (x *ftmAll) roster(ctx context.Context) error {
	people, err := x.c.store.Roster(ctx)
	if err != nil {
		return err
	}
	for _, r := range people {
		pid := x.person(r.Name)
		if pid == "" {
			continue
		}
		p := x.bag(pid, "Person")
		p.add("country", ftmCountry(r.Country))
		p.add("addressEntity", x.address(r.Office, r.Country))
		for _, ident := range r.IDs {
			if isEmail(ident) {
				p.add("email", ident)
			}
			if a := x.account(ident); a != "" {
				x.bags[a].add("owner", pid)
			}
		}
		if org := x.organization(r.Employer); org != "" {
			emp := x.bag(x.id("employment:"+strings.ToLower(r.Name)+":"+strings.ToLower(r.Employer)), "Employment")
			emp.add("employer", org)
			emp.add("employee", pid)
			emp.add("role", r.Team)
		} else {
			p.add("position", r.Team)
		}
	}
	return nil
}

// sources: a Document per transcript (its words as bodyText, a Mention per
// speaker) and a Table per access log.
func (x *ftmAll) sources(ctx context.Context) error {
	srcs, err := x.c.store.Sources(ctx)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		x.docs[s.ID] = x.id("src:" + s.SHA256)
	}
	for _, s := range srcs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := x.source(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	return nil
}

func (x *ftmAll) source(ctx context.Context, s model.Source) error {
	schema := "Document"
	switch s.Kind {
	case model.KindAccessLog:
		schema = "Table"
	case model.KindRecording:
		schema = "Audio"
	}
	doc := newFtmBag(x.docs[s.ID], schema)
	if s.Kind == model.KindRecording {
		if r, err := x.c.store.Recording(ctx, s.ID); err == nil {
			doc.add("duration", strconv.FormatInt(r.DurationMS, 10))
			doc.add("samplingRate", strconv.Itoa(r.SampleRate))
		}
	}
	doc.add("fileName", s.Name)
	doc.add("fileSize", strconv.FormatInt(s.Size, 10))
	doc.add("title", firstNonEmpty(s.Title, s.Name))
	doc.add("summary", "SHA-256 "+s.SHA256)
	doc.add("processingAgent", s.Importer)
	doc.add("encoding", s.Encoding)
	doc.add("mimeType", mimeOf(s))
	doc.add("date", s.Describes)
	if !s.ImportedAt.IsZero() {
		doc.add("processedAt", ftmDate(s.ImportedAt))
	}
	if h, err := sha1File(x.c.OriginalPath(s)); err == nil {
		doc.add("contentHash", h)
	}
	tags, err := x.c.store.ItemTags(ctx, []string{model.ItemID{Kind: model.ItemSource, N: s.ID}.String()})
	if err != nil {
		return err
	}
	for _, t := range tags {
		doc.add("keywords", t...)
	}
	if s.Kind == model.KindAccessLog {
		doc.add("rowCount", strconv.FormatInt(s.Records, 10))
		return x.put(doc.entity())
	}
	segs, err := x.c.store.SourceSegments(ctx, s.ID)
	if err != nil {
		return err
	}
	var body strings.Builder
	var words strings.Builder // the words alone, for the language
	var chunks []string
	speakers := map[string]bool{}
	for _, seg := range segs {
		line := segmentLine(seg)
		if body.Len() > 0 && utf8.RuneCountInString(body.String())+utf8.RuneCountInString(line)+1 > ftmMaxLen("bodyText") {
			chunks = append(chunks, body.String())
			body.Reset()
		}
		for utf8.RuneCountInString(line) > ftmMaxLen("bodyText") { // one very long segment
			head := clipRunes(line, ftmMaxLen("bodyText"))
			chunks = append(chunks, head)
			line = line[len(head):]
		}
		if body.Len() > 0 {
			body.WriteByte('\n')
		}
		body.WriteString(line)
		if words.Len() < 1<<16 {
			words.WriteString(seg.Text)
			words.WriteByte(' ')
		}
		if seg.Speaker != "" {
			speakers[seg.Speaker] = true
		}
	}
	if body.Len() > 0 {
		chunks = append(chunks, body.String())
	}
	// bodyText is one value per chunk, in order: a bag would sort them.
	e := doc.entity()
	if len(chunks) > 0 {
		e.Properties["bodyText"] = chunks
	}
	if lang := guessLanguage(words.String()); lang != "" {
		e.Properties["language"] = []string{lang}
	}
	if err := x.put(e); err != nil {
		return err
	}
	names := make([]string, 0, len(speakers))
	for sp := range speakers {
		names = append(names, sp)
	}
	slices.Sort(names)
	for _, sp := range names {
		m := newFtmBag(x.id("speaker:"+s.SHA256+":"+strings.ToLower(sp)), "Mention")
		m.add("document", x.docs[s.ID])
		m.add("name", sp)
		m.add("resolved", x.person(sp))
		m.add("detectedSchema", "Person")
		if err := x.put(m.entity()); err != nil {
			return err
		}
	}
	return nil
}

// segmentLine renders a segment as one line of a transcript's body:
// "[00:01:02] Speaker: words", with the page cite of a paginated transcript.
func segmentLine(seg model.Segment) string {
	var b strings.Builder
	if seg.StartMS >= 0 {
		ms := seg.StartMS
		fmt.Fprintf(&b, "[%02d:%02d:%02d] ", ms/3600000, ms/60000%60, ms/1000%60)
	}
	if cite := seg.PageCite(); cite != "" {
		b.WriteString("(" + cite + ") ")
	}
	if seg.Speaker != "" {
		b.WriteString(seg.Speaker + ": ")
	}
	b.WriteString(strings.ReplaceAll(seg.Text, "\n", " "))
	return b.String()
}

// eventBatch is how many events are read, and their tags looked up, at once.
const eventBatch = 5000

// events: an Event per access event, streamed in batches; each names its
// actor's Person (involved) and UserAccount gathers the actor's addresses.
func (x *ftmAll) events(ctx context.Context) error {
	_, maxEvt, err := x.c.store.MaxIDs(ctx)
	if err != nil {
		return err
	}
	total, done := int64(0), int64(0)
	if x.progress != nil {
		if _, total, err = x.c.store.Counts(ctx); err != nil {
			return err
		}
	}
	items := make([]string, 0, eventBatch)
	for lo := int64(1); lo <= maxEvt; {
		evts, err := x.c.store.EventsInRange(ctx, lo, maxEvt, eventBatch)
		if err != nil {
			return err
		}
		if len(evts) == 0 {
			break
		}
		items = items[:0]
		for _, e := range evts {
			items = append(items, model.ItemID{Kind: model.ItemEvent, N: e.ID}.String())
		}
		tags, err := x.c.store.ItemTags(ctx, items)
		if err != nil {
			return err
		}
		for i, e := range evts {
			if err := x.put(x.event(e, tags[items[i]])); err != nil {
				return err
			}
		}
		done += int64(len(evts))
		if x.progress != nil {
			x.progress.report(Progress{Stage: "export", Done: done, Total: total})
		}
		lo = evts[len(evts)-1].ID + 1
	}
	return nil
}

func (x *ftmAll) event(e model.Event, tags []string) ftmEntity {
	item := model.ItemID{Kind: model.ItemEvent, N: e.ID}.String()
	b := newFtmBag(x.id("event:"+item), "Event")
	sum := e.Summary()
	b.add("name", firstNonEmpty(sum, item))
	b.add("summary", sum)
	if !e.Time.IsZero() {
		b.add("date", ftmDate(e.Time))
	}
	b.add("country", ftmCountry(e.Country))
	b.add("location", e.Office)
	b.add("proof", x.docs[e.SourceID])
	b.add("recordId", strconv.Itoa(e.Row))
	b.add("keywords", tags...)
	if ip, err := netip.ParseAddr(e.IP); err == nil {
		b.add("ipMentioned", ip.Unmap().String())
	}
	var d strings.Builder
	fmt.Fprintf(&d, "Casebook %s, row %d, line %d", item, e.Row, e.Line)
	field := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&d, "\n%s: %s", label, v)
		}
	}
	field("time as written", e.TimeText)
	field("actor", e.ActorName)
	field("actor id", e.ActorID)
	field("action", e.Action)
	field("system", e.System)
	field("resource", e.Resource)
	field("data category", firstNonEmpty(e.DataCategory, e.Context.MapCategory))
	field("subject region", firstNonEmpty(e.SubjectRegion, e.Context.MapRegion))
	if e.RecordCount >= 0 {
		field("records", strconv.FormatInt(e.RecordCount, 10))
	}
	field("approval", e.ApprovalID)
	field("approver", e.Approver)
	field("purpose", e.Purpose)
	field("flags", strings.Join(e.Flags, ", "))
	field("raw", e.Raw)
	b.add("description", d.String())

	// Who: the roster's person for the actor, else the name the log gives.
	pid := x.person(firstNonEmpty(e.Context.Person, e.ActorName))
	b.add("involved", pid)
	if ident := firstNonEmpty(e.ActorID, e.ActorName); ident != "" {
		if isEmail(ident) {
			b.add("emailMentioned", ident)
		}
		acc := x.bags[x.account(ident)]
		acc.add("owner", pid)
		if ip, err := netip.ParseAddr(e.IP); err == nil && acc.count("ipAddress") < ftmAccountIPs {
			acc.add("ipAddress", ip.Unmap().String())
		}
		if e.System != "" && acc.count("service") < 10 {
			acc.add("service", e.System)
		}
	}
	return b.entity()
}

// target is the entity an item's note is about: the event, the source's
// document, or for a segment its transcript's document (the segment named in
// the note's text). "" when the item is gone.
func (x *ftmAll) target(ctx context.Context, item model.ItemID) string {
	switch item.Kind {
	case model.ItemEvent:
		return x.id("event:" + item.String())
	case model.ItemSource:
		return x.docs[item.N]
	case model.ItemSegment:
		src, ok := x.segSrc[item.N]
		if !ok {
			seg, err := x.c.store.Segment(ctx, item.N)
			if err != nil {
				return ""
			}
			src = seg.SourceID
			x.segSrc[item.N] = src
		}
		return x.docs[src]
	}
	return ""
}

// exhibits: a Note per confirmed tagging (its exhibit number and tag as the
// name, the tag as a keyword, the quote, note, citation and reason as the
// description), and, as exportFtM does, a Mention of a quoted segment's
// speaker.
func (x *ftmAll) exhibits(ctx context.Context) error {
	ev, err := x.c.store.Evidence(ctx)
	if err != nil {
		return err
	}
	rows, err := x.c.Evidence(ctx)
	if err != nil {
		return err
	}
	byTagging := map[int64]Exhibit{}
	for _, r := range rows {
		byTagging[r.Tagging] = r
	}
	for _, t := range ev {
		label := store.ExhibitLabel(t.Exhibit)
		b := newFtmBag(x.id("exhibit:"+label), "Note")
		b.add("name", label+" "+t.Tag)
		b.add("keywords", t.Tag)
		b.add("entity", x.target(ctx, t.Item))
		b.add("createdAt", ftmDate(t.ConfirmedAt))
		r := byTagging[t.ID]
		var d strings.Builder
		fmt.Fprintf(&d, "%s, tagged %s on %s", label, t.Tag, t.Item)
		for _, kv := range [][2]string{{"quote", r.Quote}, {"note", firstNonEmpty(r.Note, t.Note)},
			{"citation", r.Citation}, {"why", firstNonEmpty(r.Explanation, t.Explanation)}} {
			if kv[1] != "" {
				fmt.Fprintf(&d, "\n%s: %s", kv[0], kv[1])
			}
		}
		var seg model.Segment
		segOK := false
		if t.Item.Kind == model.ItemSegment {
			if s, err := x.c.store.Segment(ctx, t.Item.N); err == nil {
				seg, segOK = s, true
				fmt.Fprintf(&d, "\nwords: %s", segmentLine(seg))
			}
		}
		b.add("description", d.String())
		if segOK {
			if seg.Speaker != "" {
				pid := x.person(seg.Speaker)
				b.add("entity", pid)
				m := newFtmBag(x.id("mention:"+t.Item.String()), "Mention")
				m.add("document", x.docs[seg.SourceID])
				m.add("resolved", pid)
				m.add("name", seg.Speaker)
				m.add("detectedSchema", "Person")
				if err := x.put(m.entity()); err != nil {
					return err
				}
			}
		}
		if err := x.put(b.entity()); err != nil {
			return err
		}
	}
	return nil
}

// notes: a Note per note the investigator wrote, private ones left out (they
// are never printed either).
func (x *ftmAll) notes(ctx context.Context) error {
	ns, err := x.c.store.Notes(ctx, "", "")
	if err != nil {
		return err
	}
	for _, n := range ns {
		if n.Private {
			continue
		}
		b := newFtmBag(x.id("note:"+strconv.FormatInt(n.ID, 10)), "Note")
		b.add("name", "Note on "+n.Item.String())
		b.add("description", n.Text)
		b.add("entity", x.target(ctx, n.Item))
		b.add("publisher", n.By)
		if !n.At.IsZero() {
			b.add("createdAt", ftmDate(n.At))
		}
		if err := x.put(b.entity()); err != nil {
			return err
		}
	}
	return nil
}

// statements: a Note per statement, about the person who made it and every
// item linked to it (supports or contradicts, in the description).
func (x *ftmAll) statements(ctx context.Context) error {
	sts, err := x.c.store.Statements(ctx)
	if err != nil {
		return err
	}
	for _, st := range sts {
		b := newFtmBag(x.id("statement:"+strconv.FormatInt(st.ID, 10)), "Note")
		b.add("name", clipRunes("Statement by "+firstNonEmpty(st.Who, "unknown")+": "+st.Words, 200))
		b.add("summary", st.Words)
		b.add("entity", x.person(st.Who))
		b.add("publisher", st.By)
		if !st.At.IsZero() {
			b.add("createdAt", ftmDate(st.At))
		}
		var d strings.Builder
		fmt.Fprintf(&d, "%s said: %s", firstNonEmpty(st.Who, "unknown"), st.Words)
		if st.When != "" {
			fmt.Fprintf(&d, "\nwhen: %s", st.When)
		}
		if st.Where != "" {
			fmt.Fprintf(&d, "\nwhere: %s", st.Where)
		}
		for _, l := range st.Links {
			fmt.Fprintf(&d, "\n%s %s", l.Relation, l.Item)
			if l.Note != "" {
				fmt.Fprintf(&d, ": %s", l.Note)
			}
			if it, err := model.ParseItemID(l.Item); err == nil {
				b.add("entity", x.target(ctx, it))
			}
		}
		b.add("description", d.String())
		if err := x.put(b.entity()); err != nil {
			return err
		}
	}
	return nil
}

// ftmDate renders a time as FtM wants it: UTC, no zone, to the second.
func ftmDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// ftmCountry is an ISO alpha-2 code in lower case, as FtM wants it, or ""
// for anything else (a region such as EU, a place name).
func ftmCountry(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z' {
		return ""
	}
	if !importer.IsCountryCode(strings.ToUpper(s)) {
		return ""
	}
	return s
}

// isEmail reports whether s looks like an e-mail address.
func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && strings.IndexByte(s[at+1:], '.') > 0 && !strings.ContainsAny(s, " \\/:")
}

// sha1File is the SHA-1 of a file, FtM's contentHash.
func sha1File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha1.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// mimeOf is a source's MIME type from its file name, else its kind; fixed
// here rather than read from the system, so an export is the same anywhere.
func mimeOf(s model.Source) string {
	switch strings.ToLower(filepath.Ext(s.Name)) {
	case ".vtt":
		return "text/vtt"
	case ".srt":
		return "application/x-subrip"
	case ".ttml", ".dfxp":
		return "application/ttml+xml"
	case ".ssa", ".ass":
		return "text/x-ssa"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".csv":
		return "text/csv"
	case ".tsv":
		return "text/tab-separated-values"
	case ".json":
		return "application/json"
	case ".jsonl", ".ndjson":
		return "application/x-ndjson"
	case ".xml":
		return "application/xml"
	case ".wav":
		return "audio/wav"
	case ".mp3":
		return "audio/mpeg"
	case ".flac":
		return "audio/flac"
	case ".m4a", ".aac":
		return "audio/mp4"
	case ".ogg", ".opus":
		return "audio/ogg"
	case ".webm":
		return "audio/webm"
	case ".mp4", ".mov":
		return "video/mp4"
	}
	if s.Kind == model.KindRecording {
		return "application/octet-stream"
	}
	return "text/plain"
}

// guessLanguage names a transcript's language (ISO 639-2, as FtM wants) when
// its words tell it plainly: Chinese, Japanese or Korean by their scripts,
// English by its commonest words; "" otherwise.
func guessLanguage(text string) string {
	var han, kana, hangul, letters int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r):
			letters++
		}
	}
	cjk := han + kana + hangul
	switch {
	case cjk > letters/4 && kana > cjk/10:
		return "jpn"
	case cjk > letters/4 && hangul > cjk/2:
		return "kor"
	case cjk > letters/4 && han > 0:
		return "zho"
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	if len(words) < 20 {
		return ""
	}
	common := 0
	for _, w := range words {
		switch w {
		case "the", "and", "of", "to", "a", "in", "is", "it", "that", "we", "i", "you", "for", "on", "was", "this", "with", "be", "have", "not":
			common++
		}
	}
	if common*100 >= len(words)*15 {
		return "eng"
	}
	return ""
}
