// Package judge is the one place mltop forms opinions about numbers. It
// runs between the merge and every reader of a snapshot and fills, per
// version and per model: health with its reasons, each drift score's
// resolved threshold, verdict and severity, the dataset verdict, the
// quality delta against the offline baseline with its interval and
// whether it is within noise, label confidence and age, the error
// ratio's status, and whether the figures are stale or impossible. The
// screens, `snapshot`, `check`, the retrain payload and SSH sessions read
// those fields; none of them compares a value with a threshold.
//
// A fault is never health: stale, impossible or ambiguous data makes a
// version's health "unknown" (with why), never ✔.
package judge
