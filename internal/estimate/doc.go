// Package estimate estimates a binary classifier's quality without labels
// (CBPE: confidence-based performance estimation) from histograms: how
// many predictions fell in each score bucket, and how often each bucket's
// labelled predictions turned out positive. Pure functions; see
// docs/estimate.md for the formulas and when not to trust them.
package estimate
