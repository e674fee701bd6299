package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/recording"
	"github.com/mltop/mltop/internal/rules"
	"github.com/mltop/mltop/internal/termsafe"
)

// labelFlags collects repeated --label KEY=VALUE.
type labelFlags map[string]string

func (l labelFlags) String() string { return "" }

func (l labelFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	l[k] = v
	return nil
}

// Kubernetes' names: an object's (RFC 1123 subdomain) and a namespace's
// (RFC 1123 label).
var (
	kubeName  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)
	kubeLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// cmdRules prints the alerting rules generated from the config's
// thresholds: exit 0 written, 2 on bad usage or a bad config.
func cmdRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("rules", stderr)
	var c globalFlags
	c.register(fs)
	format := fs.String("format", "prometheus", "prometheus (a rule file) or prometheusrule (a Kubernetes PrometheusRule)")
	output := fs.String("output", "", "write to this file instead of stdout")
	interval := fs.Duration("interval", rules.DefaultInterval, "how often Prometheus evaluates the rules")
	forScale := fs.Float64("for-scale", 1, "multiply every rule's for: by this (0.01: minutes become seconds, for a test or staging Prometheus)")
	name := fs.String("name", "mltop", "the PrometheusRule's name")
	namespace := fs.String("namespace", "", "the PrometheusRule's namespace (default: none, kubectl's)")
	recorded := fs.Bool("recording", false, "print the recording rules instead: one recorded series per role mltop would evaluate on every refresh (see prometheus.recorded)")
	labels := labelFlags{}
	fs.Var(labels, "label", "a label of the PrometheusRule, KEY=VALUE, repeatable (the Operator's ruleSelector)")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop rules: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if *format != "prometheus" && *format != "prometheusrule" {
		termsafe.Fprintf(stderr, "mltop rules: --format must be prometheus or prometheusrule, not %q\n", *format)
		return exitFailure
	}
	if *interval < time.Second {
		termsafe.Fprintf(stderr, "mltop rules: --interval must be at least 1s, got %s\n", *interval)
		return exitFailure
	}
	if !(*forScale > 0 && *forScale <= rules.MaxForScale) {
		termsafe.Fprintf(stderr, "mltop rules: --for-scale must be above 0 and at most %g, got %g\n", float64(rules.MaxForScale), *forScale)
		return exitFailure
	}
	if *recorded {
		var alertingOnly []string
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "interval" || f.Name == "for-scale" {
				alertingOnly = append(alertingOnly, "--"+f.Name)
			}
		})
		if len(alertingOnly) > 0 {
			termsafe.Fprintf(stderr, "mltop rules: %s applies to the alerting rules; the recording rules are evaluated every %s, with no for:\n",
				strings.Join(alertingOnly, " and "), config.FormatDuration(recording.Interval))
			return exitFailure
		}
	}
	if *format == "prometheusrule" {
		if !kubeName.MatchString(*name) || len(*name) > 253 {
			termsafe.Fprintf(stderr, "mltop rules: --name %q is not a Kubernetes object name (lower-case letters, digits, '-' and '.')\n", *name)
			return exitFailure
		}
		if *namespace != "" && (!kubeLabel.MatchString(*namespace) || len(*namespace) > 63) {
			termsafe.Fprintf(stderr, "mltop rules: --namespace %q is not a Kubernetes namespace (lower-case letters, digits and '-')\n", *namespace)
			return exitFailure
		}
	}
	cfg, found, err := c.loadConfig(stderr)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if !found {
		termsafe.Fprintln(stderr, "mltop rules: no config file: the rules use the default thresholds and the mltop profile")
	}
	meta := rules.KubeMeta{Name: *name, Namespace: *namespace, Labels: labels}
	var b bytes.Buffer
	if *recorded {
		err = writeRecording(&b, cfg, *format == "prometheusrule", meta)
	} else {
		err = writeAlerting(&b, cfg, rules.Options{Interval: *interval, ForScale: *forScale}, *format == "prometheusrule", meta)
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop rules: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if err == nil && *output != "" {
		err = writeFileAtomic(*output, b.Bytes())
	} else if err == nil {
		err = termsafe.WriteText(stdout, b.String())
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop rules: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	return exitOK
}

// writeAlerting writes the alerting rules, as a rule file or a
// PrometheusRule.
func writeAlerting(w io.Writer, cfg *config.Config, opts rules.Options, kube bool, meta rules.KubeMeta) error {
	f, err := rules.Generate(cfg, opts)
	if err != nil {
		return err
	}
	if kube {
		return f.WritePrometheusRule(w, meta)
	}
	return f.WriteYAML(w)
}

// writeRecording writes the recording rules (their own group and
// interval), as a rule file or a PrometheusRule.
func writeRecording(w io.Writer, cfg *config.Config, kube bool, meta rules.KubeMeta) error {
	file, err := recording.RuleFile(cfg)
	if err != nil {
		return err
	}
	if kube {
		return rules.WrapPrometheusRule(w, meta, file)
	}
	_, err = w.Write(file)
	return err
}

// writeFileAtomic replaces path with data, so that a Prometheus reloading
// its rules never reads half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up after a failure
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
