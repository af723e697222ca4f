package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casebook/model"
)

// segmentLoader is what the reader needs from a case.
type segmentLoader interface {
	Segments(ctx context.Context, sourceID int64) ([]model.Segment, error)
}

// readerColumns are the widths of a reader row: time and speaker; the text
// takes the rest.
var readerColumns = columns{64, 150}

// readerView shows one transcript's segments in order, in a virtualised
// list.
type readerView struct {
	src segmentLoader
	bg  *runner

	title   *widget.Label
	list    *widget.List
	content fyne.CanvasObject

	// Touched on the UI goroutine only.
	source model.Source
	segs   []model.Segment
	gen    int

	onSelected func(model.Segment, model.Source)
}

func newReaderView(src segmentLoader, bg *runner) *readerView {
	v := &readerView{src: src, bg: bg}
	v.title = widget.NewLabelWithStyle("Select a transcript on the left to read it.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.list = widget.NewList(v.length, v.createRow, v.updateRow)
	v.list.OnSelected = v.onListSelected
	v.content = container.NewBorder(v.title, nil, nil, nil, v.list)
	return v
}

// load shows a transcript's segments, fetched in a goroutine and applied
// in one call on the UI goroutine. Call it on the UI goroutine.
func (v *readerView) load(s model.Source) {
	v.gen++
	gen := v.gen
	v.source, v.segs = s, nil
	v.title.SetText("Loading " + s.Name + "…")
	v.list.UnselectAll()
	v.list.Refresh()
	v.bg.spawn(func() {
		segs, err := v.src.Segments(context.Background(), s.ID)
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.title.SetText("Could not read " + s.Name + ": " + sentence(err))
				return
			}
			v.segs = segs
			v.title.SetText(fmt.Sprintf("%s — %s", s.Name, plural(int64(len(segs)), "segment")))
			v.list.Refresh()
			v.list.ScrollToTop()
		})
	})
}

func (v *readerView) length() int { return len(v.segs) }

func (v *readerView) createRow() fyne.CanvasObject {
	speaker := truncLabel("")
	speaker.TextStyle.Bold = true
	return container.New(readerColumns, truncLabel(""), speaker, truncLabel(""))
}

func (v *readerView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.segs) {
		return
	}
	s := v.segs[id]
	objs := o.(*fyne.Container).Objects
	objs[0].(*widget.Label).SetText(clock(s.StartMS))
	objs[1].(*widget.Label).SetText(s.Speaker)
	objs[2].(*widget.Label).SetText(oneLine(s.Text))
}

func (v *readerView) onListSelected(id widget.ListItemID) {
	if id < len(v.segs) && v.onSelected != nil {
		v.onSelected(v.segs[id], v.source)
	}
}
