package sshserve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
)

// Identity is who a session belongs to: the configured user its key is
// listed for, that user's role, and the key itself.
type Identity struct {
	User        string // serve.users[].name
	Role        string // config.RoleViewer or config.RoleOperator
	Fingerprint string // the key's SHA256 fingerprint, as ssh-keygen -l prints it
}

// Actor is the identity as the action executor and the audit log know it.
func (id Identity) Actor() actions.Actor {
	return actions.Actor{User: id.User, Role: id.Role, KeyFingerprint: id.Fingerprint}
}

// keyring maps public keys to identities. It is built once, at start, and
// only read afterwards.
type keyring map[string]Identity // by the key's wire encoding

func (k keyring) lookup(key gossh.PublicKey) (Identity, bool) {
	if key == nil {
		return Identity{}, false
	}
	id, ok := k[string(key.Marshal())]
	return id, ok
}

// loadKeyring reads every user's inline keys and authorized_keys file. A
// key that cannot be parsed, an unreadable file, or a key listed for two
// users is an error: an access list is better refused than half-read.
func loadKeyring(users []config.User) (keyring, error) {
	k := keyring{}
	for i, u := range users {
		where := fmt.Sprintf("serve.users[%d] (%s)", i, u.Name)
		if u.Role != config.RoleViewer && u.Role != config.RoleOperator {
			return nil, fmt.Errorf("%s: role must be %q or %q, got %q", where, config.RoleViewer, config.RoleOperator, u.Role)
		}
		for j, line := range u.Keys {
			key, err := parseKeyLine([]byte(line))
			if err != nil {
				return nil, fmt.Errorf("%s.keys[%d]: %w", where, j, err)
			}
			if err := k.add(key, u); err != nil {
				return nil, fmt.Errorf("%s.keys[%d]: %w", where, j, err)
			}
		}
		if u.AuthorizedKeys == "" {
			continue
		}
		keys, err := readAuthorizedKeys(u.AuthorizedKeys)
		if err != nil {
			return nil, fmt.Errorf("%s.authorized_keys: %w", where, err)
		}
		for _, key := range keys {
			if err := k.add(key, u); err != nil {
				return nil, fmt.Errorf("%s.authorized_keys %s: %w", where, u.AuthorizedKeys, err)
			}
		}
	}
	return k, nil
}

func (k keyring) add(key gossh.PublicKey, u config.User) error {
	id := Identity{User: u.Name, Role: u.Role, Fingerprint: gossh.FingerprintSHA256(key)}
	if prev, ok := k[string(key.Marshal())]; ok && prev.User != u.Name {
		return fmt.Errorf("key %s is already listed for user %s: one key, one person", id.Fingerprint, prev.User)
	}
	k[string(key.Marshal())] = id
	return nil
}

// errOptions refuses authorized_keys options that would restrict a key in
// ways mltop does not enforce (from=, command=, expiry-time=, no-pty, ...):
// such a key is rejected rather than accepted with fewer limits than its
// owner set. restrict and the other no-* options are accepted because
// mltop serve grants none of what they forbid (forwarding, agent, X11, rc
// files, commands); it does need a terminal, so no-pty cannot be honoured.
var errOptions = errors.New("only the options restrict, pty and no-* (other than no-pty) are supported")

// parseKeyLine parses one authorized_keys line.
func parseKeyLine(line []byte) (gossh.PublicKey, error) {
	key, _, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return nil, fmt.Errorf("not an SSH public key: %w", err)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("one key per line")
	}
	for _, o := range options {
		o = strings.ToLower(o)
		if o == "restrict" || o == "pty" || (strings.HasPrefix(o, "no-") && o != "no-pty" && !strings.Contains(o, "=")) {
			continue
		}
		return nil, fmt.Errorf("option %q: %w", o, errOptions)
	}
	return key, nil
}

// readAuthorizedKeys reads a file in authorized_keys format: one key per
// line, blank lines and # comments ignored.
func readAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read authorized keys: %w", err)
	}
	defer func() { _ = f.Close() }()
	var keys []gossh.PublicKey
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, err := parseKeyLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		keys = append(keys, key)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return keys, nil
}
