package reports

// table writes a table whose heading row repeats on every page. Columns
// share the text width by weight, widened where a heading or a word would
// not fit (columnWidths); cells and headings wrap onto more lines (a cell up
// to maxCellLines, then it is cut with …).
func (d *doc) table(header []string, weights []float64, rows [][]string, size float64) {
	h := size * 0.45
	cell := func(s string, bold bool) []token {
		toks := d.mask.tokenize([]span{{text: s, bold: bold}})
		d.measure(toks, size)
		return toks
	}
	head := make([][]token, len(header))
	for i, c := range header {
		head[i] = cell(c, true)
	}
	body := make([][][]token, len(rows))
	for r, row := range rows {
		body[r] = make([][]token, len(header))
		for i := range header {
			if i < len(row) {
				body[r][i] = cell(row[i], false)
			}
		}
	}
	widths := d.columnWidths(weights, head, body)
	headLines := make([][][]token, len(header))
	headN := 1
	for i := range header {
		headLines[i] = d.wrap(head[i], widths[i]-2*cellPad, size)
		headN = max(headN, len(headLines[i]))
	}
	headH := float64(headN)*h + 1
	// drawCells writes each column's lines in a row that starts at y.
	drawCells := func(y float64, lines [][][]token) {
		x := margin
		for i := range header {
			for li, ln := range lines[i] {
				d.drawTokens(x+cellPad, y+0.5+float64(li)*h, h, ln, size)
			}
			x += widths[i]
		}
	}
	drawHeader := func() {
		d.pdf.SetFillColor(225, 230, 238)
		y := d.pdf.GetY()
		d.pdf.Rect(margin, y, sum(widths), headH, "F")
		drawCells(y, headLines)
		d.pdf.SetY(y + headH)
	}
	d.need(headH + h + 1)
	drawHeader()
	for ri := range rows {
		cells := make([][][]token, len(header))
		n := 1
		for i := range header {
			cells[i] = d.wrap(body[ri][i], widths[i]-2*cellPad, size)
			if len(cells[i]) > maxCellLines {
				cells[i] = cells[i][:maxCellLines]
				last := &cells[i][maxCellLines-1]
				d.setFont(false, false, false, size)
				*last = append(*last, token{text: "…", width: d.pdf.GetStringWidth("…")})
			}
			n = max(n, len(cells[i]))
		}
		rowH := float64(n)*h + 1
		if d.pdf.GetY()+rowH > d.bottom() {
			d.pdf.AddPage()
			drawHeader()
		}
		y := d.pdf.GetY()
		if ri%2 == 1 {
			d.pdf.SetFillColor(246, 247, 250)
			d.pdf.Rect(margin, y, sum(widths), rowH, "F")
		}
		drawCells(y, cells)
		d.pdf.SetY(y + rowH)
	}
	d.pdf.Ln(3)
}

const (
	// maxCellLines is how many lines a table cell may take.
	maxCellLines = 8
	// cellPad is the space between a cell's text and its column's edges.
	cellPad = 1.0
)

// columnWidths shares the text width among the columns by weight (nil or a
// wrong length: equally), then widens every column narrower than its widest
// heading word or its widest word of data, taking the room from the columns
// that have some to spare. So a heading is never cut and words such as
// "Singapore" or "APR-2022-00168" stay whole. A word wider than a third of
// the page (a digest, a JSON value) claims no room and breaks; when the rest
// do not all fit, the widest of them break first; only when even the
// headings do not fit are the columns shared by their width.
func (d *doc) columnWidths(weights []float64, head [][]token, body [][][]token) []float64 {
	n := len(head)
	if len(weights) != n {
		weights = make([]float64, n)
		for i := range weights {
			weights[i] = 1
		}
	}
	total := d.textW()
	base := make([]float64, n)
	for i, w := range weights {
		base[i] = total * w / sum(weights)
	}
	// A word wider than a third of the page (a digest, a JSON value) breaks
	// whatever its column's width: it claims no room.
	heads := make([]float64, n) // the widest heading word, padded
	words := make([]float64, n) // the widest word of data that can fit, padded
	for i := range head {
		heads[i] = widestWord(head[i], total) + 2*cellPad
		for _, row := range body {
			words[i] = max(words[i], widestWord(row[i], total/3-2*cellPad)+2*cellPad)
		}
	}
	if sum(heads) > total {
		out := make([]float64, n)
		for i := range out {
			out[i] = total * heads[i] / sum(heads)
		}
		return out
	}
	// Each column needs its heading and its widest word up to a limit: the
	// widest limit that fits them all.
	need := func(limit float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = max(heads[i], min(words[i], limit))
		}
		return out
	}
	lo, hi := 0.0, total/3
	if sum(need(hi)) <= total {
		lo = hi
	}
	for range 30 {
		if hi-lo < 0.05 {
			break
		}
		mid := (lo + hi) / 2
		if sum(need(mid)) <= total {
			lo = mid
		} else {
			hi = mid
		}
	}
	return widenTo(base, need(lo))
}

// widenTo raises every width below its minimum to it, taking the difference
// from the columns above theirs in proportion to what they have to spare.
// The minimums must not add up to more than the widths.
func widenTo(widths, minimum []float64) []float64 {
	out := append([]float64(nil), widths...)
	short, spare := 0.0, 0.0
	for i := range out {
		if out[i] < minimum[i] {
			short += minimum[i] - out[i]
		} else {
			spare += out[i] - minimum[i]
		}
	}
	if short == 0 || spare == 0 {
		return out
	}
	for i := range out {
		if out[i] < minimum[i] {
			out[i] = minimum[i]
		} else {
			out[i] -= (out[i] - minimum[i]) * short / spare
		}
	}
	return out
}

// widestWord is the width of the widest token that is not a space and is
// no wider than limit.
func widestWord(toks []token, limit float64) float64 {
	w := 0.0
	for _, t := range toks {
		if !t.space && !t.newline && t.width <= limit {
			w = max(w, t.width)
		}
	}
	return w
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}
