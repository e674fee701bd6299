package sshserve

import (
	"errors"
	"fmt"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"
)

var errNoActions = errors.New("no actions are configured on this server")

// identityKey is where authenticate leaves the session's identity.
type identityKey struct{}

func identityOf(sess ssh.Session) (Identity, bool) {
	id, ok := sess.Context().Value(identityKey{}).(Identity)
	return id, ok
}

func fingerprint(key ssh.PublicKey) string {
	if key == nil {
		return ""
	}
	return gossh.FingerprintSHA256(key)
}

// refuse prints one line and ends the session with status 1.
func refuse(sess ssh.Session, line string) {
	wish.Println(sess, line)
	_ = sess.Exit(1)
}

// authenticate looks the session's key up again, as soft-serve does: the
// key handler also sees keys a client merely offers, so only the key the
// session was authenticated with decides who this is.
func (s *Server) authenticate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		id, ok := s.keys.lookup(sess.PublicKey())
		if !ok {
			s.log.Warn("ssh session without a listed key", "remote", sess.RemoteAddr().String())
			refuse(sess, "mltop: this key is not allowed here.")
			return
		}
		sess.Context().SetValue(identityKey{}, id)
		next(sess)
	}
}

// activeTerminal turns away sessions the dashboard cannot draw in: no
// terminal (ssh without -t and with a command, or a script), or a command.
func (s *Server) activeTerminal(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if len(sess.Command()) > 0 {
			s.opts.Metrics.SessionRefused("command")
			refuse(sess, "mltop serve shows the dashboard only: connect without a command.")
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			s.opts.Metrics.SessionRefused("no_terminal")
			refuse(sess, "mltop serve needs a terminal: connect with ssh -t.")
			return
		}
		next(sess)
	}
}

// logging records who connected, from where, with which terminal, and
// for how long.
func (s *Server) logging(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		id, _ := identityOf(sess)
		pty, _, _ := sess.Pty()
		start := time.Now()
		log := s.log.With("user", id.User, "role", id.Role, "fingerprint", id.Fingerprint, "remote", sess.RemoteAddr().String())
		log.Info("ssh session started", "login", sess.User(), "term", pty.Term,
			"width", pty.Window.Width, "height", pty.Window.Height, "client", sess.Context().ClientVersion())
		next(sess)
		log.Info("ssh session ended", "duration", time.Since(start).Round(time.Millisecond).String())
	}
}

// sessionLimits admits a session (or says why not), subscribes it to the
// hub, watches it for idleness, and after its dashboard closed says why
// the server ended it, if the server did.
func (s *Server) sessionLimits(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		id, _ := identityOf(sess)
		ls, reason, msg := s.register(sess, id)
		if ls == nil {
			s.opts.Metrics.SessionRefused(reason)
			s.log.Info("ssh session refused", "user", id.User, "reason", reason)
			refuse(sess, msg)
			return
		}
		s.opts.Metrics.SessionOpened()
		defer s.opts.Metrics.SessionClosed()
		defer s.unregister(ls)
		next(sess)
		if bye := ls.goodbye(); bye != "" {
			wish.Println(sess, bye)
			// The exit status before the session leaves the list: a
			// shutdown waiting for the list may close the connection.
			_ = sess.Exit(0)
		}
	}
}

// register admits a session unless the server is closing or full.
func (s *Server) register(sess ssh.Session, id Identity) (ls *Session, reason, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return nil, "shutting_down", "mltop is shutting down: try again in a moment."
	case s.opts.MaxSessions > 0 && len(s.sessions) >= s.opts.MaxSessions:
		return nil, "full", fmt.Sprintf("mltop: all %d sessions are in use; try again later.", s.opts.MaxSessions)
	}
	ls = &Session{srv: s, id: id, ssh: sess}
	ls.snapshots, ls.unsub = s.opts.Hub.Subscribe()
	ls.touch()
	if s.opts.IdleTimeout > 0 {
		// Under the session's lock: checkIdle re-arms the timer under it.
		ls.mu.Lock()
		ls.idle = time.AfterFunc(s.opts.IdleTimeout, ls.checkIdle)
		ls.mu.Unlock()
	}
	s.sessions[ls] = struct{}{}
	s.wg.Add(1)
	return ls, "", ""
}

func (s *Server) unregister(ls *Session) {
	ls.mu.Lock()
	ls.done = true
	if ls.idle != nil {
		ls.idle.Stop()
	}
	ls.mu.Unlock()
	ls.unsub()
	s.mu.Lock()
	delete(s.sessions, ls)
	s.mu.Unlock()
	s.wg.Done()
}
