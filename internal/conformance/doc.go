// Package conformance is the integration suite that shows mltop reads every
// Prometheus-compatible engine it supports the same way: Prometheus,
// VictoriaMetrics, Thanos and Mimir, each started on 127.0.0.1 by
// internal/testenv and fed by the same deterministic exporter. For every
// role of the default profile, mltop's snapshot must equal what the
// engine's own /api/v1/query returns for the same expression at the same
// instant; each engine's quirks (partial responses, tenants, errors) must
// reach the user in plain words.
//
// Prometheus and VictoriaMetrics are Debian packages; Thanos and Mimir are
// built from their Go modules (go run ./internal/testenv/cmd/buildengines).
// A missing engine skips its lane unless MLTOP_REQUIRE_INTEGRATION=1.
package conformance
