// Package abtest holds the statistics that compare a candidate version
// with its baseline while both serve: an always-valid test for error
// rates (mSPRT), a two-sample Kolmogorov–Smirnov test on latency
// histograms, Newcombe's interval for a difference of measured
// proportions, a z interval for a difference of estimates, and how many
// more samples a test would need to see a given change. Pure functions;
// docs/verdict.md gives the formulas and why each was chosen.
package abtest
