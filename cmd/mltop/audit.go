package main

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// cmdAudit prints the audit log, oldest first. Torn lines (a crash
// mid-write) are counted on stderr, not fatal.
func cmdAudit(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("audit", stderr)
	var c globalFlags
	c.register(fs)
	demo := fs.Bool("demo", false, "the demo's audit log")
	var f audit.Filter
	fs.StringVar(&f.Model, "model", "", "only this model")
	fs.StringVar(&f.Action, "action", "", "only this action (rollback, retrain, or a custom key)")
	state := fs.String("state", "", "only this state (requested, succeeded, failed, unknown, refused)")
	since := fs.String("since", "", "only records this recent (24h, 7d) or since this time (RFC 3339)")
	format := fs.String("format", "text", "text or json (JSON lines)")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop audit: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if *format != "text" && *format != "json" {
		termsafe.Fprintf(stderr, "mltop audit: --format must be text or json, not %q\n", *format)
		return exitFailure
	}
	f.State = audit.State(strings.ToLower(*state))
	if f.State != "" && !slices.Contains(auditStates, f.State) {
		termsafe.Fprintf(stderr, "mltop audit: --state must be one of %s, not %q\n", joinStates(auditStates), *state)
		return exitFailure
	}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			termsafe.Fprintf(stderr, "mltop audit: --since: %v\n", err)
			return exitFailure
		}
		f.Since = t
	}
	paths := []string{filepath.Join(wiring.StateDir(), "demo-audit.jsonl")}
	if !*demo {
		cfg, _, err := c.loadConfig(io.Discard)
		if err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return exitFailure
		}
		paths = []string{cfg.Audit.Path}
		if c.context != "" {
			// A log the contexts share: the one asked for. Without
			// --context, every record, each saying its context.
			f.Context = cfg.ContextName
		} else {
			paths = auditPaths(cfg)
		}
	}
	path := strings.Join(paths, ", ")
	// The log is printed as it is read, so a large one takes no more
	// memory than a small one.
	out := bufio.NewWriterSize(stdout, 64<<10)
	enc := termsafe.NewJSONEncoder(out)
	matched := 0
	torn, err := audit.ScanMerged(paths, func(r audit.Record) error {
		if !f.Match(r) {
			return nil
		}
		matched++
		if *format == "json" {
			return enc.Encode(r)
		}
		termsafe.Fprintln(out, auditLine(r)) // a write error shows at Flush
		return nil
	})
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if torn > 0 {
		termsafe.Fprintf(stderr, "mltop audit: %d unreadable line(s) skipped in %s (a write cut short by a crash)\n", torn, path)
	}
	if matched == 0 && *format != "json" {
		termsafe.Fprintf(stdout, "no records in %s\n", path)
	}
	return exitOK
}

// auditPaths are the audit logs of every context, each once, in the
// order the contexts are written: contexts may write their own
// audit.path, and `mltop audit` without --context lists them all.
func auditPaths(cfg *config.Config) []string {
	if len(cfg.Contexts) == 0 {
		return []string{cfg.Audit.Path}
	}
	var out []string
	for _, ctx := range cfg.Contexts {
		if p := ctx.Config.Audit.Path; !slices.ContainsFunc(out, func(o string) bool { return filepath.Clean(o) == filepath.Clean(p) }) {
			out = append(out, p)
		}
	}
	return out
}

// auditStates are the states a record can have, for --state.
var auditStates = []audit.State{audit.Requested, audit.Succeeded, audit.Failed, audit.Unknown, audit.Refused,
	audit.AwaitingApproval, audit.Approved, audit.Rejected, audit.Expired}

func joinStates(states []audit.State) string {
	s := make([]string, len(states))
	for i, st := range states {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

// auditLine is one record in one line, every free-text part cleaned of
// control characters.
func auditLine(r audit.Record) string {
	action := r.Action
	if r.Title != "" {
		action += " (" + r.Title + ")"
	}
	who := r.Actor.User
	if r.Actor.Host != "" {
		who += "@" + r.Actor.Host
	}
	who += " " + r.Actor.Role
	if r.RequestedBy != "" {
		who += ", asked by " + r.RequestedBy
	}
	if r.ApprovedBy != "" {
		who += ", approved by " + r.ApprovedBy
	}
	parts := []string{r.Time.Local().Format("2006-01-02 15:04:05"), fmt.Sprintf("%-9s", r.State), action, r.Model}
	if r.Context != "" {
		parts = append(parts, "in "+r.Context)
	}
	if ch := audit.Change(r.Before, r.After); ch != "" {
		parts = append(parts, ch)
	}
	parts = append(parts, who)
	if r.Reason != "" {
		parts = append(parts, strconv.Quote(r.Reason))
	}
	if resp := r.Response; resp != nil {
		var s []string
		if sum := resp.Summary(); sum != "" {
			s = append(s, sum)
		}
		switch {
		case resp.RunID != "" && (r.Action == actions.Silence || r.Action == actions.Unsilence):
			if !strings.Contains(resp.Message, resp.RunID) {
				s = append(s, "silence "+resp.RunID)
			}
		case resp.RunID != "":
			s = append(s, "run "+resp.RunID)
		}
		if len(s) > 0 {
			parts = append(parts, strings.Join(s, " "))
		}
	}
	parts = append(parts, r.ID)
	for i := range parts {
		parts[i] = termsafe.Clean(parts[i])
	}
	return strings.Join(parts, "  ")
}

// parseSince reads a duration back from now (24h, 7d) or a time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n float64
		n, err = strconv.ParseFloat(days, 64)
		d = time.Duration(n * float64(24*time.Hour))
	}
	if err != nil || d <= 0 {
		return time.Time{}, fmt.Errorf("want a duration such as 24h or 7d, or an RFC 3339 time; got %q", s)
	}
	return now.Add(-d), nil
}
