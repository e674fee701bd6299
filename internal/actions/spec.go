package actions

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// Spec describes one configured action, for menus and key bindings.
type Spec struct {
	Action string // Rollback, Retrain, or the custom key
	Key    string // the dashboard key: "R", "T", or the custom key
	Title  string
	Kind   string // adapter kind: mlflow-alias, airflow, webhook, ...
	Role   string // least role allowed to run it
	// Dangerous actions change what serves, or are marked so in the
	// config; they are hidden in read-only mode and ask for the model name.
	Dangerous bool
	States    []string // health states it is allowed in; empty = all
	// Missing says why the action cannot run in this configuration (no
	// Alertmanager for a silence); "" when it can. The dashboard greys
	// its key with it.
	Missing string

	cfg   config.Action
	typed bool // always asks for the model's name (promote --full)
}

// Visible reports whether the action is shown at all: dangerous actions are
// hidden in read-only mode; the others are shown disabled.
func (s Spec) Visible(readOnly bool) bool { return !readOnly || !s.Dangerous }

// Allowed reports whether the action may run on a model in this health
// state (custom actions' states; grey it out otherwise).
func (s Spec) Allowed(state fleet.Status) bool {
	return len(s.States) == 0 || slices.Contains(s.States, state.String())
}

// Permits reports whether a person with role may run the action.
func (s Spec) Permits(role string) bool { return roleRank(role) >= roleRank(s.Role) }

// roleRank orders roles; an unknown role ranks lowest.
func roleRank(role string) int {
	switch role {
	case config.RoleOperator:
		return 2
	case config.RoleViewer:
		return 1
	}
	return 0
}

// specs lists the configured actions: rollback (always: it has a default
// kind), retrain when configured, then the custom ones in config order.
func specs(a config.Actions) []Spec {
	var out []Spec
	if a.Rollback.Kind != "" {
		out = append(out, Spec{Action: Rollback, Key: "R", Title: "Roll back", Kind: a.Rollback.Kind,
			Role: config.RoleOperator, Dangerous: true, cfg: a.Rollback})
	}
	if a.Retrain.Kind != "" {
		out = append(out, Spec{Action: Retrain, Key: "T", Title: "Retrain", Kind: a.Retrain.Kind,
			Role: config.RoleOperator, cfg: a.Retrain})
	}
	if a.Rollout.Kind != "" {
		for _, name := range RolloutVerbs {
			v := rolloutVerbs[name]
			out = append(out, Spec{Action: name, Key: v.key, Title: v.title, Kind: a.Rollout.Kind, Role: config.RoleOperator,
				Dangerous: v.dangerous, typed: v.typed, cfg: a.Rollout})
		}
	}
	for _, c := range a.Custom {
		role := c.Role
		if role == "" {
			role = config.RoleOperator
		}
		out = append(out, Spec{Action: c.Key, Key: c.Key, Title: c.Title, Kind: c.Kind, Role: role,
			Dangerous: c.Dangerous, States: slices.Clone(c.States), cfg: c.Action})
	}
	return out
}

// gate applies the rules that need no I/O: read-only, role, model state.
// It returns why the request is refused, or "".
func (e *Executor) gate(s Spec, req Request) string {
	if e.readOnly {
		return e.readOnlyText()
	}
	if s.Missing != "" {
		return s.Missing
	}
	if !s.Permits(req.Actor.Role) {
		role := req.Actor.Role
		if role == "" {
			role = "no role"
		}
		return fmt.Sprintf("%s needs the %s role; %s has %s", strings.ToLower(s.Title), s.Role, orSomeone(req.Actor.User), role)
	}
	if len(s.States) > 0 {
		state := fleet.StatusUnknown
		if req.Snapshot != nil {
			state = req.Snapshot.Health.Status
		}
		if !s.Allowed(state) {
			return fmt.Sprintf("%s is allowed only while the model is %s; %s is %s",
				s.Title, strings.Join(s.States, " or "), req.Model, state)
		}
	}
	return ""
}

func orSomeone(user string) string {
	if user == "" {
		return "this user"
	}
	return user
}
