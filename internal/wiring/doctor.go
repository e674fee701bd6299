package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/neterr"
	"github.com/mltop/mltop/sources/mlflow"
	"github.com/mltop/mltop/sources/prometheus"
)

// Diagnosis is what `mltop doctor` found: each source reached or not, the
// profiles read and the roles they fill, and every problem as one line
// saying what is wrong and what to do.
type Diagnosis struct {
	Sources  []SourceCheck
	Profiles ProfileCheck
	Roles    []RoleCheck // nil when the metrics source could not be asked
	Problems []string
}

// SourceCheck is one configured source and how it answered.
type SourceCheck struct {
	Name    string // prometheus, mlflow, alertmanager, scrape
	URL     string // credentials redacted
	OK      bool
	Backend string // the engine behind a Prometheus-compatible URL, when known
	Detail  string // what it said when it answered: "412 metric names in the last hour"
	Problem string // the one line, when not OK
}

// ProfileCheck is which profiles the queries read and how they were chosen.
type ProfileCheck struct {
	Names []string
	// Explicit: prometheus.profile is written. Detected: chosen from the
	// server's metric names. Neither: the default (no server to ask), or
	// detection could not choose (Problem says why; Names are then every
	// exporter profile, as the commands would read).
	Explicit, Detected bool
	Problem            string
}

// doctorTimeout bounds each question doctor asks a source.
const doctorTimeout = 10 * time.Second

// Diagnose checks cfg's sources and profiles. It asks each source one or
// two small questions, each within its configured timeout (10s at most).
func Diagnose(ctx context.Context, cfg *config.Config, log *slog.Logger) Diagnosis {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var d Diagnosis
	d.Profiles = ProfileCheck{Names: cfg.Prometheus.Profile, Explicit: cfg.ProfileExplicit()}
	if cfg.Prometheus.URL == "" && len(cfg.Scrape.Targets) == 0 && cfg.MLflow.TrackingURI == "" {
		d.problem("config: nothing to watch — set prometheus.url (or --prometheus), scrape.targets or mlflow.tracking_uri (or --mlflow)")
	}
	answered := false // the metrics server said which metrics it holds
	switch {
	case cfg.Prometheus.URL != "":
		answered = d.checkPrometheus(ctx, cfg, log)
	case len(cfg.Scrape.Targets) > 0:
		for _, target := range cfg.Scrape.Targets {
			d.checkTarget(ctx, cfg, target)
		}
	}
	if cfg.DetectsProfiles() && d.Roles == nil {
		// Nothing to choose from: the commands would read every exporter
		// profile until the server answers with some of their metrics.
		d.Profiles.Names, d.Profiles.Problem = config.ExporterProfiles(), "the server could not be asked"
		if answered {
			d.Profiles.Problem = "the server answered but holds none of the metrics looked for"
		}
	}
	if cfg.MLflow.TrackingURI != "" {
		d.checkMLflow(ctx, cfg, log)
	}
	if cfg.Alertmanager.URL != "" {
		d.checkAlertmanager(ctx, cfg)
	}
	return d
}

func (d *Diagnosis) problem(line string) { d.Problems = append(d.Problems, line) }

func (d *Diagnosis) add(c SourceCheck) {
	d.Sources = append(d.Sources, c)
	if c.Problem != "" {
		d.problem(c.Problem)
	}
}

// checkPrometheus asks the server for its metric names: whether it
// answers (address, TLS, auth), whether the tenant holds any, and which
// of the profiles' metrics are there. Each question has its own time
// limit. It reports whether the server said which metrics it holds.
func (d *Diagnosis) checkPrometheus(ctx context.Context, cfg *config.Config, log *slog.Logger) bool {
	c := SourceCheck{Name: "prometheus", URL: redact(cfg.Prometheus.URL)}
	src, idle, err := newPrometheus(cfg, log)
	if err != nil {
		c.Problem = fmt.Sprintf("prometheus %s: %v", c.URL, err)
		d.add(c)
		return false
	}
	if idle != nil {
		defer idle.CloseIdleConnections()
	}
	now := time.Now()
	limit := min(cfg.Prometheus.Timeout, doctorTimeout)
	names, err := askNames(ctx, src, limit, nil, now, 1)
	c.Backend = src.Backend()
	var tooMany *prometheus.AnswerTooLargeError
	if errors.As(err, &tooMany) {
		// A server without the limit parameter sent every name, more
		// than a list of names may hold: it is anything but empty.
		names, err = []string{"…"}, nil
	}
	if err != nil {
		c.Problem = fmt.Sprintf("prometheus %s: %s", c.URL, unreachable(err, "prometheus.url (or --prometheus)", "prometheus.timeout", limit))
		d.add(c)
		return false
	}
	if len(names) == 0 {
		if tenant, ok := tenantOf(cfg.Prometheus.Headers); ok {
			c.Problem = fmt.Sprintf("prometheus: the server answers but holds no metric names for tenant %q — check the X-Scope-OrgID header in prometheus.headers", tenant)
		} else {
			c.Problem = fmt.Sprintf("prometheus %s: the server answers but holds no metrics from the last hour — check that it scrapes your exporters (Mimir, Cortex: the tenant, X-Scope-OrgID in prometheus.headers)", c.URL)
		}
		d.add(c)
		return true
	}
	// Every metric any profile's role reads: which profile fills what.
	present, err := askNames(ctx, src, limit, nameSelectors(config.RoleMetricNames()), now, 0)
	if err != nil {
		c.Problem = fmt.Sprintf("prometheus %s: %s", c.URL, unreachable(err, "prometheus.url (or --prometheus)", "prometheus.timeout", limit))
		d.add(c)
		return false
	}
	c.OK, c.Detail = true, fmt.Sprintf("answers; %d of the profiles' metrics present in the last hour", len(present))
	d.add(c)
	d.checkProfiles(cfg, present)
	return true
}

// askNames asks one metric-name question within its own time limit.
func askNames(ctx context.Context, src metricNamer, limit time.Duration, matches []string, now time.Time, most int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return src.MetricNames(ctx, matches, now.Add(-profileLookback), now, most)
}

// checkTarget fetches one of the built-in engine's scrape targets.
func (d *Diagnosis) checkTarget(ctx context.Context, cfg *config.Config, target string) {
	c := SourceCheck{Name: "scrape", URL: redact(target)}
	limit := cfg.Scrape.Timeout
	if limit <= 0 {
		limit = doctorTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, min(limit, doctorTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err == nil {
		var resp *http.Response
		if resp, err = http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("HTTP %d", resp.StatusCode)
			}
		}
	}
	if err != nil {
		c.Problem = fmt.Sprintf("scrape target %s: %s", c.URL, unreachable(err, "scrape.targets", "scrape.timeout", min(limit, doctorTimeout)))
	} else {
		c.OK, c.Detail = true, "answers"
	}
	d.add(c)
}

// checkMLflow lists one registered model.
func (d *Diagnosis) checkMLflow(ctx context.Context, cfg *config.Config, log *slog.Logger) {
	c := SourceCheck{Name: "mlflow", URL: redact(cfg.MLflow.TrackingURI)}
	cl, err := mlflow.NewClient(mlflow.Options{TrackingURI: cfg.MLflow.TrackingURI, Timeout: doctorTimeout, Logger: log.With("source", "mlflow")})
	if err == nil {
		ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
		defer cancel()
		_, err = cl.SearchRegisteredModels(ctx, "", 1, "")
	}
	if err != nil {
		c.Problem = fmt.Sprintf("mlflow %s: %s", c.URL, unreachable(err, "mlflow.tracking_uri (or --mlflow)", "", doctorTimeout))
	} else {
		c.OK, c.Detail = true, "answers"
	}
	d.add(c)
}

// checkAlertmanager reads the alerts once.
func (d *Diagnosis) checkAlertmanager(ctx context.Context, cfg *config.Config) {
	c := SourceCheck{Name: "alertmanager", URL: redact(cfg.Alertmanager.URL)}
	r, idle, err := newAlerts(cfg)
	if err == nil {
		if idle != nil {
			defer idle.CloseIdleConnections()
		}
		_, _, err = r.Alerts(ctx)
	}
	if err != nil {
		c.Problem = fmt.Sprintf("alertmanager %s: %s", c.URL, unreachable(err, "alertmanager.url", "alertmanager.timeout", cfg.Alertmanager.Timeout))
	} else {
		c.OK, c.Detail = true, "answers"
	}
	d.add(c)
}

// unreachable says why a source did not answer and what to check: the
// key for an address that leads nowhere, the source's own words (which
// name what to check) for an answer that was refused.
func unreachable(err error, key, timeoutKey string, timeout time.Duration) string {
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH), errors.As(err, &dns):
		return neterr.Plain(err, timeout) + " — check " + key
	case neterr.Timeout(err) && timeoutKey != "":
		return "no answer within " + timeout.String() + " — check " + key + " and the network, or raise " + timeoutKey
	case neterr.Timeout(err):
		return "no answer within " + timeout.String() + " — check " + key + " and the network"
	}
	var ce *prometheus.CallError
	if errors.As(err, &ce) {
		return ce.Msg // the Prometheus-compatible source's plain words, naming what to check
	}
	return neterr.Plain(err, timeout)
}

// tenantOf is the tenant the headers name (X-Scope-OrgID, any case).
func tenantOf(headers map[string]string) (string, bool) {
	for k, v := range headers {
		if strings.EqualFold(k, "X-Scope-OrgID") {
			return v, true
		}
	}
	return "", false
}

// redact hides a URL's password.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}
