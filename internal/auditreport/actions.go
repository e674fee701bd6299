package auditreport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/mltop/mltop/internal/audit"
)

// actions reads the audit log: each action with a record in the period,
// from its first record (wherever it falls) to its last at or before the
// period's end.
func (b *builder) actions() Status {
	if b.in.AuditPath == "" {
		return unknown(SectionActions, "no audit log is configured (audit.path)")
	}
	if _, err := os.Stat(b.in.AuditPath); errors.Is(err, fs.ErrNotExist) {
		return Status{Name: SectionActions, Status: StatusOK,
			Detail: clean("no audit log at " + b.in.AuditPath + ": no action was taken through mltop with this config")}
	}
	// Every record is grouped by its action first: an action asked for
	// before the period and approved in it is the asker's, from when they
	// asked; records after the period do not say how it stood then.
	type entry struct {
		first, last audit.Record
		in          bool // a record falls in the period
	}
	byID := map[string]*entry{}
	var order []string
	torn, err := audit.New(b.in.AuditPath).ForContext(b.in.AuditContext).Scan(func(r audit.Record) error {
		if !b.wanted(r.Model) {
			return nil
		}
		e := byID[r.ID]
		if e == nil {
			e = &entry{first: r, last: r}
			byID[r.ID] = e
			order = append(order, r.ID)
		}
		if !r.Time.After(b.opts.To) {
			e.last = r
		}
		if !r.Time.Before(b.opts.From) && !r.Time.After(b.opts.To) {
			e.in = true
		}
		return nil
	})
	if err != nil {
		return unknown(SectionActions, err.Error())
	}
	for _, id := range order {
		e := byID[id]
		if !e.in {
			continue
		}
		m := b.model(e.first.Model)
		m.Actions = append(m.Actions, actionOf(e.first, e.last))
	}
	if torn > 0 {
		return Status{Name: SectionActions, Status: StatusPartial,
			Detail: fmt.Sprintf("%d unreadable line(s) in the audit log were skipped (a write cut short by a crash)", torn)}
	}
	return Status{Name: SectionActions, Status: StatusOK}
}

func actionOf(first, last audit.Record) Action {
	who := last.Actor
	requestedBy := last.RequestedBy
	if first.Actor.User != "" {
		// The requester is on the first record; a second operator's
		// approval is on later ones.
		who = first.Actor
	}
	reason := first.Reason
	if reason == "" {
		reason = last.Reason
	}
	a := Action{
		ID: clean(first.ID), Requested: first.Time.UTC(), Time: last.Time.UTC(),
		Action: clean(or(last.Title, last.Action)), Change: clean(audit.Change(last.Before, last.After)),
		State: clean(string(last.State)), User: clean(who.User), Host: clean(who.Host), Role: clean(who.Role),
		RequestedBy: clean(requestedBy), ApprovedBy: clean(last.ApprovedBy), Reason: clean(reason),
	}
	if r := last.Response; r != nil {
		a.Outcome = r.Summary()
		if r.RunID != "" {
			a.Outcome = strings.TrimSpace(a.Outcome + " run " + r.RunID)
		}
		a.Outcome = clean(a.Outcome)
	}
	return a
}
