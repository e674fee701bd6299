package actions

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"text/template"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindArgoRollouts = "argo-rollouts"

func init() {
	register(kindOf[ArgoRolloutsParams]{
		name:   kindArgoRollouts,
		serves: []string{config.UseRollout},
		finish: func(_ *config.Action, p *ArgoRolloutsParams) {
			p.Namespace = or(p.Namespace, "default")
			p.Name = or(p.Name, "{{.Model}}")
		},
		check: func(c *config.ActionCheck, a *config.Action, p *ArgoRolloutsParams) {
			for key, v := range map[string]string{"url": a.URL, "token_file": a.TokenFile, "body": a.Body} {
				if v != "" {
					c.Errorf(key, "kind %s does not use %s: the API server is kubernetes.server, its token kubernetes.token_file", kindArgoRollouts, key)
				}
			}
			if s := p.Kubernetes.Server; s != "" {
				if u, err := url.Parse(s); err != nil || u.Scheme != "https" || u.Host == "" {
					c.Errorf("kubernetes.server", "want https://host[:port], got %q", audit.SafeURL(s))
				}
			}
			if !dnsLabel.MatchString(p.Namespace) {
				c.Errorf("namespace", "%q is not a Kubernetes namespace name", p.Namespace)
			}
			if _, err := parseName(p.Name); err != nil {
				c.Errorf("name", "%v", err)
			}
		},
		build: func(e *Executor, s Spec, p *ArgoRolloutsParams) (adapter, error) {
			t, err := parseName(p.Name)
			if err != nil {
				return nil, err
			}
			return &rolloutAdapter{verb: s.Action, p: p, name: t, api: kubeAPI{p: p.Kubernetes, getenv: os.Getenv}}, nil
		},
	})
}

// ArgoRolloutsParams are the keys of kind argo-rollouts.
type ArgoRolloutsParams struct {
	Kubernetes KubernetesParams `yaml:"kubernetes"`
	Namespace  string           `yaml:"namespace"` // default "default"
	// Name is a template of the Rollout's name; default "{{.Model}}".
	Name string `yaml:"name"`
}

var (
	dnsLabel     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$`)
)

func parseName(text string) (*template.Template, error) {
	t, err := template.New("name").Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("name template: %w", err)
	}
	return t, nil
}

// rolloutAdapter carries out one verb on the model's Rollout: it reads the
// object first (look), and each patch it sends carries the
// resourceVersion the plan saw, so the API server refuses it (409) when
// the rollout moved since.
type rolloutAdapter struct {
	verb string
	p    *ArgoRolloutsParams
	name *template.Template
	api  kubeAPI
}

// rolloutSeen is what look read: the object, and the version the patches
// are sent against.
type rolloutSeen struct {
	obj     *rolloutObject
	version string
	// analysis says what the current step's analysis run measured, from
	// the AnalysisRun itself; nil when the step has none.
	analysis []string
}

// RolloutTag is the registered model's tag that names its Rollout: "NAME"
// in the configured namespace, or "NAMESPACE/NAME". It wins over the name
// template, for models whose Rollout is not named after them.
const RolloutTag = "serving.rollout"

// locate is the namespace and name of the model's Rollout: from its
// serving.rollout tag, else the configured namespace and name template.
func (a *rolloutAdapter) locate(d TemplateData) (namespace, name string, err error) {
	if tag := strings.TrimSpace(d.tags[RolloutTag]); tag != "" {
		namespace, name = a.p.Namespace, tag
		if ns, n, ok := strings.Cut(tag, "/"); ok {
			namespace, name = ns, n
		}
		if !dnsLabel.MatchString(namespace) || !dnsSubdomain.MatchString(name) {
			return "", "", fmt.Errorf("the model's %s tag %q is not NAME or NAMESPACE/NAME of a Kubernetes object", RolloutTag, tag)
		}
		return namespace, name, nil
	}
	var b bytes.Buffer
	if err := a.name.Execute(&b, d); err != nil {
		return "", "", fmt.Errorf("name template: %w", err)
	}
	name = strings.TrimSpace(b.String())
	if !dnsSubdomain.MatchString(name) {
		return "", "", fmt.Errorf("the rollout name %q (from the name template) is not a Kubernetes object name", name)
	}
	return a.p.Namespace, name, nil
}

func (a *rolloutAdapter) target() string {
	server, _, _, err := a.api.endpoint()
	if err != nil {
		server = "https://(in-cluster)"
	}
	return audit.SafeURL(server + "/apis/argoproj.io/v1alpha1/namespaces/" + a.p.Namespace + "/rollouts")
}

func (a *rolloutAdapter) secrets() []string {
	if t := a.api.token(); t != "" {
		return []string{t}
	}
	return nil
}

// look reads the Rollout into d and says why its state refuses the verb.
// A missing rollout is a refusal; an API that cannot be read is an error.
func (a *rolloutAdapter) look(ctx context.Context, d *TemplateData) (string, error) {
	ns, name, err := a.locate(*d)
	if err != nil {
		return "", err
	}
	b, err := a.api.do(ctx, "GET", rolloutPath(ns, name, ""), "", nil)
	if err != nil {
		err = plainKubeError(err, "get", "rollouts", ns, name)
		if se, ok := err.(*statusError); ok && se.status == 404 {
			return fmt.Sprintf("rollout %s/%s not found on %s", ns, name, a.api.host()), nil
		}
		return "", fmt.Errorf("read rollout %s/%s: %w", ns, name, err)
	}
	obj, err := parseRollout(b)
	if err != nil {
		return "", err
	}
	d.rollout = &rolloutSeen{obj: obj, version: obj.Metadata.ResourceVersion, analysis: a.readAnalysis(ctx, obj)}
	v := rolloutVerbs[a.verb]
	if why := v.refuse(obj); why != "" {
		return why, nil
	}
	if len(v.patches(obj)) == 0 {
		return fmt.Sprintf("nothing to send: %s is %s", name, obj.now()), nil
	}
	return "", nil
}

func (a *rolloutAdapter) describe(d TemplateData) ([]string, string) {
	if d.rollout == nil {
		return nil, ""
	}
	stable := ""
	if d.Version != "" {
		stable = " v" + d.Version
	}
	changes := append(rolloutChanges(a.verb, d.rollout.obj), d.rollout.analysis...)
	return changes, rolloutVerbs[a.verb].meaning(d.rollout.obj, stable)
}

func (a *rolloutAdapter) change(d TemplateData) (before, after map[string]string) {
	if d.rollout == nil {
		return nil, nil
	}
	r := d.rollout.obj
	before = r.point().fields(r)
	before["rollout"] = r.Metadata.Namespace + "/" + r.Metadata.Name
	before["phase"] = r.phase()
	before["resourceVersion"] = d.rollout.version
	// What the judge said of the canary when the operator decided.
	before["verdict"] = "none"
	if d.evidence != nil {
		before["verdict"] = string(d.evidence.Outcome)
	}
	return before, rolloutVerbs[a.verb].next(r).fields(r)
}

// send sends the verb's patches in order, each a merge-patch carrying the
// resourceVersion it expects; the next one expects what the last answer
// returned. A patch refused after another landed says so.
func (a *rolloutAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	if d.rollout == nil {
		return audit.Response{}, &notSent{fmt.Errorf("the rollout was not read")}
	}
	r, version := d.rollout.obj, d.rollout.version
	var landed []string
	status := 0
	for _, p := range rolloutVerbs[a.verb].patches(r) {
		body := map[string]any{"metadata": map[string]any{"resourceVersion": version}}
		for k, v := range p.body {
			body[k] = v
		}
		sub, what, patch := "", "rollouts", "spec"
		if p.status {
			sub, what, patch = "status", "rollouts/status", "status"
		}
		ans, err := a.api.do(ctx, "PATCH", rolloutPath(r.Metadata.Namespace, r.Metadata.Name, sub), "application/merge-patch+json", body)
		if err != nil {
			err = plainKubeError(err, "patch", what, r.Metadata.Namespace, r.Metadata.Name)
			if se, ok := err.(*statusError); ok && len(landed) > 0 {
				se.message = fmt.Sprintf("the %s patch landed, the %s patch did not: %s", strings.Join(landed, " and "), patch, se.message)
			}
			return audit.Response{}, err
		}
		status = 200
		landed = append(landed, patch)
		if obj, err := parseRollout(ans); err == nil {
			version = obj.Metadata.ResourceVersion
		}
	}
	return audit.Response{Status: status, Message: fmt.Sprintf("%s: rollout %s/%s patched (%s)",
		strings.ToLower(rolloutVerbs[a.verb].title), r.Metadata.Namespace, r.Metadata.Name, strings.Join(landed, ", "))}, nil
}

func (a *rolloutAdapter) check(d TemplateData) string {
	ns, name := a.p.Namespace, d.Model
	if d.rollout != nil {
		ns, name = d.rollout.obj.Metadata.Namespace, d.rollout.obj.Metadata.Name
	}
	return fmt.Sprintf("check the rollout: `kubectl argo rollouts get rollout %s -n %s` — the %s may or may not have landed",
		name, ns, strings.ToLower(rolloutVerbs[a.verb].title))
}
