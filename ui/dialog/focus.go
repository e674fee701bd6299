package dialog

import "slices"

// Focus: which field has it, in tab order and by rows. It never starts on
// the confirm button, and reaches it only while it may be pressed.

// fields are the focusable fields in tab order; the confirm button only
// while it may be pressed.
func (m *Model) fields() []field {
	var out []field
	if m.hasPicker() {
		out = append(out, fieldPicker)
	}
	out = append(out, fieldReason)
	if m.plan.TypedName {
		out = append(out, fieldTyped)
	}
	out = append(out, fieldCancel)
	if m.canConfirm() {
		out = append(out, fieldConfirm)
	}
	return out
}

// move cycles the focus by step through every field (tab, shift+tab).
func (m *Model) move(step int) {
	fs := m.fields()
	i := slices.Index(fs, m.focus)
	if i < 0 {
		i = slices.Index(fs, fieldCancel)
	}
	m.setFocus(fs[(i+step+len(fs))%len(fs)])
}

// moveRow goes up or down a row (picker, reason, typed name, buttons),
// stopping at the ends; the buttons' row is entered on Cancel.
func (m *Model) moveRow(step int) {
	rows := slices.DeleteFunc(m.fields(), func(f field) bool { return f == fieldConfirm })
	cur := m.focus
	if cur == fieldConfirm {
		cur = fieldCancel
	}
	i := min(max(slices.Index(rows, cur)+step, 0), len(rows)-1)
	m.setFocus(rows[i])
}

func (m *Model) setFocus(f field) {
	m.focus = f
	m.reason.Blur()
	m.typed.Blur()
	switch f {
	case fieldReason:
		m.reason.Focus()
	case fieldTyped:
		m.typed.Focus()
	}
}
