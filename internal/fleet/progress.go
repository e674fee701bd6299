package fleet

import (
	"fmt"
	"strconv"
)

// Progress is how far a source's unfinished read has come: a first read of
// a large registry takes several refreshes, and each keeps what the last
// one read.
type Progress struct {
	Done  int    // items read
	Total int    // items to read; 0 while not yet known (still listing)
	Unit  string // what is counted: "models"
}

// String is "reading 3,400/10,000 models", or "reading: 3,000 models listed"
// while the total is not known.
func (p Progress) String() string {
	if p.Total <= 0 {
		return fmt.Sprintf("reading: %s %s listed", thousands(p.Done), p.Unit)
	}
	return fmt.Sprintf("reading %s/%s %s", thousands(p.Done), thousands(p.Total), p.Unit)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
