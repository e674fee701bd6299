package labelrows

import "slices"

// Builder makes a Table row by row, interning label values as it goes.
type Builder struct {
	t     Table
	index map[string]uint32
}

// NewBuilder starts a table with the given columns; rows is a capacity
// hint.
func NewBuilder(labels []string, rows int) *Builder {
	b := &Builder{index: map[string]uint32{"": Absent}}
	b.t.labels = slices.Clone(labels)
	b.t.dict = []string{""}
	b.t.cells = make([]uint32, 0, rows*len(labels))
	b.t.values = make([]float64, 0, rows)
	return b
}

// Rows is the number of rows added so far.
func (b *Builder) Rows() int { return len(b.t.values) }

// Intern returns s's ID, adding it to the dictionary when new.
func (b *Builder) Intern(s string) uint32 {
	if id, ok := b.index[s]; ok {
		return id
	}
	return b.add(s)
}

// InternBytes is Intern for a value still in a buffer: a value already
// known costs no allocation.
func (b *Builder) InternBytes(s []byte) uint32 {
	if id, ok := b.index[string(s)]; ok {
		return id
	}
	return b.add(string(s))
}

func (b *Builder) add(s string) uint32 {
	id := uint32(len(b.t.dict))
	b.t.dict = append(b.t.dict, s)
	b.index[s] = id
	return id
}

// Add appends a row: cells holds one ID per column (from Intern, or
// Absent) and is copied.
func (b *Builder) Add(cells []uint32, v float64) {
	b.t.cells = append(b.t.cells, cells[:len(b.t.labels)]...)
	b.t.values = append(b.t.values, v)
}

// Table returns the table built so far; the builder must not be used
// afterwards.
func (b *Builder) Table() *Table {
	t := b.t
	b.t, b.index = Table{}, nil
	return &t
}
