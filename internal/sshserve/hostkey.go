package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/secretfile"
)

// HostKey is the server's key, loaded or made on first start.
type HostKey struct {
	PEM         []byte // OpenSSH private key
	Fingerprint string // SHA256:..., what clients show on first connect
	Created     bool   // made by this start
}

// LoadOrCreateHostKey reads the host key at path, or makes an ed25519 key
// there (mode 0600, its directory 0700 if it has to be created) with the
// public half next to it (path.pub). An existing key readable by others
// is refused, as sshd refuses it: anyone who can read it can pose as the
// server.
func LoadOrCreateHostKey(path string) (HostKey, error) {
	b, err := secretfile.ReadPEM(path)
	switch {
	case err == nil:
		return loadHostKey(path, b)
	case errors.Is(err, fs.ErrNotExist):
		k, err := createHostKey(path)
		if errors.Is(err, fs.ErrExist) {
			// Another start made it first: use that one.
			if b, err := secretfile.ReadPEM(path); err == nil {
				return loadHostKey(path, b)
			}
		}
		return k, err
	default:
		return HostKey{}, fmt.Errorf("host key: %w", err)
	}
}

func loadHostKey(path string, b []byte) (HostKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return HostKey{}, fmt.Errorf("host key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return HostKey{}, fmt.Errorf("host key %s is readable by other users (mode %04o): chmod 600 %s", path, st.Mode().Perm(), path)
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		return HostKey{}, fmt.Errorf("host key %s: %w", path, err)
	}
	return HostKey{PEM: b, Fingerprint: gossh.FingerprintSHA256(signer.PublicKey())}, nil
}

func createHostKey(path string) (HostKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return HostKey{}, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "mltop host key")
	if err != nil {
		return HostKey{}, fmt.Errorf("encode host key: %w", err)
	}
	b := pem.EncodeToMemory(block)
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return HostKey{}, fmt.Errorf("encode host key: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return HostKey{}, fmt.Errorf("host key directory: %w", err)
	}
	if err := writeNew(path, b, 0o600); err != nil {
		return HostKey{}, fmt.Errorf("write host key: %w", err)
	}
	// The public half is a convenience for known_hosts; the server runs without it.
	_ = writeNew(path+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644)
	return HostKey{PEM: b, Fingerprint: gossh.FingerprintSHA256(sshPub), Created: true}, nil
}

// writeNew writes a complete file at path or nothing: through a temporary
// file, synced, then linked into place, so a crash leaves no half key and
// an existing file is never replaced.
func writeNew(path string, b []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mltop-key-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() { _ = os.Remove(name) }()
	if err := tmp.Chmod(mode); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	err = os.Link(name, path)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// A file system without hard links: rename, which is atomic too.
		err = os.Rename(name, path)
	}
	return err
}
