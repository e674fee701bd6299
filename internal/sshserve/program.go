package sshserve

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	bm "charm.land/wish/v2/bubbletea"

	"github.com/mltop/mltop/ui/root"
)

// program builds the session's Bubble Tea program. Its input and output
// are the session; its colour profile comes from the session's own
// terminal type and environment (TERM from the pty request, COLORTERM and
// NO_COLOR if the client sends them), as wish's MakeOptions sets it up.
func (s *Server) program(sess ssh.Session) *tea.Program {
	ls := s.sessionOf(sess)
	if ls == nil {
		return nil
	}
	var m tea.Model
	if s.opts.NewModel != nil {
		m = s.opts.NewModel(ls)
	} else {
		m = ls.Dashboard()
	}
	opts := append(bm.MakeOptions(sess),
		tea.WithContext(s.force),
		tea.WithFPS(root.FPS),
		// The server's SIGINT and SIGTERM are for the server, which ends
		// the sessions itself: each program must not quit on them first.
		tea.WithoutSignalHandler(),
		// Replaces MakeOptions's filter, keeping what it does.
		tea.WithFilter(ls.filter),
	)
	p := tea.NewProgram(m, opts...)
	if !ls.setProgram(p) {
		return nil
	}
	return p
}

// filter notes input for the idle timeout, and turns suspend (ctrl+z)
// into resume: there is no shell on the server to return to.
func (s *Session) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.KeyPressMsg, tea.MouseMsg, tea.PasteMsg, tea.WindowSizeMsg:
		s.touch()
	}
	return msg
}

// sessionOf finds the registered session of an SSH session.
func (s *Server) sessionOf(sess ssh.Session) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ls := range s.sessions {
		if ls.ssh == sess {
			return ls
		}
	}
	return nil
}
