// Package sshserve serves the dashboard over SSH (`mltop serve`): one
// poller for everyone, one dashboard per session, with what each person's
// key allows. Built on Charm's wish, with soft-serve's middleware order.
package sshserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/recover"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/selfmetrics"
	"github.com/mltop/mltop/ui/root"
)

// Options configure a Server.
type Options struct {
	HostKey HostKey // LoadOrCreateHostKey
	// Users are who may connect, by public key; anyone else is refused
	// during authentication.
	Users       []config.User
	MaxSessions int           // 0: no limit
	IdleTimeout time.Duration // without a key press, mouse event or resize; 0: never
	// Hub is the one poller's snapshot hub every session subscribes to.
	Hub *poll.Hub
	// Actions runs what sessions ask for, as the session's user; nil: no
	// action keys, and every request is refused.
	Actions *actions.Executor
	// UI is what every session's dashboard shares (theme, read-only,
	// refresh, thresholds, history, context). Snapshots, Common, User,
	// Role, KeyFingerprint and Actions are set per session, and NoColor
	// when the session's environment sets NO_COLOR.
	UI root.Options
	// NewModel builds a session's model; default Session.Dashboard.
	NewModel func(*Session) tea.Model
	Metrics  *selfmetrics.Metrics // optional
	Logger   *slog.Logger
}

// HandshakeTimeout bounds how long a connection may take to authenticate.
const HandshakeTimeout = 30 * time.Second

// Server is an SSH server whose sessions are dashboards.
type Server struct {
	opts  Options
	keys  keyring
	log   *slog.Logger
	ssh   *ssh.Server
	force context.Context // cancelled when a shutdown stops waiting: programs are killed
	kill  context.CancelFunc

	mu       sync.Mutex
	sessions map[*Session]struct{}
	closing  bool
	wg       sync.WaitGroup // registered sessions

	// approvals are the actions waiting for a second operator, one store
	// per executor (the server's context's and every other context's),
	// shared by every session: an approval is sent by the executor it was
	// asked of, never another context's.
	approvals map[*actions.Executor]*actions.Approvals
}

// New checks the options, reads every user's keys and builds the server.
// Nothing listens until Serve.
func New(opts Options) (*Server, error) {
	if len(opts.HostKey.PEM) == 0 {
		return nil, errors.New("ssh server: no host key")
	}
	if opts.Hub == nil {
		return nil, errors.New("ssh server: no snapshot hub")
	}
	if len(opts.Users) == 0 {
		return nil, errors.New("ssh server: no users: list who may connect in serve.users")
	}
	keys, err := loadKeyring(opts.Users)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, keys: keys, log: opts.Logger, sessions: map[*Session]struct{}{},
		approvals: map[*actions.Executor]*actions.Approvals{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.force, s.kill = context.WithCancel(context.Background())
	srv, err := wish.NewServer(
		wish.WithHostKeyPEM(opts.HostKey.PEM),
		wish.WithVersion("mltop"),
		// Public keys only: no password or keyboard-interactive handler
		// exists, so the server does not offer those methods.
		wish.WithPublicKeyAuth(s.publicKey),
		ssh.EmulatePty(),
		func(srv *ssh.Server) error { srv.HandshakeTimeout = HandshakeTimeout; return nil },
		// soft-serve's order, outermost last: authentication runs first,
		// then the terminal check, logging, the session limits, and the UI.
		wish.WithMiddleware(recover.MiddlewareWithLogger(printfLogger{s.log},
			bm.MiddlewareWithProgramHandler(s.program),
			s.sessionLimits,
			s.logging,
			s.activeTerminal,
			s.authenticate,
		)),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// Serve accepts connections on ln until Shutdown, and then returns nil.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("ssh server: %w", err)
}

// Shutdown stops accepting connections, tells every open session that
// mltop is shutting down and ends it, and waits until ctx ends for the
// sessions to close and their clients to hang up; then it closes the
// connections left and kills what still runs. The error says what was
// still open at the deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	live := make([]*Session, 0, len(s.sessions))
	for ls := range s.sessions {
		live = append(live, ls)
	}
	s.mu.Unlock()

	// ssh.Server.Shutdown closes the listeners at once and then waits for
	// the connections, which the sessions' ends (or Close, below) close.
	waitConns, stopWaiting := context.WithCancel(context.Background())
	defer stopWaiting()
	connsClosed := make(chan struct{})
	go func() {
		defer close(connsClosed)
		_ = s.ssh.Shutdown(waitConns)
	}()
	for _, ls := range live {
		ls.stop(endShutdown)
	}
	ended := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(ended)
	}()
	var err error
	select {
	case <-ended:
		// Clients hang up once their session has closed; closing the
		// connections under them could cut the goodbye short.
		select {
		case <-connsClosed:
		case <-ctx.Done():
			err = fmt.Errorf("shutdown: connections still open: %w", ctx.Err())
		}
	case <-ctx.Done():
		err = fmt.Errorf("shutdown: sessions still open: %w", ctx.Err())
		s.kill()
		// A killed dashboard returns at once and its session says goodbye;
		// closing the connections first would cut that short. Bounded: a
		// client that reads nothing must not hold the shutdown.
		select {
		case <-ended:
		case <-time.After(killGrace):
		}
	}
	_ = s.ssh.Close()
	stopWaiting()
	<-connsClosed
	s.kill()
	<-ended
	return err
}

// killGrace is how long a shutdown past its deadline waits for killed
// sessions to say goodbye before it closes their connections.
const killGrace = time.Second

// approvalsFor is ex's approvals store, made on first use.
func (s *Server) approvalsFor(ex *actions.Executor) *actions.Approvals {
	s.mu.Lock()
	defer s.mu.Unlock()
	ap := s.approvals[ex]
	if ap == nil {
		ap = actions.NewApprovals(ex)
		s.approvals[ex] = ap
	}
	return ap
}

// Sessions returns the sessions open now.
func (s *Server) Sessions() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Session, 0, len(s.sessions))
	for ls := range s.sessions {
		out = append(out, ls)
	}
	return out
}

// publicKey decides authentication: a key listed in the config gets in.
// It may be called for keys a client only offers, so it decides nothing
// else; the authenticate middleware looks the key up again.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.keys.lookup(key); ok {
		return true
	}
	s.log.Info("ssh key refused", "fingerprint", fingerprint(key), "login", ctx.User(), "remote", ctx.RemoteAddr().String())
	return false
}

// printfLogger adapts slog to the Printf loggers of wish's middleware.
type printfLogger struct{ log *slog.Logger }

func (p printfLogger) Printf(format string, v ...any) {
	p.log.Error(fmt.Sprintf(format, v...))
}
