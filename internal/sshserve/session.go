package sshserve

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/root"
)

// Why the server ended a session; the user quitting is no reason.
const (
	endShutdown = "shutdown"
	endIdle     = "idle"
)

// Session is one person's dashboard: their identity, their subscription
// to the shared hub, and their own program and root model.
type Session struct {
	srv       *Server
	id        Identity
	ssh       ssh.Session
	snapshots <-chan fleet.Snapshot
	unsub     func()
	lastInput atomic.Int64 // unix nanoseconds of the last key, mouse event or resize

	mu      sync.Mutex
	program *tea.Program
	ended   string // endShutdown, endIdle, or "" while open or after a quit
	done    bool   // unregistered: the idle timer must not re-arm
	idle    *time.Timer
}

// Identity is who the session belongs to.
func (s *Session) Identity() Identity { return s.id }

// RemoteAddr is where the session connects from.
func (s *Session) RemoteAddr() string { return s.ssh.RemoteAddr().String() }

// Environ is the environment the client sent (ssh -o SendEnv=...).
func (s *Session) Environ() []string { return s.ssh.Environ() }

// Snapshots is the session's subscription to the shared hub. Exactly one
// model may read it.
func (s *Session) Snapshots() <-chan fleet.Snapshot { return s.snapshots }

// Dashboard builds the session's root model: the server's shared UI
// options with this session's subscription, identity, colour choice and
// actions. A viewer's dashboard greys the action keys and says why (the
// role); the executor refuses a viewer's actions anyway.
func (s *Session) Dashboard() *root.Model { return root.New(s.DashboardOptions()) }

// DashboardOptions are the options Dashboard builds the session's root
// with (a dashboard over several contexts builds its first root from them).
func (s *Session) DashboardOptions() root.Options {
	o := s.srv.opts.UI
	o.Common = nil
	o.Snapshots = s.snapshots
	o.Done = s.ssh.Context() // a look back ends with the connection
	o.User, o.Role, o.KeyFingerprint = s.id.User, s.id.Role, s.id.Fingerprint
	o.NoColor = o.NoColor || noColor(s.ssh.Environ())
	o.Actions = nil
	if s.srv.opts.Actions != nil {
		// Every request this dashboard makes is this session's, through
		// the server's executor (which names its context when read-only).
		o.Actions = s.own()
	}
	return o
}

// Context ends when the session's connection does.
func (s *Session) Context() context.Context { return s.ssh.Context() }

// noColor reports whether env sets NO_COLOR to anything (no-color.org).
func noColor(env []string) bool {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return true
		}
	}
	return false
}

// touch marks input from the person at the terminal.
func (s *Session) touch() { s.lastInput.Store(time.Now().UnixNano()) }

// setProgram attaches the session's program; false when the session was
// ended before it started.
func (s *Session) setProgram(p *tea.Program) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended != "" {
		return false
	}
	s.program = p
	return true
}

// stop ends the session for reason: its program quits, which restores the
// terminal, and the session then says why it ended.
func (s *Session) stop(reason string) {
	s.mu.Lock()
	if s.ended == "" {
		s.ended = reason
	}
	p := s.program
	s.mu.Unlock()
	if p != nil {
		// Quit waits for the program's event loop, which may be busy: do
		// not hold up the caller (a shutdown stopping every session).
		go p.Quit()
	}
}

// checkIdle ends the session if nothing was typed for the idle timeout,
// and otherwise looks again when it could next be idle.
func (s *Session) checkIdle() {
	limit := s.srv.opts.IdleTimeout
	quiet := time.Since(time.Unix(0, s.lastInput.Load()))
	if quiet >= limit {
		s.stop(endIdle)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.idle.Reset(limit - quiet)
	}
}

// goodbye is what the session prints after its dashboard closed, or "".
func (s *Session) goodbye() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.ended {
	case endShutdown:
		return "mltop is shutting down: this session has ended."
	case endIdle:
		return "mltop: session closed after " + config.FormatDuration(s.srv.opts.IdleTimeout) + " without input."
	}
	return ""
}
