package actions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"text/template"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindFlagger = "flagger"

func init() {
	register(kindOf[FlaggerParams]{
		name:   kindFlagger,
		serves: []string{config.UseRollout},
		finish: func(_ *config.Action, p *FlaggerParams) {
			p.Namespace = or(p.Namespace, "default")
			p.Name = or(p.Name, "{{.Model}}")
		},
		check: func(c *config.ActionCheck, a *config.Action, p *FlaggerParams) {
			if a.URL != "" {
				c.Errorf("url", "kind %s does not use url: the load tester's address is loadtester", kindFlagger)
			}
			if a.Body != "" {
				c.Errorf("body", "kind %s does not use body: it sends the load tester's {\"name\", \"namespace\"}", kindFlagger)
			}
			if p.LoadTester == "" {
				c.Missing("loadtester", "is required: the Flagger load tester's address, e.g. http://flagger-loadtester.test")
			} else if err := config.CheckHTTPURL(p.LoadTester); err != nil {
				c.Errorf("loadtester", "%v", err)
			}
			checkKubernetes(c, p.Kubernetes)
			if !dnsLabel.MatchString(p.Namespace) {
				c.Errorf("namespace", "%q is not a Kubernetes namespace name", p.Namespace)
			}
			if _, err := parseName(p.Name); err != nil {
				c.Errorf("name", "%v", err)
			}
		},
		build: func(e *Executor, s Spec, p *FlaggerParams) (adapter, error) {
			t, err := parseName(p.Name)
			if err != nil {
				return nil, err
			}
			return &flaggerAdapter{e: e, cfg: s.cfg, verb: s.Action, p: p, name: t,
				base: strings.TrimRight(p.LoadTester, "/"), api: kubeAPI{p: p.Kubernetes, getenv: os.Getenv}}, nil
		},
	})
	rolloutBlockers[kindFlagger] = flaggerBlocked
}

// FlaggerParams are the keys of kind flagger.
type FlaggerParams struct {
	// LoadTester is the Flagger load tester's address; its manual gating
	// endpoints (/gate/open, /rollback/open, ...) are below it.
	LoadTester string `yaml:"loadtester"`
	Namespace  string `yaml:"namespace"` // the Canary's; default "default"
	// Name is a template of the Canary's name; default "{{.Model}}".
	Name string `yaml:"name"`
	// Kubernetes, when its server is set (or mltop runs in a pod), is
	// where the Canary is read for the plan; the gates need no API access.
	Kubernetes KubernetesParams `yaml:"kubernetes"`
}

func checkKubernetes(c *config.ActionCheck, k KubernetesParams) {
	if k.Server != "" {
		if err := config.CheckHTTPURL(k.Server); err != nil || !strings.HasPrefix(k.Server, "https://") {
			c.Errorf("kubernetes.server", "want https://host[:port], got %q", audit.SafeURL(k.Server))
		}
	}
}

// flaggerAdapter drives a Flagger canary through the load tester's
// manual gating: the canary's webhooks (confirm-rollout or
// confirm-promotion at /gate/check, rollback at /rollback/check) ask the
// load tester, which answers as mltop set the gates.
type flaggerAdapter struct {
	e    *Executor
	cfg  config.Action
	verb string
	p    *FlaggerParams
	name *template.Template
	base string
	api  kubeAPI
}

// canarySeen is what look found: the canary's name, the gates as the
// load tester holds them, and the Canary object when it could be read.
type canarySeen struct {
	name, namespace string
	gateOpen        bool // the promotion gate (/gate/check)
	rollbackOpen    bool // the rollback gate (/rollback/check)
	obj             *canaryObject
	unknown         string // why the Canary's state is unknown, when obj is nil
}

func (a *flaggerAdapter) canaryName(d TemplateData) (string, error) {
	var b bytes.Buffer
	if err := a.name.Execute(&b, d); err != nil {
		return "", fmt.Errorf("name template: %w", err)
	}
	name := strings.TrimSpace(b.String())
	if !dnsSubdomain.MatchString(name) {
		return "", fmt.Errorf("the canary name %q (from the name template) is not a Kubernetes object name", name)
	}
	return name, nil
}

func (a *flaggerAdapter) target() string {
	if v := flaggerVerbs[a.verb]; v != nil && v.path != "" {
		return audit.SafeURL(a.base + v.path)
	}
	return audit.SafeURL(a.base)
}

func (a *flaggerAdapter) secrets() []string {
	if t := a.api.token(); t != "" && a.readsCanary() {
		return []string{t}
	}
	return nil
}

// readsCanary reports whether the Canary is read for the plan: an API
// server is configured, or mltop runs in a pod.
func (a *flaggerAdapter) readsCanary() bool {
	return a.p.Kubernetes.Server != "" || a.api.getenv("KUBERNETES_SERVICE_HOST") != ""
}

// gate posts {"name","namespace"} to the load tester's path, as its
// documented curl does; the load tester answers 202 to open and close,
// 200 or 403 to a check.
func (a *flaggerAdapter) gate(ctx context.Context, id, path, name string) (answer, error) {
	return a.e.send(ctx, a.cfg, id, httpCall{method: "POST", url: a.base + path,
		body: map[string]string{"name": name, "namespace": a.p.Namespace}})
}

// gateState asks the load tester whether the gate at path is open: 200
// is open, 403 is closed (or the namespace is not the load tester's).
func (a *flaggerAdapter) gateState(ctx context.Context, id, path, name string) (bool, error) {
	_, err := a.gate(ctx, id, path, name)
	if se, ok := errors.AsType[*statusError](err); ok && se.status == http.StatusForbidden {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ask the load tester at %s (%s): %w", audit.SafeURL(a.base), path, plainLoadTesterError(err, a.p.Namespace))
	}
	return true, nil
}

// look reads the gates (and the Canary, when it can) into d and says why
// the verb is refused: one Flagger has no lever for, or the state.
func (a *flaggerAdapter) look(ctx context.Context, d *TemplateData) (string, error) {
	v := flaggerVerbs[a.verb]
	if v.noLever != "" {
		return v.noLever, nil
	}
	name, err := a.canaryName(*d)
	if err != nil {
		return "", err
	}
	seen := &canarySeen{name: name, namespace: a.p.Namespace}
	if seen.gateOpen, err = a.gateState(ctx, d.RequestID+"-gate", "/gate/check", name); err != nil {
		return "", err
	}
	if seen.rollbackOpen, err = a.gateState(ctx, d.RequestID+"-rollback", "/rollback/check", name); err != nil {
		return "", err
	}
	if a.readsCanary() {
		seen.obj, seen.unknown = a.readCanary(ctx, name)
	} else {
		seen.unknown = "no kubernetes.server: the Canary is not read"
	}
	d.canary = seen
	return v.refuse(seen), nil
}

// readCanary GETs the Canary; a failure leaves its state unknown, in
// words, and does not stop the plan: Flagger acts on a gate only in the
// phases that check it.
func (a *flaggerAdapter) readCanary(ctx context.Context, name string) (*canaryObject, string) {
	b, err := a.api.do(ctx, "GET", canaryPath(a.p.Namespace, name), "", nil)
	if err != nil {
		err = plainKubeError(err, "get", "canaries.flagger.app", a.p.Namespace, name)
		if se, ok := errors.AsType[*statusError](err); ok && se.status == http.StatusNotFound {
			return nil, fmt.Sprintf("canary %s/%s not found on %s", a.p.Namespace, name, a.api.host())
		}
		return nil, "the Canary could not be read: " + err.Error()
	}
	obj, err := parseCanary(b)
	if err != nil {
		return nil, err.Error()
	}
	return obj, ""
}

func (a *flaggerAdapter) describe(d TemplateData) ([]string, string) {
	if d.canary == nil {
		return nil, ""
	}
	return flaggerChanges(a.verb, d.canary), flaggerVerbs[a.verb].meaning(d.canary)
}

func (a *flaggerAdapter) change(d TemplateData) (before, after map[string]string) {
	c := d.canary
	if c == nil {
		return nil, nil
	}
	before = map[string]string{"canary": c.namespace + "/" + c.name,
		"promotion gate": openClosed(c.gateOpen), "rollback gate": openClosed(c.rollbackOpen)}
	if c.obj != nil {
		before["phase"] = c.obj.phase()
		before["weight"] = fmt.Sprint(c.obj.Status.CanaryWeight)
	}
	v := flaggerVerbs[a.verb]
	after = map[string]string{v.gateName: openClosed(v.opens)}
	return before, after
}

// send posts the verb's one request to the load tester.
func (a *flaggerAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	c := d.canary
	if c == nil {
		return audit.Response{}, &notSent{errors.New("the canary's gates were not read")}
	}
	v := flaggerVerbs[a.verb]
	ans, err := a.gate(ctx, d.RequestID, v.path, c.name)
	if err != nil {
		return audit.Response{}, plainLoadTesterError(err, c.namespace)
	}
	done := "closed"
	if v.opens {
		done = "opened"
	}
	return audit.Response{Status: ans.status, Message: fmt.Sprintf("%s: the load tester %s the %s of canary %s/%s (HTTP %d); Flagger acts on it at its next check",
		strings.ToLower(rolloutVerbs[a.verb].title), done, v.gateName, c.namespace, c.name, ans.status)}, nil
}

func (a *flaggerAdapter) check(d TemplateData) string {
	name := d.Model
	if d.canary != nil {
		name = d.canary.name
	}
	return fmt.Sprintf("check the canary: `kubectl -n %s get canary %s` and the load tester's log — the %s may or may not have reached it",
		a.p.Namespace, name, strings.ToLower(rolloutVerbs[a.verb].title))
}

// plainLoadTesterError says what a load tester's refusal means: its 403
// on a gate is its namespace filter (-namespace-regexp); a 404 is not a
// load tester.
func plainLoadTesterError(err error, namespace string) error {
	se, ok := errors.AsType[*statusError](err)
	if !ok {
		return err
	}
	switch se.status {
	case http.StatusForbidden:
		return &statusError{status: se.status, message: fmt.Sprintf(
			"the load tester refuses namespace %s (its -namespace-regexp does not match it)", namespace)}
	case http.StatusNotFound:
		return &statusError{status: se.status, message: "no manual gating there: is loadtester the Flagger load tester's address?"}
	}
	return err
}

func openClosed(open bool) string {
	if open {
		return "open"
	}
	return "closed"
}
