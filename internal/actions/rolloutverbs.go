package actions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

// The verbs of a progressive rollout, as `kubectl argo rollouts` has them;
// each is an action of its own (configured once, under actions.rollout).
const (
	RolloutAbort       = "rollout-abort"
	RolloutPromote     = "rollout-promote"
	RolloutPromoteFull = "rollout-promote-full"
	RolloutPause       = "rollout-pause"
	RolloutResume      = "rollout-resume"
	RolloutRetry       = "rollout-retry"
)

// RolloutVerbs lists the rollout actions in the order menus show them.
var RolloutVerbs = []string{RolloutAbort, RolloutPromote, RolloutPromoteFull, RolloutPause, RolloutResume, RolloutRetry}

// IsRolloutVerb reports whether action is one of the rollout verbs.
func IsRolloutVerb(action string) bool { return rolloutVerbs[action] != nil }

// rolloutVerb is what one verb checks, sends and says.
type rolloutVerb struct {
	title string
	key   string // the dashboard's key; pause and resume share Z
	// allowed is the state rule on the rollout as the metrics show it,
	// for greying the key: the executor checks the Rollout itself.
	allowed func(r *fleet.Rollout) bool
	rule    string // the rule, in words
	// dangerous: it moves traffic (hidden in read-only mode, and a typed
	// name when the model's tags ask for it); typed: always a typed name.
	dangerous, typed bool
	// refuse says why the rollout's state does not allow the verb; "".
	refuse func(r *rolloutObject) string
	// patches are the merge-patches sent, in order, as the kubectl plugin
	// sends them.
	patches func(r *rolloutObject) []rolloutPatch
	// next is the rollout as it will be: step index, weight, paused, aborted.
	next func(r *rolloutObject) rolloutPoint
	// meaning says what follows, in operators' words.
	meaning func(r *rolloutObject, stable string) string
}

// rolloutPatch is one merge-patch, of the status subresource or the spec.
type rolloutPatch struct {
	status bool
	body   map[string]any
}

// rolloutPoint is where a rollout stands.
type rolloutPoint struct {
	step            int
	weight          int32
	paused, aborted bool
}

func (r *rolloutObject) point() rolloutPoint {
	return rolloutPoint{step: r.stepIndex(), weight: r.weight(), paused: r.paused(), aborted: r.Status.Abort}
}

func (p rolloutPoint) fields(r *rolloutObject) map[string]string {
	m := map[string]string{"weight": strconv.Itoa(int(p.weight)), "paused": strconv.FormatBool(p.paused),
		"aborted": strconv.FormatBool(p.aborted)}
	if s := r.stepOf(p.step); s != "" {
		m["step"] = s
	}
	return m
}

func statusPatch(fields map[string]any) rolloutPatch {
	return rolloutPatch{status: true, body: map[string]any{"status": fields}}
}

func specPatch(fields map[string]any) rolloutPatch {
	return rolloutPatch{body: map[string]any{"spec": fields}}
}

// inFlight: abort and promote apply only to a rollout under way.
func inFlight(verb string, r *rolloutObject) string {
	switch {
	case r.Status.Abort:
		return fmt.Sprintf("%s is aborted: retry starts the update again", r.Metadata.Name)
	case r.Status.Phase != "Progressing" && r.Status.Phase != "Paused":
		return fmt.Sprintf("%s applies only while a rollout is progressing or paused; %s is %s",
			verb, r.Metadata.Name, r.phase())
	}
	return ""
}

var rolloutVerbs = map[string]*rolloutVerb{
	RolloutAbort: {
		title: "Abort rollout", dangerous: true, key: "A",
		allowed: func(r *fleet.Rollout) bool { return r.Phase == "Progressing" || r.Phase == "Paused" },
		rule:    "only while the rollout is progressing or paused",
		refuse:  func(r *rolloutObject) string { return inFlight("abort", r) },
		patches: func(*rolloutObject) []rolloutPatch { return []rolloutPatch{statusPatch(map[string]any{"abort": true})} },
		next: func(r *rolloutObject) rolloutPoint {
			p := r.point()
			p.weight, p.aborted = 0, true
			return p
		},
		meaning: func(_ *rolloutObject, stable string) string {
			return "abort: traffic returns to stable" + stable + " at once; the canary scales down; " +
				"the rollout stays Degraded until it is retried or a new version is applied"
		},
	},
	RolloutPromote: {
		title: "Promote rollout", dangerous: true, key: "P",
		allowed: func(r *fleet.Rollout) bool {
			return r.Phase == "Paused" || r.Phase == "Progressing" && (r.Step == nil || r.Steps == nil || *r.Step <= *r.Steps)
		},
		rule: "only while the rollout is paused, or progressing with steps left",
		refuse: func(r *rolloutObject) string {
			if why := inFlight("promote", r); why != "" {
				return why
			}
			if r.Status.Phase == "Progressing" && !r.paused() && r.stepIndex() >= len(r.steps()) {
				return fmt.Sprintf("promote applies only to a rollout paused, or progressing with steps left; %s is Progressing with no step left",
					r.Metadata.Name)
			}
			return ""
		},
		patches: promotePatches,
		next: func(r *rolloutObject) rolloutPoint {
			p := r.point()
			if len(r.steps()) > 0 {
				p.step = min(p.step+1, len(r.steps()))
				p.weight = r.weightAt(p.step, false)
			}
			p.paused = false
			return p
		},
		meaning: func(r *rolloutObject, _ string) string {
			steps, i := r.steps(), r.stepIndex()+1
			switch {
			case len(steps) == 0:
				return "the pause ends: the controller carries on with the update"
			case i >= len(steps):
				return "that was the last step: the canary becomes stable and takes all traffic"
			}
			return fmt.Sprintf("the controller moves on to the next step (%s); the steps after it run as configured", steps[i])
		},
	},
	RolloutPromoteFull: {
		title: "Promote rollout fully", dangerous: true, typed: true, key: "F",
		allowed: func(r *fleet.Rollout) bool { return r.Phase == "Progressing" || r.Phase == "Paused" },
		rule:    "only while the rollout is progressing or paused",
		refuse: func(r *rolloutObject) string {
			if why := inFlight("promote --full", r); why != "" {
				return why
			}
			if !r.updating() {
				return fmt.Sprintf("nothing to promote: %s runs its stable version only", r.Metadata.Name)
			}
			return ""
		},
		patches: func(r *rolloutObject) []rolloutPatch {
			// As the plugin: status first, then the spec.
			out := []rolloutPatch{statusPatch(map[string]any{"promoteFull": true})}
			if r.Spec.Paused {
				out = append(out, specPatch(map[string]any{"paused": false}))
			}
			return out
		},
		next: func(r *rolloutObject) rolloutPoint {
			return rolloutPoint{step: len(r.steps()), weight: 100}
		},
		meaning: func(*rolloutObject, string) string {
			return "every remaining step, pause and analysis is skipped: the canary takes all traffic at once and becomes stable"
		},
	},
	RolloutPause: {
		title: "Pause rollout", key: "Z",
		allowed: func(r *fleet.Rollout) bool { return r.Phase != "Paused" && r.Phase != "Aborted" },
		rule:    "only when the rollout is not paused",
		refuse: func(r *rolloutObject) string {
			if r.paused() {
				return fmt.Sprintf("%s is already paused (%s)", r.Metadata.Name, or(r.pausedBy(), "phase Paused"))
			}
			return ""
		},
		patches: func(*rolloutObject) []rolloutPatch { return []rolloutPatch{specPatch(map[string]any{"paused": true})} },
		next: func(r *rolloutObject) rolloutPoint {
			p := r.point()
			p.paused = true
			return p
		},
		meaning: func(r *rolloutObject, _ string) string {
			if !r.updating() {
				return "no update is under way: the next one will wait at its start until resumed"
			}
			return "the rollout holds where it is: traffic stays as now until it is resumed"
		},
	},
	RolloutResume: {
		title: "Resume rollout", dangerous: true, key: "Z",
		allowed: func(r *fleet.Rollout) bool { return r.Phase == "Paused" },
		rule:    "only when the rollout is paused",
		refuse: func(r *rolloutObject) string {
			switch {
			case r.Spec.Paused:
				return ""
			case len(r.Status.PauseConditions) > 0:
				return fmt.Sprintf("%s was paused by the controller (%s), not by a person: promote moves it on", r.Metadata.Name, r.pausedBy())
			}
			return fmt.Sprintf("%s is not paused", r.Metadata.Name)
		},
		patches: func(*rolloutObject) []rolloutPatch { return []rolloutPatch{specPatch(map[string]any{"paused": false})} },
		next: func(r *rolloutObject) rolloutPoint {
			p := r.point()
			p.paused = len(r.Status.PauseConditions) > 0
			return p
		},
		meaning: func(r *rolloutObject, _ string) string {
			if st := r.step(); st != "" {
				return "the rollout carries on from step " + st + " with its remaining steps"
			}
			return "the rollout carries on"
		},
	},
	RolloutRetry: {
		title: "Retry rollout", dangerous: true, key: "Y",
		allowed: func(r *fleet.Rollout) bool { return r.Phase == "Aborted" },
		rule:    "only when the rollout is aborted",
		refuse: func(r *rolloutObject) string {
			if !r.Status.Abort {
				return fmt.Sprintf("retry applies only to an aborted rollout; %s is %s, not aborted", r.Metadata.Name, r.phase())
			}
			return ""
		},
		patches: func(*rolloutObject) []rolloutPatch {
			return []rolloutPatch{statusPatch(map[string]any{"abort": false})}
		},
		next: func(r *rolloutObject) rolloutPoint {
			return rolloutPoint{step: 0, weight: r.weightAt(0, false)}
		},
		meaning: func(*rolloutObject, string) string {
			return "the update starts again from its first step: the canary scales up and takes traffic as the steps say"
		},
	},
}

// promotePatches are `kubectl argo rollouts promote`'s (v1.10): unpause
// the spec when a person paused it; then either clear the controller's
// pause conditions (and, after an inconclusive analysis, its pause and
// step), or move a canary to its next step.
func promotePatches(r *rolloutObject) []rolloutPatch {
	var out []rolloutPatch
	next := min(r.stepIndex()+1, len(r.steps()))
	inconclusive := r.Spec.Strategy.Canary != nil && r.Status.Canary.CurrentStepAnalysisRunStatus != nil &&
		r.Status.Canary.CurrentStepAnalysisRunStatus.Status == "Inconclusive"
	switch {
	case inconclusive && len(r.Status.PauseConditions) > 0 && r.Status.ControllerPause && len(r.steps()) > 0:
		out = append(out, statusPatch(map[string]any{"pauseConditions": nil, "controllerPause": false, "currentStepIndex": next}))
	case len(r.Status.PauseConditions) > 0:
		out = append(out, statusPatch(map[string]any{"pauseConditions": nil}))
	case len(r.steps()) > 0:
		out = append(out, statusPatch(map[string]any{"pauseConditions": nil, "currentStepIndex": next}))
	}
	if r.Spec.Paused {
		out = append(out, specPatch(map[string]any{"paused": false}))
	}
	return out
}

// rolloutChanges is the plan's lines: where the rollout stands, and what
// the verb changes ("step 2/4 → 3/4, weight 25 → 50").
func rolloutChanges(action string, r *rolloutObject) []string {
	v := rolloutVerbs[action]
	now, next := r.point(), v.next(r)
	lines := []string{fmt.Sprintf("rollout %s/%s: %s", r.Metadata.Namespace, r.Metadata.Name, r.now())}
	var change string
	if a, b := r.stepOf(now.step), r.stepOf(next.step); a != b {
		change = fmt.Sprintf("step %s → %s, ", a, b)
	}
	if now.weight != next.weight {
		change += fmt.Sprintf("weight %d → %d", now.weight, next.weight)
	} else {
		change += fmt.Sprintf("weight stays %d", now.weight)
	}
	switch {
	case now.aborted != next.aborted:
		change += fmt.Sprintf(", aborted: %s → %s", yesNo(now.aborted), yesNo(next.aborted))
	case now.paused != next.paused:
		change += fmt.Sprintf(", paused: %s → %s", yesNo(now.paused), yesNo(next.paused))
	}
	lines = append(lines, change)
	// Why the controller stopped it (a failed analysis, a timeout), in
	// its words.
	if msg := strings.TrimSpace(r.Status.Message); msg != "" && (r.Status.Abort || r.Status.Phase == "Degraded") {
		lines = append(lines, "the controller says: "+msg)
	}
	if r.stale() {
		lines = append(lines, "note: the controller has not yet seen the latest spec; its status may be behind")
	}
	return lines
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// RolloutBlocked says why the rollout verb s cannot run on model m as
// the latest snapshot shows it (no rollout seen, or its phase), for
// greying the key; "" when it may, or s is no rollout verb. It does no
// I/O: the executor checks the Rollout object itself before sending.
func (s Spec) RolloutBlocked(m *fleet.Model) string {
	v := rolloutVerbs[s.Action]
	if v == nil {
		return ""
	}
	if b := rolloutBlockers[s.Kind]; b != nil {
		if why, decided := b(s.Action, m); decided {
			return why
		}
	}
	switch {
	case m == nil || m.Rollout == nil:
		return "no rollout seen for this model"
	case m.Rollout.Phase == "":
		return "the rollout's phase is unknown"
	case !v.allowed(m.Rollout):
		return fmt.Sprintf("%s %s; it is %s", lowerFirst(v.title), v.rule, m.Rollout.Phase)
	}
	return ""
}

// rolloutBlockers are the kinds whose verbs follow rules of their own
// (flagger): decided false leaves the rule to the common checks.
var rolloutBlockers = map[string]func(action string, m *fleet.Model) (why string, decided bool){}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
