// Package labelrows holds an instant query's answer reduced to a few chosen
// labels: one row per sample, each cell an index into a dictionary of the
// distinct label values. The histogram queries of computed drift answer
// with hundreds of thousands of samples that share a few thousand label
// values; as a table they cost a few bytes a sample instead of a label map
// each, and rows are grouped by comparing integers.
package labelrows

import (
	"fmt"

	"github.com/prometheus/common/model"
)

// Absent is the cell of a label the sample does not have: Dict[Absent] is "".
const Absent uint32 = 0

// Table is a query's samples as rows of label-value indexes and values. A
// Table is not changed once built: readers may share it.
type Table struct {
	labels []string
	dict   []string
	cells  []uint32 // len(labels) per row
	values []float64
}

// Labels are the column names, in column order.
func (t *Table) Labels() []string { return t.labels }

// Len is the number of rows; 0 for a nil table.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return len(t.values)
}

// Column is the index of label name, or -1 when the table lacks it.
func (t *Table) Column(name string) int {
	for i, l := range t.labels {
		if l == name {
			return i
		}
	}
	return -1
}

// ID is the dictionary index of a cell: equal IDs are equal values.
func (t *Table) ID(row, col int) uint32 { return t.cells[row*len(t.labels)+col] }

// Row is a row's cells, indexed by column; the slice is the table's own.
func (t *Table) Row(row int) []uint32 {
	w := len(t.labels)
	return t.cells[row*w : (row+1)*w : (row+1)*w]
}

// Cells are all rows' cells, row after row, len(Labels()) a row: cell
// (row, col) is Cells()[row*len(Labels())+col]. A reader that scans one
// column of a large table steps through it without a call per row. The
// slice is the table's own.
func (t *Table) Cells() []uint32 {
	if t == nil {
		return nil
	}
	return t.cells
}

// Text is a cell's label value, "" when the sample lacks the label.
func (t *Table) Text(row, col int) string { return t.dict[t.ID(row, col)] }

// Value is a row's sample value.
func (t *Table) Value(row int) float64 { return t.values[row] }

// Dict is the distinct label values, indexed by ID; Dict()[Absent] is "".
// The slice is the table's own.
func (t *Table) Dict() []string { return t.dict }

// String renders one row as label="value" pairs and its value, for errors
// and test failures.
func (t *Table) String(row int) string {
	m := make(model.Metric, len(t.labels))
	for c, l := range t.labels {
		if v := t.Text(row, c); v != "" {
			m[model.LabelName(l)] = model.LabelValue(v)
		}
	}
	return fmt.Sprintf("%s => %g", m, t.values[row])
}

// FromVector keeps the named labels of every sample in vec.
func FromVector(vec model.Vector, labels []string) *Table {
	b := NewBuilder(labels, len(vec))
	row := make([]uint32, len(labels))
	for _, s := range vec {
		if s == nil {
			continue
		}
		for c, l := range labels {
			row[c] = b.Intern(string(s.Metric[model.LabelName(l)]))
		}
		b.Add(row, float64(s.Value))
	}
	return b.Table()
}

// Concat is the rows of a and b in one table; both must have the same
// labels. Either may be nil.
func Concat(a, b *Table) (*Table, error) {
	switch {
	case a.Len() == 0 && b != nil:
		return b, nil
	case b.Len() == 0:
		return a, nil
	}
	if len(a.labels) != len(b.labels) {
		return nil, fmt.Errorf("concat tables: labels %q and %q differ", a.labels, b.labels)
	}
	for i := range a.labels {
		if a.labels[i] != b.labels[i] {
			return nil, fmt.Errorf("concat tables: labels %q and %q differ", a.labels, b.labels)
		}
	}
	out := NewBuilder(a.labels, a.Len()+b.Len())
	row := make([]uint32, len(a.labels))
	for _, t := range []*Table{a, b} {
		for r := range t.Len() {
			for c := range t.labels {
				row[c] = out.Intern(t.Text(r, c))
			}
			out.Add(row, t.values[r])
		}
	}
	return out.Table(), nil
}

// Equal reports whether a and b hold the same rows in the same order:
// same columns, label values and values (NaN equal to NaN).
func Equal(a, b *Table) bool {
	if a.Len() != b.Len() {
		return false
	}
	if a.Len() == 0 {
		return true
	}
	if len(a.labels) != len(b.labels) {
		return false
	}
	for i := range a.labels {
		if a.labels[i] != b.labels[i] {
			return false
		}
	}
	for r := range a.Len() {
		x, y := a.values[r], b.values[r]
		if x != y && !(x != x && y != y) {
			return false
		}
		for c := range a.labels {
			if a.Text(r, c) != b.Text(r, c) {
				return false
			}
		}
	}
	return true
}
