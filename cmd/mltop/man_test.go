package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/testenv"
)

// mltop man --dir writes mltop.1 and a page per command, each with the
// flags the command parses; man renders every one of them.
func TestManPagesCoverEveryCommand(t *testing.T) {
	isolate(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1780000000") // reproducible pages: the date is the release's
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"man", "--dir", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("man --dir: exit %d: %s", code, stderr.String())
	}
	pages := map[string]*flag.FlagSet{"mltop.1": nil}
	for _, c := range commands() {
		if c.name == "" || c.name == "help" {
			continue
		}
		if c.flagless {
			pages["mltop-"+c.name+".1"] = nil
		} else {
			pages["mltop-"+c.name+".1"] = probeFlags(c.run)
		}
		for _, s := range c.subs {
			pages["mltop-"+c.name+"-"+s.name+".1"] = probeFlags(c.run, s.name)
		}
	}
	man, manErr := exec.LookPath("man")
	if manErr != nil && testenv.Required() {
		t.Fatal("man is not installed: apt-get install man-db (MLTOP_REQUIRE_INTEGRATION=1)")
	}
	for page, fs := range pages {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Errorf("no page %s: %v", page, err)
			continue
		}
		if !bytes.HasPrefix(b, []byte(".nh\n.TH \"MLTOP\" \"1\"")) {
			t.Errorf("%s does not start as a section 1 page: %.80q", page, b)
		}
		if fs != nil {
			fs.VisitAll(func(f *flag.Flag) {
				if !bytes.Contains(b, []byte(`\fB--`+f.Name+`\fP`)) {
					t.Errorf("%s lacks --%s", page, f.Name)
				}
			})
		}
		if manErr != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, man, "-l", filepath.Join(dir, page))
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=100")
		out, err := cmd.Output()
		cancel()
		if err != nil || !bytes.Contains(out, []byte("SYNOPSIS")) {
			t.Errorf("man -l %s: %v\n%.500s", page, err, out)
		}
	}
	// mltop.1, what man mltop shows, lists every command.
	root, _ := os.ReadFile(filepath.Join(dir, "mltop.1"))
	for _, c := range commands() {
		if c.name != "" && c.name != "help" && !strings.Contains(string(root), "mltop "+c.name) {
			t.Errorf("mltop.1 does not list mltop %s", c.name)
		}
	}
	// Without --dir the page is mltop.1 itself.
	stdout.Reset()
	if code := run([]string{"man"}, &stdout, &stderr); code != exitOK || !bytes.Equal(stdout.Bytes(), root) {
		t.Errorf("mltop man: exit %d, and its output differs from mltop.1", code)
	}
}
