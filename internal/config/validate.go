package config

import (
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mltop/mltop/themes"
)

// knownBackends are the values prometheus.backend accepts; "" means detect.
var knownBackends = []string{"prometheus", "thanos", "mimir", "cortex", "victoriametrics"}

// validator collects problems with decoded values.
type validator struct {
	src  source
	errs Errors
}

func (v *validator) errorf(key, format string, args ...any) {
	v.errs = append(v.errs, v.src.errorf(key, format, args...))
}

// errorAt reports a problem with key on the line of lineKey: a missing key
// is best shown next to the one that needs it.
func (v *validator) errorAt(lineKey, key, format string, args ...any) {
	e := v.src.errorf(key, format, args...)
	e.Line = v.src.line(lineKey)
	v.errs = append(v.errs, e)
}

func validate(c *Config) Errors {
	v := &validator{src: c.src}
	v.atLeast("refresh", c.Refresh, time.Second)
	// window is checked where queries are rendered.
	v.prometheus(c)
	v.scrape(&c.Scrape)
	v.mlflow(&c.MLflow)
	v.ratio("thresholds.error_rate", c.Thresholds.ErrorRate)
	v.ratio("thresholds.quality_drop", c.Thresholds.QualityDrop)
	if c.Thresholds.MinLabels < 0 {
		v.errorf("thresholds.min_labels", "must not be negative, got %d", c.Thresholds.MinLabels)
	}
	if c.Thresholds.LatencyP95 < 0 {
		v.errorf("thresholds.latency_p95", "must not be negative (0 turns the check off), got %s", FormatDuration(c.Thresholds.LatencyP95))
	}
	v.ratio("thresholds.silent_share", c.Thresholds.SilentShare)
	if a := c.Thresholds.Availability; a != 0 && (a < 0.5 || a >= 1 || math.IsNaN(a)) {
		v.errorf("thresholds.availability", "must be an objective such as 0.999 (at least 0.5, below 1; 0 turns the check off), got %v", a)
	}
	v.alertmanager(&c.Alertmanager)
	v.drift(&c.Drift)
	v.estimate(&c.Estimate)
	v.dataQuality(&c.DataQuality)
	v.verdict(&c.Verdict)
	v.actions(&c.Actions, strings.TrimSpace(c.Alertmanager.URL) != "")
	if c.Audit.Path == "" {
		v.errorf("audit.path", "must not be empty")
	}
	v.serve(&c.Serve)
	if c.Theme != "" && !themes.Known(c.Theme) {
		v.errorf("theme", "%s", unknownMsg("theme", c.Theme, themes.Names(), true))
	}
	_, errs := c.render()
	return append(v.errs, errs...)
}

func (v *validator) prometheus(c *Config) {
	p := &c.Prometheus
	if p.URL != "" {
		v.httpURL("prometheus.url", p.URL)
	}
	v.headers("prometheus.headers", p.Headers)
	v.together("prometheus.basic_auth", "username", p.BasicAuth.Username, "password_file", p.BasicAuth.PasswordFile)
	v.together("prometheus.tls", "cert_file", p.TLS.CertFile, "key_file", p.TLS.KeyFile)
	v.atLeast("prometheus.timeout", p.Timeout, time.Millisecond)
	if p.MaxAnswerMiB < 1 || p.MaxAnswerMiB > 1<<20 {
		v.errorf("prometheus.max_answer_mib", "must be between 1 and 1048576 (MiB), got %d", p.MaxAnswerMiB)
	}
	if p.Backend != "" && !slices.Contains(knownBackends, p.Backend) {
		v.errorf("prometheus.backend", "%s", unknownMsg("backend", p.Backend, knownBackends, true))
	}
}

func (v *validator) alertmanager(a *Alertmanager) {
	if a.URL != "" {
		v.httpURL("alertmanager.url", a.URL)
	}
	v.headers("alertmanager.headers", a.Headers)
	v.together("alertmanager.basic_auth", "username", a.BasicAuth.Username, "password_file", a.BasicAuth.PasswordFile)
	v.together("alertmanager.tls", "cert_file", a.TLS.CertFile, "key_file", a.TLS.KeyFile)
	v.atLeast("alertmanager.timeout", a.Timeout, time.Millisecond)
}

func (v *validator) scrape(s *Scrape) {
	v.atLeast("scrape.interval", s.Interval, time.Second)
	v.atLeast("scrape.timeout", s.Timeout, time.Millisecond)
	if s.Timeout > s.Interval {
		v.errorf("scrape.timeout", "must not exceed scrape.interval (%s), got %s", FormatDuration(s.Interval), FormatDuration(s.Timeout))
	}
	for i, t := range s.Targets {
		v.httpURL(indexKey("scrape.targets", i), t)
	}
}

func (v *validator) mlflow(m *MLflow) {
	// A tracking URI taken from $MLFLOW_TRACKING_URI is the MLflow client's
	// business; only one written in the file is this file's error.
	if v.src.has("mlflow.tracking_uri") && m.TrackingURI != "" {
		v.httpURL("mlflow.tracking_uri", m.TrackingURI)
	}
	if m.ServingAlias == "" {
		v.errorf("mlflow.serving_alias", "must not be empty")
	}
	if m.CandidateAlias == "" {
		v.errorf("mlflow.candidate_alias", "must not be empty")
	}
	if m.ServingAlias != "" && m.ServingAlias == m.CandidateAlias {
		v.errorf("mlflow.candidate_alias", "must differ from mlflow.serving_alias (%q)", m.ServingAlias)
	}
	v.atLeast("mlflow.refresh", m.Refresh, time.Second)
	v.modelNames("mlflow.model_names", m.ModelNames)
}

// modelNames checks the serving -> registered name mapping: names are not
// empty, and no registered model is named by two serving names, since a
// model's versions from two deployments would overwrite each other.
func (v *validator) modelNames(key string, names map[string]string) {
	serving := make([]string, 0, len(names))
	for s := range names {
		serving = append(serving, s)
	}
	slices.Sort(serving)
	first := map[string]string{} // registered -> first serving name
	for _, s := range serving {
		r := names[s]
		switch prev, dup := first[r]; {
		case strings.TrimSpace(s) == "":
			v.errorf(key, "a serving name is empty (it maps to %q)", r)
		case strings.TrimSpace(r) == "":
			v.errorf(joinKey(key, s), "must name a registered model")
		case dup:
			v.errorf(joinKey(key, s), "maps to %q, as %q does: a registered model joins one serving name", r, prev)
		default:
			first[r] = s
		}
	}
}

func (v *validator) drift(d *Drift) {
	if d.Method != "auto" && canonicalMethod(d.Method) == "" {
		v.errorf("drift.method", "%s", unknownMsg("method", d.Method, append([]string{"auto"}, driftMethodNames()...), true))
	}
	v.atLeast("drift.window", d.Window, time.Second)
	v.ratio("drift.share", d.Share)
	if !(d.MinPerBucket >= 0) || math.IsInf(d.MinPerBucket, 0) {
		v.errorf("drift.min_per_bucket", "must be a number of observations, 0 or more (0 turns the minimum off), got %s", formatFloat(d.MinPerBucket))
	}
	for method, t := range d.Thresholds {
		key := "drift.thresholds." + method
		canon := canonicalMethod(method)
		switch {
		case canon == "":
			v.errorf(key, "%s", unknownMsg("method", method, driftMethodNames(), true))
		case pValueMethods[canon]:
			v.ratio(key, t) // a p-value
		case !(t >= 0):
			v.errorf(key, "must not be negative, got %s", formatFloat(t))
		}
	}
	v.atLeast("drift.reference.window", d.Reference.Window, time.Second)
	if d.Reference.Offset < d.Window {
		v.errorf("drift.reference.offset", "must be at least drift.window (%s) so the reference does not overlap the current data, got %s",
			FormatDuration(d.Window), FormatDuration(d.Reference.Offset))
	}
}

func (v *validator) serve(s *Serve) {
	if _, port, err := net.SplitHostPort(s.Listen); err != nil {
		v.errorf("serve.listen", "not a HOST:PORT address: %q", s.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.errorf("serve.listen", "not a port number: %q", port)
	}
	if s.HostKey == "" {
		v.errorf("serve.host_key", "must not be empty")
	}
	if s.MaxSessions < 0 {
		v.errorf("serve.max_sessions", "must not be negative, got %d", s.MaxSessions)
	}
	seen := map[string]int{}
	for i, u := range s.Users {
		key := indexKey("serve.users", i)
		switch first, dup := seen[u.Name]; {
		case u.Name == "":
			v.errorf(key+".name", "is required")
		case dup:
			v.errorf(key+".name", "user %q is already defined at users[%d]", u.Name, first)
		default:
			seen[u.Name] = i
		}
		v.personRole(key+".role", u.Role)
		if len(u.Keys) == 0 && u.AuthorizedKeys == "" {
			v.errorf(key, "needs keys or authorized_keys")
		}
		for j, k := range u.Keys {
			if len(strings.Fields(k)) < 2 {
				v.errorf(indexKey(key+".keys", j), "not an SSH public key (want \"TYPE BASE64 [COMMENT]\"): %q", k)
			}
		}
	}
}

func (v *validator) personRole(key, role string) {
	if role != RoleViewer && role != RoleOperator {
		v.errorf(key, "must be %q or %q, got %q", RoleViewer, RoleOperator, role)
	}
}

func (v *validator) atLeast(key string, d, least time.Duration) {
	if d < least {
		v.errorf(key, "must be at least %s, got %s", showDuration(least), showDuration(d))
	}
}

func (v *validator) ratio(key string, f float64) {
	if !(f >= 0 && f <= 1) {
		v.errorf(key, "must be between 0 and 1, got %s", formatFloat(f))
	}
}

func (v *validator) httpURL(key, s string) {
	if err := CheckHTTPURL(s); err != nil {
		v.errorf(key, "%v", err)
	}
}

// together reports one of a pair of keys set without the other.
func (v *validator) together(parent, a, av, b, bv string) {
	switch {
	case av != "" && bv == "":
		v.errorAt(joinKey(parent, a), joinKey(parent, b), "is required with %s", a)
	case bv != "" && av == "":
		v.errorAt(joinKey(parent, b), joinKey(parent, a), "is required with %s", b)
	}
}

func (v *validator) headers(key string, h map[string]string) {
	for name, val := range h {
		if !validHeaderName(name) {
			v.errorf(joinKey(key, name), "not a valid HTTP header name")
		} else if strings.ContainsAny(val, "\r\n") {
			v.errorf(joinKey(key, name), "header value must be one line")
		}
	}
}

// validHeaderName checks RFC 9110's token characters.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r < 0x7f && r > ' ' && !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
		if !ok {
			return false
		}
	}
	return true
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
