package root

// Rows taken by the root's own lines around the screen body.
const (
	topLines    = 1 // status line: app, breadcrumbs, sources, refresh age
	bottomLines = 1 // key help, filter or command input, role
)

// layout is the one place the window is split into the root's lines and
// the body handed to the top screen. Mouse events and overlays use the
// same numbers.
type layout struct {
	width, height int
	bodyTop       int // first row of the body
	bodyHeight    int
	bottomRow     int
}

func computeLayout(width, height int) layout {
	width, height = max(width, 0), max(height, 0)
	l := layout{width: width, height: height, bodyTop: min(topLines, height)}
	l.bodyHeight = max(height-topLines-bottomLines, 0)
	l.bottomRow = l.bodyTop + l.bodyHeight
	return l
}

// inBody reports whether row y (screen coordinates) is inside the body.
func (l layout) inBody(y int) bool {
	return y >= l.bodyTop && y < l.bodyTop+l.bodyHeight
}
