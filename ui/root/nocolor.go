package root

import tea "charm.land/bubbletea/v2"

// toggleColor turns colours off, or back on to the theme in use before.
// It is the key for what NO_COLOR and --no-color do at start, for people
// whose SSH client does not forward NO_COLOR.
func (m *Model) toggleColor() tea.Cmd {
	if m.theme.name == "no-color" {
		back := m.colorTheme
		if back == "" || back == "no-color" {
			back = "auto"
		}
		cmd := m.setTheme(back)
		m.flash.set("colours on (theme "+m.theme.name+")", false, m.c.Now)
		return cmd
	}
	m.colorTheme = m.theme.name
	cmd := m.setTheme("no-color")
	m.flash.set("colours off: ctrl+t turns them back on", false, m.c.Now)
	return cmd
}
