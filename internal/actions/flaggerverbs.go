package actions

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

// flaggerVerb is what one rollout verb is under Flagger's manual gating:
// one POST to the load tester, which sets one gate that the Canary's
// webhooks ask about at Flagger's next check.
type flaggerVerb struct {
	path     string // the load tester's endpoint
	gateName string // "promotion gate" (/gate/*) or "rollback gate" (/rollback/*)
	hook     string // the endpoint the Canary's webhook must call for the gate to count
	opens    bool
	// noLever says why Flagger has no such lever; the verb is refused.
	noLever string
	// running: the verb applies only to a canary under way (the dashboard
	// greys it otherwise, and a Canary read says so).
	running bool
	refuse  func(c *canarySeen) string
	meaning func(c *canarySeen) string
	note    string // a plan line on what outlasts the verb
}

// canaryPhases are the phases in which Flagger checks the gates: the
// analysis, and waiting for a confirmation.
var canaryPhases = []string{"Waiting", "Progressing", "WaitingPromotion"}

var flaggerVerbs = map[string]*flaggerVerb{
	RolloutAbort: {
		path: "/rollback/open", gateName: "rollback gate", hook: "/rollback/check", opens: true, running: true,
		refuse: func(c *canarySeen) string {
			if c.rollbackOpen {
				return fmt.Sprintf("the rollback gate of %s is already open: Flagger rolls the canary back at its next check", c.name)
			}
			return c.notRunning("abort")
		},
		meaning: func(*canarySeen) string {
			return "at its next check Flagger shifts all traffic back to the primary (the stable version) and marks the canary Failed"
		},
		note: "note: the rollback gate stays open until closed (/rollback/close); until then Flagger rolls back each revision",
	},
	RolloutPromote: {
		path: "/gate/open", gateName: "promotion gate", hook: "/gate/check", opens: true, running: true,
		refuse: func(c *canarySeen) string {
			if c.gateOpen {
				return fmt.Sprintf("the promotion gate of %s is already open: Flagger goes on at its next check", c.name)
			}
			return c.notRunning("promote")
		},
		meaning: func(c *canarySeen) string { return gateOpenMeaning(c) },
		note:    gateStaysOpen,
	},
	RolloutPromoteFull: {
		noLever: "Flagger's manual gating has no lever to skip the analysis: promote opens the gate and the analysis still runs; " +
			"to promote without analysis, set spec.skipAnalysis: true on the Canary (in its manifests)",
	},
	RolloutPause: {
		path: "/gate/close", gateName: "promotion gate", hook: "/gate/check",
		refuse: func(c *canarySeen) string {
			if !c.gateOpen {
				return fmt.Sprintf("the promotion gate of %s is already closed: Flagger halts at its next gate check", c.name)
			}
			return ""
		},
		meaning: func(*canarySeen) string {
			return "Flagger halts at its next gate check: a canary not yet started waits; one whose analysis passed waits to be promoted " +
				"(its checks go on); traffic stays as it is"
		},
	},
	RolloutResume: {
		path: "/gate/open", gateName: "promotion gate", hook: "/gate/check", opens: true, running: true,
		refuse: func(c *canarySeen) string {
			if c.gateOpen {
				return fmt.Sprintf("the promotion gate of %s is open: nothing to resume", c.name)
			}
			return c.notRunning("resume")
		},
		meaning: func(c *canarySeen) string { return gateOpenMeaning(c) },
		note:    gateStaysOpen,
	},
	RolloutRetry: {
		noLever: "Flagger has no retry: a failed canary runs again when its target changes (a new revision of its Deployment); " +
			"close its rollback gate first (POST /rollback/close to the load tester), or Flagger rolls the new revision back too",
	},
}

// gateOpenMeaning says what opening the promotion gate does, by phase.
func gateOpenMeaning(c *canarySeen) string {
	s := "Flagger passes the gate at its next check: a canary waiting to start starts its analysis; " +
		"one waiting to be promoted is promoted once its analysis passed"
	if c.obj != nil {
		switch c.obj.Status.Phase {
		case "Waiting":
			s = "Flagger starts the canary's analysis at its next check (traffic then shifts step by step as the Canary says)"
		case "WaitingPromotion":
			s = "Flagger promotes the canary at its next check: the primary takes the canary's spec, then all traffic"
		case "Progressing":
			s = "the analysis goes on as configured; when it passes, Flagger promotes without waiting"
		}
	}
	return s
}

const gateStaysOpen = "note: the gate stays open for later revisions until it is closed (pause)"

// notRunning says why a verb for a canary under way is refused, when the
// Canary was read and is not in a phase that checks the gates.
func (c *canarySeen) notRunning(verb string) string {
	if c.obj == nil || slices.Contains(canaryPhases, c.obj.Status.Phase) {
		return ""
	}
	return fmt.Sprintf("%s applies only while a canary is waiting or progressing (Flagger checks the gates only then); %s is %s",
		verb, c.name, c.obj.phase())
}

// flaggerChanges is the plan's lines: the canary's state, the gate and
// the request sent.
func flaggerChanges(action string, c *canarySeen) []string {
	v := flaggerVerbs[action]
	var lines []string
	if c.obj != nil {
		lines = append(lines, fmt.Sprintf("canary %s/%s: %s", c.namespace, c.name, c.obj.now()))
	} else {
		lines = append(lines, fmt.Sprintf("canary %s/%s: state unknown (%s)", c.namespace, c.name, c.unknown))
	}
	now := c.gateOpen
	if v.gateName == "rollback gate" {
		now = c.rollbackOpen
	}
	lines = append(lines, fmt.Sprintf("%s: %s → %s", v.gateName, openClosed(now), openClosed(v.opens)))
	if v.note != "" {
		lines = append(lines, v.note)
	}
	if c.rollbackOpen && action != RolloutAbort {
		lines = append(lines, "note: the rollback gate is open: Flagger rolls this canary back at its next check")
	}
	if c.obj != nil && !c.obj.hooks(v.hook) {
		lines = append(lines, fmt.Sprintf("warning: no webhook of the Canary calls the load tester's %s: the gate changes nothing until one does", v.hook))
	}
	body, _ := json.Marshal(map[string]string{"name": c.name, "namespace": c.namespace})
	return append(lines, fmt.Sprintf("sends POST %s %s", v.path, body))
}

// flaggerBlocked greys the verbs as the metrics show the canary
// (flagger_canary_status: Progressing while under way, Healthy, Aborted).
func flaggerBlocked(action string, m *fleet.Model) (string, bool) {
	v := flaggerVerbs[action]
	switch {
	case v == nil:
		return "", false
	case v.noLever != "":
		return v.noLever, true
	case m == nil || m.Rollout == nil || m.Rollout.Phase == "":
		return "", false // the common checks: no rollout seen, phase unknown
	case !v.running:
		return "", true // pause: closing the gate holds the next revision too
	case m.Rollout.Phase != "Progressing":
		return fmt.Sprintf("%s only while the canary is under way (Flagger checks the gates only then); it is %s",
			lowerFirst(rolloutVerbs[action].title), m.Rollout.Phase), true
	}
	return "", true
}

// canaryObject is the part of a Flagger Canary (flagger.app/v1beta1)
// the plan shows.
type canaryObject struct {
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		SkipAnalysis bool `json:"skipAnalysis"`
		Analysis     *struct {
			Webhooks []struct {
				Name string `json:"name"`
				Type string `json:"type"`
				URL  string `json:"url"`
			} `json:"webhooks"`
		} `json:"analysis"`
	} `json:"spec"`
	Status struct {
		Phase        string `json:"phase"`
		CanaryWeight int    `json:"canaryWeight"`
		Iterations   int    `json:"iterations"`
		FailedChecks int    `json:"failedChecks"`
	} `json:"status"`
}

func parseCanary(b []byte) (*canaryObject, error) {
	var c canaryObject
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("the Canary could not be read: %w", err)
	}
	return &c, nil
}

func canaryPath(namespace, name string) string {
	return "/apis/flagger.app/v1beta1/namespaces/" + url.PathEscape(namespace) + "/canaries/" + url.PathEscape(name)
}

func (c *canaryObject) phase() string {
	if c.Status.Phase == "" {
		return "unknown"
	}
	return c.Status.Phase
}

// now is the canary in a line: "Progressing, canary weight 20, iteration
// 2, failed checks 1".
func (c *canaryObject) now() string {
	s := fmt.Sprintf("%s, canary weight %d, iteration %d, failed checks %d",
		c.phase(), c.Status.CanaryWeight, c.Status.Iterations, c.Status.FailedChecks)
	if c.Spec.SkipAnalysis {
		s += " (skipAnalysis: promoted without analysis)"
	}
	return s
}

// hooks reports whether one of the Canary's webhooks calls the load
// tester's path (its URL ends so).
func (c *canaryObject) hooks(path string) bool {
	if c.Spec.Analysis == nil {
		return false
	}
	for _, w := range c.Spec.Analysis.Webhooks {
		if u, err := url.Parse(w.URL); err == nil && strings.TrimRight(u.Path, "/") == path {
			return true
		}
	}
	return false
}
