package auditreport

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/neterr"
	"github.com/mltop/mltop/internal/termsafe"
)

// ServedHistory says which versions served when (internal/servinghistory's
// Provider).
type ServedHistory interface {
	Served(ctx context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error)
}

// RegistryHistory is the registry's alias and stage history
// (internal/registryhistory's Log).
type RegistryHistory interface {
	Changes(model string, since time.Time) ([]fleet.RegistryChange, error)
	// Began is when the history first saw model ("": any model); zero
	// when it never did.
	Began(model string) time.Time
}

// RangeQuerier answers range queries (the Prometheus-compatible server).
type RangeQuerier interface {
	QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error)
}

// AlertRules lists the alerting rules the rule evaluator has loaded, so
// that no MLTop alert in the history can be told from no rules to fire one.
type AlertRules interface {
	AlertRuleNames(ctx context.Context) ([]string, error)
}

// Inputs are where the report reads from. A nil source makes its section
// unknown, with the matching ...Missing text as the reason.
type Inputs struct {
	Served          ServedHistory
	ServedMissing   string
	Registry        RegistryHistory
	RegistryMissing string
	// AuditPath is the audit log; "" when none is configured.
	AuditPath string
	// AuditContext keeps the audit log's records of one config context
	// (the log may be shared by several); "" reads them all.
	AuditContext string
	// Metrics answers the alerts, breaches, drift and quality sections.
	Metrics        RangeQuerier
	MetricsMissing string
	// Rules, when set, says whether mltop's alerting rules are loaded.
	Rules AlertRules
	// Queries are the configured role queries (error_ratio, drift_score,
	// performance); an empty one leaves its section unknown.
	Queries map[fleet.Role]string
	// ModelNames maps the metrics' model label to the registered name.
	ModelNames map[string]string
	// Judge has the thresholds: the error ratio's, drift's per method,
	// the quality drop's.
	Judge judge.Config
	// Current is the registry read now, for quality's baselines; nil
	// leaves quality unknown, with CurrentMissing as the reason.
	Current        *fleet.Registry
	CurrentMissing string
	// Timeout bounds each read; default 30s.
	Timeout time.Duration
	// MinStep is the finest step worth asking for (the scrape interval).
	MinStep time.Duration
}

// Options say what the report covers.
type Options struct {
	From, To time.Time
	Model    string // "" for every model
}

// maxText bounds one text from a server or a file.
const maxText = 512

func clean(s string) string { return termsafe.Clean(human.Clip(s, maxText)) }

// Build reads every section and returns the report; it never fails: a
// section that cannot be read is marked unknown with the reason.
func Build(ctx context.Context, in Inputs, opts Options, now time.Time) *Report {
	if in.Timeout <= 0 {
		in.Timeout = 30 * time.Second
	}
	step := StepFor(opts.From, opts.To, in.MinStep)
	r := &Report{Schema: Schema, GeneratedAt: now.UTC(), From: opts.From.UTC(), To: opts.To.UTC(),
		Model: clean(opts.Model), Context: clean(in.AuditContext), StepSeconds: step.Seconds()}
	b := &builder{in: in, opts: opts, step: step, models: map[string]*Model{}}
	r.Sections = []Status{
		b.served(ctx),
		b.actions(),
		b.alerts(ctx),
		b.breaches(ctx),
		b.drift(ctx),
		b.quality(ctx),
		b.registry(),
	}
	names := make([]string, 0, len(b.models))
	for n := range b.models {
		names = append(names, n)
	}
	slices.Sort(names)
	r.Models = make([]Model, 0, len(names))
	for _, n := range names {
		r.Models = append(r.Models, *b.models[n])
	}
	return r
}

type builder struct {
	in     Inputs
	opts   Options
	step   time.Duration
	models map[string]*Model
}

// model returns the record of the model named (raw, as the source gave
// it), made on first use, with empty lists rather than null in JSON.
func (b *builder) model(raw string) *Model {
	if n, ok := b.in.ModelNames[raw]; ok {
		raw = n
	}
	name := clean(raw)
	m := b.models[name]
	if m == nil {
		m = &Model{Name: name, Served: []Served{}, Actions: []Action{}, Alerts: []Episode{}, Breaches: []Episode{},
			Drift: []Episode{}, Quality: []Episode{}, Registry: []Change{}}
		b.models[name] = m
	}
	return m
}

// wanted reports whether a model (raw name, as the source gave it) is in
// the report.
func (b *builder) wanted(raw string) bool {
	if b.opts.Model == "" {
		return true
	}
	if n, ok := b.in.ModelNames[raw]; ok {
		raw = n
	}
	return raw == b.opts.Model
}

func unknown(name, why string) Status {
	return Status{Name: name, Status: StatusUnknown, Detail: clean(why)}
}

func (b *builder) served(ctx context.Context) Status {
	if b.in.Served == nil {
		return unknown(SectionServed, or(b.in.ServedMissing, "no serving history is available"))
	}
	ctx, cancel := context.WithTimeout(ctx, b.in.Timeout)
	defer cancel()
	got, err := b.in.Served.Served(ctx, b.opts.Model, b.opts.From, b.opts.To)
	if err != nil {
		return unknown(SectionServed, "serving history: "+b.plain(err))
	}
	for name, ivs := range got {
		if !b.wanted(name) {
			continue
		}
		m := b.model(name)
		for _, iv := range ivs {
			m.Served = append(m.Served, Served{Version: clean(iv.Version), From: iv.From.UTC(), To: iv.To.UTC(),
				Share: iv.Share, ErrorRatio: iv.ErrorRatio})
		}
	}
	return Status{Name: SectionServed, Status: StatusOK}
}

func (b *builder) registry() Status {
	if b.in.Registry == nil {
		return unknown(SectionRegistry, or(b.in.RegistryMissing, "no registry history is kept"))
	}
	changes, err := b.in.Registry.Changes(b.opts.Model, b.opts.From)
	if err != nil {
		return unknown(SectionRegistry, err.Error())
	}
	for _, c := range changes {
		if c.Time.After(b.opts.To) {
			continue
		}
		m := b.model(c.Model)
		m.Registry = append(m.Registry, Change{Time: c.Time.UTC(), Alias: clean(c.Alias), Version: clean(c.Version),
			From: clean(c.From), To: clean(c.To)})
	}
	const seen = "changes mltop saw at its registry reads, dated by the read that showed them: " +
		"within one registry refresh of the change while mltop was running, later for one made while it was not"
	began := b.in.Registry.Began(b.opts.Model)
	switch {
	case began.IsZero():
		return Status{Name: SectionRegistry, Status: StatusPartial,
			Detail: "the registry history has no record yet: mltop records it while it reads the registry; changes before are not known"}
	case began.After(b.opts.From):
		return Status{Name: SectionRegistry, Status: StatusPartial,
			Detail: "the registry history began at " + began.UTC().Format(time.RFC3339) + ": changes before then are not known; " + seen}
	}
	return Status{Name: SectionRegistry, Status: StatusOK, Detail: seen}
}

// rangeQuery runs one bounded range query over the report's period.
func (b *builder) rangeQuery(ctx context.Context, expr string) (model.Matrix, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, b.in.Timeout)
	defer cancel()
	return b.in.Metrics.QueryRange(ctx, expr, b.opts.From, b.opts.To, b.step)
}

// withWarnings is ok, or partial when the server warned.
func withWarnings(name string, warnings []string, detail string) Status {
	if len(warnings) > 0 {
		return Status{Name: name, Status: StatusPartial, Detail: clean("the server warned: " + strings.Join(warnings, "; "))}
	}
	return Status{Name: name, Status: StatusOK, Detail: detail}
}

// plain is a source's error in plain words ("timed out after 30s").
func (b *builder) plain(err error) string { return neterr.Plain(err, b.in.Timeout) }

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func pct(v float64) string { return fmt.Sprintf("%.1f %%", v*100) }
