// Package embedded is the built-in metrics engine for users without a
// Prometheus server: it scrapes exporters' /metrics endpoints itself, keeps
// the samples in memory and answers PromQL with Prometheus's own engine
// (github.com/prometheus/prometheus/promql), so the query templates written
// for a remote Prometheus give the same answers here.
//
// Scraping follows Prometheus's scrape loop: the same Accept header and
// exposition parsers (model/textparse, for both the Prometheus text format and
// OpenMetrics), job and instance target labels with honor_labels: false
// (a conflicting exposed label is kept as exported_<name>), honoured explicit
// timestamps, the synthetic up, scrape_duration_seconds,
// scrape_samples_scraped, scrape_samples_post_metric_relabeling and
// scrape_series_added series, and staleness markers for series that vanish or
// whose target fails. ScrapeTargets reports each target's health and the
// (model, version) pairs it exported when it last answered, so that the
// poller can hold those versions' last values, marked stale, while it is down.
//
// Storage keeps each series as Gorilla-compressed chunks of 120 samples plus
// an uncompressed head, drops data older than the retention, and gives every
// query a consistent view: a scrape's samples become visible together.
package embedded
