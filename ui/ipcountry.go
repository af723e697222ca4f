package ui

import (
	"context"

	"fyne.io/fyne/v2/widget"

	"casebook/model"
)

// ipCountrySourcer says which IP-range table or IP database gave an event
// its IP country.
type ipCountrySourcer interface {
	IPCountrySource(ctx context.Context, eventID int64) (string, error)
}

// showIPCountrySource adds to the details of e, once read in the
// background, which table or database placed its IP ("CN (from ipdb-2
// GeoLite2-Country built 2026-11-28)"), if e is still what they show.
func (v *caseView) showIPCountrySource(e model.Event) {
	if e.IPCountry == "" {
		return
	}
	want := model.ItemID{Kind: model.ItemEvent, N: e.ID}
	v.g.bg.spawn(func() {
		from, err := v.c.IPCountrySource(context.Background(), e.ID)
		v.g.bg.do(func() {
			if err != nil || from == "" || v.sel.item != want {
				return
			}
			v.details.setField("IP country", e.IPCountry+" (from "+from+")")
		})
	})
}

// setField changes the value shown for a field of the details, if shown.
func (v *detailsView) setField(name, value string) {
	objs := v.form.Objects
	for i := 0; i+1 < len(objs); i += 2 {
		if l, ok := objs[i].(*widget.Label); ok && l.Text == name {
			if val, ok := objs[i+1].(*widget.Label); ok {
				val.SetText(value)
			}
			return
		}
	}
}
