package auditscreen

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// row is one action: its latest record and every state change it went
// through, oldest first.
type row struct {
	latest  audit.Record
	history []audit.Record
	search  string // every field in lower case, for the filter
}

// buildRows makes one row per action, newest first, keeping those whose
// fields contain query (ignoring case).
func buildRows(records []audit.Record, query string, loc *time.Location) []row {
	byID := map[string][]audit.Record{}
	for _, r := range records {
		byID[r.ID] = append(byID[r.ID], r)
	}
	latest := audit.Latest(records)
	q := strings.ToLower(query)
	out := make([]row, 0, len(latest))
	for i := len(latest) - 1; i >= 0; i-- {
		r := row{latest: latest[i], history: byID[latest[i].ID]}
		r.search = searchText(r, loc)
		if q == "" || strings.Contains(r.search, q) {
			out = append(out, r)
		}
	}
	return out
}

// searchText is what the filter looks in: every field of every state
// change, as shown and as recorded.
func searchText(r row, loc *time.Location) string {
	var b strings.Builder
	add := func(ss ...string) {
		for _, s := range ss {
			if s != "" {
				b.WriteString(strings.ToLower(termsafe.Clean(s)))
				b.WriteByte('\n')
			}
		}
	}
	for _, rec := range r.history {
		add(rec.Time.In(loc).Format("2006-01-02 15:04:05"), rec.ID, string(rec.State), stateWord(rec.State),
			rec.Actor.User, rec.Actor.Role, rec.Actor.KeyFingerprint, rec.Actor.Host,
			rec.Action, rec.Title, rec.Model, rec.Reason, rec.Adapter, rec.Target,
			change(rec), mapText(rec.Before), mapText(rec.After))
		if resp := rec.Response; resp != nil {
			add(resp.RunID, resp.URL, resp.Message)
			if resp.Status != 0 {
				add(fmt.Sprintf("http %d", resp.Status))
			}
		}
	}
	return b.String()
}

// change is the version change in short: "v8 → v7", the version acted
// on alone ("v3", a retrain), a silence's length ("silence 2h"), or "—".
func change(r audit.Record) string {
	b, a := r.Before["version"], r.After["version"]
	switch {
	case r.After["for"] != "": // a silence: how long
		return "silence " + r.After["for"]
	case r.After["state"] == "expired" && r.After["silence"] != "":
		return "unsilence"
	case b != "" && a != "":
		return "v" + b + " → v" + a
	case b != "":
		return "v" + b
	case a != "":
		return "→ v" + a
	}
	return "—"
}

// mapText is a before/after map in a stable order: "alias=champion version=8".
func mapText(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, " ")
}

// stateWord is a state as the screen says it.
func stateWord(s audit.State) string {
	if s == "" {
		return "—"
	}
	return termsafe.Clean(string(s))
}

// stateLook is a state's icon and style: never colour alone.
func stateLook(th *themes.Theme, g themes.Glyphs, s audit.State) (string, lipgloss.Style) {
	switch s {
	case audit.Requested:
		return g.Progressing, th.Progressing
	case audit.Succeeded:
		return g.OK, th.OK
	case audit.Failed:
		return g.Bad, th.Bad
	case audit.Unknown:
		return "?", th.Warn
	case audit.Refused:
		return g.Bad, th.Bad
	case audit.AwaitingApproval, audit.Approved:
		// Not an outcome yet: the action waits, or is about to be sent.
		return g.Progressing, th.Progressing
	case audit.Rejected, audit.Expired:
		return g.Bad, th.Bad
	}
	return g.Unknown, th.Unknown
}

// shortID is the request id's distinctive part: "4f0c1a2b" of
// "mltop-4f0c1a2b3c4d5e6f".
func shortID(id string) string {
	id = strings.TrimPrefix(termsafe.Clean(id), "mltop-")
	if r := []rune(id); len(r) > 8 {
		return string(r[:8])
	}
	return id
}

// stamp is a record's time: the time of day when it is from now's day,
// else the date too.
func stamp(t, now time.Time) string {
	t = t.In(now.Location())
	switch {
	case t.IsZero():
		return "—"
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04:05")
	case t.Year() == now.Year():
		return t.Format("Jan 02 15:04")
	}
	return t.Format("2006-01-02")
}

// actionName is the action as the log names it; a custom one by its title.
func actionName(r audit.Record) string {
	if r.Title != "" {
		return termsafe.Clean(r.Title)
	}
	return termsafe.Clean(r.Action)
}

// message is the latest response's message, "" when there is none.
func message(r audit.Record) string {
	if r.Response == nil {
		return ""
	}
	return termsafe.Clean(r.Response.Message)
}
