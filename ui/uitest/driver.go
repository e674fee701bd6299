package uitest

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Driver runs a tea.Model as the Bubble Tea runtime would, for flow
// tests: commands run on their own goroutines and their messages come
// back to Update on the test's goroutine, one at a time, while Until
// waits for a condition with a deadline (ticks and subscriptions run for
// real; nothing sleeps).
type Driver struct {
	t    testing.TB
	M    tea.Model
	msgs chan tea.Msg
	done chan struct{}
}

// NewDriver starts m: its Init commands run.
func NewDriver(t testing.TB, m tea.Model) *Driver {
	d := &Driver{t: t, M: m, msgs: make(chan tea.Msg, 64), done: make(chan struct{})}
	t.Cleanup(func() { close(d.done) })
	d.run(m.Init())
	return d
}

// run executes cmd off the test's goroutine, batches command by command.
func (d *Driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				d.run(c)
			}
			return
		}
		if msg == nil {
			return
		}
		select {
		case d.msgs <- msg:
		case <-d.done:
		}
	}()
}

// Send hands msg to the model and runs the command it returns.
func (d *Driver) Send(msg tea.Msg) {
	d.t.Helper()
	if _, ok := msg.(tea.QuitMsg); ok {
		return
	}
	var cmd tea.Cmd
	d.M, cmd = d.M.Update(msg)
	d.run(cmd)
}

// Keys presses keys by name (see Press); a longer word is typed.
func (d *Driver) Keys(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		if p := Press(k); p.Text == "" || len([]rune(k)) == 1 {
			d.Send(p)
			continue
		}
		for _, r := range k {
			d.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
}

// Command types a : command and runs it.
func (d *Driver) Command(line string) {
	d.t.Helper()
	d.Keys(":", line, "enter")
}

// Until delivers messages until cond holds; the test fails after within.
func (d *Driver) Until(what string, within time.Duration, cond func() bool) {
	d.t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for !cond() {
		select {
		case msg := <-d.msgs:
			d.Send(msg)
		case <-deadline.C:
			d.t.Fatalf("after %s: %s did not happen; screen:\n%s", within, what, d.Plain())
		}
	}
}

// Plain is the model's frame without styling.
func (d *Driver) Plain() string {
	v := d.M.View()
	return ansi.Strip(v.Content)
}

// Shows reports whether the frame contains every text.
func (d *Driver) Shows(texts ...string) bool {
	p := d.Plain()
	for _, s := range texts {
		if !strings.Contains(p, s) {
			return false
		}
	}
	return true
}
