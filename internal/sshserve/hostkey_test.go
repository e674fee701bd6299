package sshserve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestHostKeyIsMadeOnceWithPrivateModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "mltop")
	path := filepath.Join(dir, "ssh_host_ed25519")
	k, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !k.Created || !strings.HasPrefix(k.Fingerprint, "SHA256:") {
		t.Errorf("first start: %+v, want a new key with a SHA256 fingerprint", k)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %04o, want %04o", p, got, want)
		}
	}
	signer, err := gossh.ParsePrivateKey(k.PEM)
	if err != nil || signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("key %v, err %v; want ed25519", signer, err)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pk, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil || gossh.FingerprintSHA256(pk) != k.Fingerprint {
		t.Errorf("public key file %q does not match (err %v)", pub, err)
	}
	again, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.Fingerprint != k.Fingerprint {
		t.Errorf("second start: created %v, fingerprint %s; want the same key %s", again.Created, again.Fingerprint, k.Fingerprint)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".mltop-key-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestHostKeyReadableByOthersIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if _, err := LoadOrCreateHostKey(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateHostKey(path)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("err %v, want a refusal saying chmod 600", err)
	}
}

func TestHostKeyThatIsNotAKeyIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("err %v, want an error naming %s", err, path)
	}
}

// A host key path that names an endless file (/dev/zero by mistake) is
// refused after a bounded read, not read until memory runs out.
func TestHostKeyReadIsBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := LoadOrCreateHostKey("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("err %v, want a refusal saying the file is too large", err)
	}
}
