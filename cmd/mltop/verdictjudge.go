package main

import (
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/report"
)

// verdictJudge is the judge's verdict under cfg's verdict section, for
// `mltop verdict` and /v1/verdict alike.
func verdictJudge(cfg *config.Config) report.VerdictJudge {
	return judge.FromConfig(cfg).SnapshotVerdict
}
