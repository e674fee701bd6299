package root

import (
	"charm.land/bubbles/v2/key"

	"github.com/mltop/mltop/themes"
)

// helpMemo keeps the last short help line drawn: the keys rarely change
// between frames, and drawing them styles every key and description again.
type helpMemo struct {
	theme        *themes.Theme
	room         int
	sig, scratch []byte // the keys' enabled flags and help texts
	text         string
	valid        bool
}

// line returns draw's line for keys in room cells, drawing it only when the
// theme, the room or the keys changed since the last call.
func (h *helpMemo) line(t *themes.Theme, keys []key.Binding, room int, draw func() string) string {
	s := h.scratch[:0]
	for _, k := range keys {
		if k.Enabled() {
			s = append(s, 1)
		} else {
			s = append(s, 0)
		}
		s = append(s, k.Help().Key...)
		s = append(s, 0)
		s = append(s, k.Help().Desc...)
		s = append(s, 0)
	}
	if h.valid && h.theme == t && h.room == room && string(s) == string(h.sig) {
		h.scratch = s
		return h.text
	}
	h.sig, h.scratch = s, h.sig
	h.theme, h.room, h.text, h.valid = t, room, draw(), true
	return h.text
}
