package sshserve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

func TestKeyringFromInlineKeysAndAuthorizedKeysFile(t *testing.T) {
	ana, bob, cat := newPerson(t), newPerson(t), newPerson(t)
	file := filepath.Join(t.TempDir(), "authorized_keys")
	content := "# team keys\n\n" + bob.line + " bob@laptop\nrestrict,pty " + cat.line + "\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := loadKeyring([]config.User{
		{Name: "ana", Role: config.RoleOperator, Keys: []string{ana.line + " ana@work"}},
		{Name: "team", Role: config.RoleViewer, AuthorizedKeys: file},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p          person
		user, role string
	}{{ana, "ana", config.RoleOperator}, {bob, "team", config.RoleViewer}, {cat, "team", config.RoleViewer}} {
		id, ok := k.lookup(c.p.signer.PublicKey())
		if !ok || id.User != c.user || id.Role != c.role || id.Fingerprint != c.p.fp {
			t.Errorf("lookup: %+v %v, want %s %s %s", id, ok, c.user, c.role, c.p.fp)
		}
	}
	if _, ok := k.lookup(newPerson(t).signer.PublicKey()); ok {
		t.Error("an unlisted key was found")
	}
	if _, ok := k.lookup(nil); ok {
		t.Error("no key was found")
	}
}

func TestKeyringRefusesWhatItCannotHonour(t *testing.T) {
	p := newPerson(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for name, c := range map[string]struct {
		users []config.User
		want  string
	}{
		"not a key": {[]config.User{{Name: "a", Role: config.RoleViewer, Keys: []string{"ssh-ed25519 AAAAnope"}}}, "serve.users[0] (a).keys[0]: not an SSH public key"},
		"one key, two people": {[]config.User{
			{Name: "a", Role: config.RoleViewer, Keys: []string{p.line}},
			{Name: "b", Role: config.RoleOperator, Keys: []string{p.line}},
		}, "already listed for user a"},
		"from= option": {[]config.User{{Name: "a", Role: config.RoleViewer,
			AuthorizedKeys: write("from", `from="10.0.0.0/8" `+p.line+"\n")}}, "from:1: option"},
		"no-pty":       {[]config.User{{Name: "a", Role: config.RoleViewer, Keys: []string{"no-pty " + p.line}}}, `option "no-pty"`},
		"missing file": {[]config.User{{Name: "a", Role: config.RoleViewer, AuthorizedKeys: filepath.Join(dir, "none")}}, "serve.users[0] (a).authorized_keys: read authorized keys"},
		"bad role":     {[]config.User{{Name: "a", Role: "admin", Keys: []string{p.line}}}, `role must be "viewer" or "operator"`},
	} {
		_, err := loadKeyring(c.users)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
	}
}

func TestNoColorFromTheSessionEnvironment(t *testing.T) {
	for env, want := range map[string]bool{"NO_COLOR=1": true, "NO_COLOR=": false, "TERM=xterm": false, "XNO_COLOR=1": false} {
		if got := noColor([]string{"LANG=C", env}); got != want {
			t.Errorf("%s: %v, want %v", env, got, want)
		}
	}
}
