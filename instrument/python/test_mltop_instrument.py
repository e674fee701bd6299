"""Unit tests of mltop_instrument: what a scrape of /metrics shows.

    python3 -m unittest discover instrument/python
"""

import json
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mltop_instrument as mi  # noqa: E402

from prometheus_client import CollectorRegistry, generate_latest  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

# Every name mltop's default profile reads that this module writes.
CONVENTION = {
    "model_predictions_total", "model_prediction_errors_total",
    "model_prediction_duration_seconds", "model_feature_value", "model_feature_category_total",
    "model_feature_missing_total", "model_prediction_value", "model_traffic_weight",
    "model_ground_truth_labeled_total", "model_ground_truth_delay_seconds",
    "model_ground_truth_last_timestamp_seconds", "model_performance", "model_labeled_score",
    "model_labeled_positive_score", "model_performance_estimate", "model_drift_score",
}

REF = json.dumps({
    "version": 1,
    "features": {
        "tenure": {"bounds": [3, 6, "12", "+Inf"], "counts": [10, 20, 30, 40]},
        "plan": {"categories": {"basic": 7, "pro": 3}},
        "__prediction__": {"bounds": [0.25, 0.5, 0.75, "+Inf"], "counts": [1, 1, 1, 1]},
    },
})


def scrape(registry):
    """name -> list of (sample name, labels, value), as Prometheus reads them."""
    text = generate_latest(registry).decode()
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out.setdefault(s.name, []).append((s.labels, s.value))
    return out


def value(samples, name, **labels):
    got = [v for lb, v in samples.get(name, []) if all(lb.get(k) == w for k, w in labels.items())]
    if len(got) != 1:
        raise AssertionError("%s%s: %d samples: %r" % (name, labels, len(got), samples.get(name)))
    return got[0]


def buckets(samples, name, **labels):
    """le -> cumulative count."""
    return {lb["le"]: v for lb, v in samples.get(name + "_bucket", [])
            if all(lb.get(k) == w for k, w in labels.items())}


class ModelMetricsTest(unittest.TestCase):
    def setUp(self):
        self.reg = CollectorRegistry()
        self.ref = mi.Reference.from_json(REF)

    def test_zero_series_exist_before_traffic(self):
        """mltop reads an error ratio of 0, not unknown, before the first
        error; every reference feature has a series to increase()."""
        mi.ModelMetrics("churn", "3", self.ref, registry=self.reg)
        s = scrape(self.reg)
        self.assertEqual(value(s, "model_predictions_total", model="churn", version="3"), 0)
        self.assertEqual(value(s, "model_prediction_errors_total", model="churn", version="3"), 0)
        self.assertEqual(value(s, "model_feature_category_total", feature="plan", category="pro"), 0)
        self.assertEqual(value(s, "model_feature_missing_total", feature="tenure"), 0)
        self.assertEqual(value(s, "model_feature_missing_total", feature="plan"), 0)
        self.assertEqual(buckets(s, "model_feature_value", feature="tenure"),
                         {"3.0": 0, "6.0": 0, "12.0": 0, "+Inf": 0})
        self.assertEqual(value(s, "model_traffic_weight", track="stable"), 100)

    def test_prediction_counts_buckets_and_labels(self):
        m = mi.ModelMetrics("churn", "3", self.ref, registry=self.reg)
        m.observe({"tenure": 3, "plan": "basic"}, 0.5, 0.02)       # 3 and 0.5 lie on bounds: le
        m.observe({"tenure": 13.5, "plan": "gold"}, 0.9, 0.2)
        m.observe({"tenure": None, "plan": float("nan")}, None, 7, error=True)
        with self.assertRaises(RuntimeError):
            with m.predict({"tenure": 5}):
                raise RuntimeError("model failed")
        with m.predict({"tenure": 7}) as p:
            p.output(0.1)
        s = scrape(self.reg)
        self.assertEqual(value(s, "model_predictions_total"), 5)
        self.assertEqual(value(s, "model_prediction_errors_total"), 2)
        self.assertEqual(buckets(s, "model_feature_value", feature="tenure"),
                         {"3.0": 1, "6.0": 2, "12.0": 3, "+Inf": 4})
        self.assertEqual(value(s, "model_feature_value_sum", feature="tenure"), 3 + 13.5 + 5 + 7)
        self.assertEqual(value(s, "model_feature_category_total", feature="plan", category="basic"), 1)
        self.assertEqual(value(s, "model_feature_category_total", feature="plan", category="gold"), 1)
        self.assertEqual(value(s, "model_feature_missing_total", feature="tenure"), 1)
        self.assertEqual(value(s, "model_feature_missing_total", feature="plan"), 1)
        # Outputs of failed predictions are not the model's answers.
        self.assertEqual(buckets(s, "model_prediction_value"), {"0.25": 1, "0.5": 2, "0.75": 2, "+Inf": 3})
        lat = buckets(s, "model_prediction_duration_seconds")
        self.assertEqual((lat["0.025"], lat["0.25"], lat["5.0"], lat["10.0"], lat["+Inf"]), (3, 4, 4, 5, 5))
        for lb, _ in s["model_prediction_duration_seconds_bucket"]:
            self.assertEqual(set(lb), {"model", "version", "le"})

    def test_names_and_labels_are_the_convention(self):
        m = mi.ModelMetrics("churn", "3", self.ref, track="canary", weight=25, registry=self.reg)
        fb = mi.Feedback("churn", "3", self.ref, registry=self.reg)
        m.observe({"tenure": 1, "plan": "basic"}, 0.7, 0.01)
        fb.label(0.7, True, predicted_at=100, now=160)
        m.set_estimate("rmse", 3.5)
        m.set_drift_score("tenure", "psi", 0.2)
        text = generate_latest(self.reg).decode()
        names = {f.name + ("_total" if f.type == "counter" else "")
                 for f in text_string_to_metric_families(text)}
        self.assertEqual(names, CONVENTION)
        extra = {n: set(lbls) for n, (_, lbls, _) in mi.FAMILIES.items()}
        for fam in text_string_to_metric_families(text):
            for smp in fam.samples:
                want = {"model", "version"} | extra[fam.name] | ({"le"} if smp.name.endswith("_bucket") else set())
                self.assertEqual(set(smp.labels), want, smp)
                self.assertEqual((smp.labels["model"], smp.labels["version"]), ("churn", "3"))
        s = scrape(self.reg)
        self.assertEqual(value(s, "model_traffic_weight", track="canary"), 25)
        self.assertEqual(value(s, "model_performance_estimate", metric="rmse"), 3.5)
        self.assertEqual(value(s, "model_drift_score", feature="tenure", method="psi"), 0.2)

    def test_set_traffic_moves_the_track(self):
        m = mi.ModelMetrics("m", "2", registry=self.reg, track="canary", weight=10)
        m.set_traffic("stable", 100)
        s = scrape(self.reg)
        self.assertEqual([lb["track"] for lb, _ in s["model_traffic_weight"]], ["stable"])

    def test_unknown_numeric_feature_is_not_exported(self):
        m = mi.ModelMetrics("m", "1", self.ref, registry=self.reg)
        with self.assertLogs("mltop_instrument", "WARNING"):
            m.observe({"age": 40}, 0.3, 0.01)
        s = scrape(self.reg)
        self.assertEqual({lb["feature"] for lb, _ in s["model_feature_value_count"]}, {"tenure"})

    def test_two_versions_share_a_registry(self):
        mi.ModelMetrics("m", "1", registry=self.reg, weight=90).observe({}, 0.2, 0.01)
        mi.ModelMetrics("m", "2", registry=self.reg, track="canary", weight=10)
        s = scrape(self.reg)
        self.assertEqual(value(s, "model_predictions_total", version="1"), 1)
        self.assertEqual(value(s, "model_predictions_total", version="2"), 0)
        # Default score buckets: 0.1 wide, the 0.5 threshold a bound.
        self.assertEqual(sorted(buckets(s, "model_prediction_value", version="1"), key=float),
                         ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "+Inf"])


class FeedbackTest(unittest.TestCase):
    def setUp(self):
        self.reg = CollectorRegistry()
        self.ref = mi.Reference.from_json(REF)

    def test_labels_delay_timestamp_calibration(self):
        fb = mi.Feedback("churn", "3", self.ref, delay_bounds=(60, 3600), registry=self.reg)
        s = scrape(self.reg)
        # Both calibration histograms exist before the first label.
        self.assertEqual(buckets(s, "model_labeled_positive_score")["+Inf"], 0)
        self.assertNotIn("model_ground_truth_last_timestamp_seconds", s)
        fb.label(0.8, True, predicted_at=1000, now=1030)
        fb.label(0.3, False, predicted_at=1000, now=1600)
        fb.label(0.5, True, predicted_at=1000, now=9000)
        fb.label(0.6, 1, predicted_at=2000, now=2500)   # arrives out of order
        s = scrape(self.reg)
        self.assertEqual(value(s, "model_ground_truth_labeled_total"), 4)
        self.assertEqual(buckets(s, "model_ground_truth_delay_seconds"), {"60.0": 1, "3600.0": 3, "+Inf": 4})
        self.assertEqual(value(s, "model_ground_truth_last_timestamp_seconds"), 9000)
        self.assertEqual(buckets(s, "model_labeled_score"), {"0.25": 0, "0.5": 2, "0.75": 3, "+Inf": 4})
        self.assertEqual(buckets(s, "model_labeled_positive_score"), {"0.25": 0, "0.5": 1, "0.75": 2, "+Inf": 3})
        # 0.5 sits on the threshold: predicted negative, labelled positive.
        self.assertEqual(value(s, "model_performance", metric="accuracy"), 0.75)
        # Positives 0.8, 0.5, 0.6 against the negative 0.3: every pair ordered.
        self.assertEqual(value(s, "model_performance", metric="auc"), 1.0)

    def test_rolling_window_and_auc_ties(self):
        fb = mi.Feedback("m", "1", window=4, registry=self.reg)
        for score, y in [(0.9, False), (0.9, False), (0.2, True), (0.4, True), (0.4, False), (0.7, True)]:
            fb.label(score, y, predicted_at=0, now=1)
        # The last four: (0.2, T), (0.4, T), (0.4, F), (0.7, T). The negative
        # 0.4 beats 0.2, ties 0.4 and loses to 0.7: AUC (0 + 0.5 + 1) / 3.
        q = fb.quality()
        self.assertAlmostEqual(q["auc"], 0.5)
        self.assertAlmostEqual(q["accuracy"], 0.5)

    def test_no_auc_with_one_class(self):
        fb = mi.Feedback("m", "1", registry=self.reg)
        fb.label(0.9, True, predicted_at=0, now=1)
        self.assertEqual(fb.quality(), {"accuracy": 1.0})
        s = scrape(self.reg)
        self.assertEqual([lb["metric"] for lb, _ in s["model_performance"]], ["accuracy"])

    def test_regression(self):
        fb = mi.Feedback("m", "1", kind="regression", registry=self.reg)
        fb.label(10, 13, predicted_at=0, now=1)
        fb.label(10, 6, predicted_at=0, now=1)
        s = scrape(self.reg)
        self.assertAlmostEqual(value(s, "model_performance", metric="rmse"), math.sqrt((9 + 16) / 2))
        self.assertAlmostEqual(value(s, "model_performance", metric="mae"), 3.5)
        self.assertNotIn("model_labeled_score_bucket", s)

    def test_threshold_must_be_a_bound(self):
        with self.assertRaises(ValueError):
            mi.Feedback("m", "1", self.ref, threshold=0.6, registry=self.reg)


class ReferenceTest(unittest.TestCase):
    def test_reads_export_output(self):
        ref = mi.Reference.from_json(REF)
        self.assertEqual(ref.bounds["tenure"], (3, 6, 12, math.inf))
        self.assertEqual(ref.categories["plan"], ("basic", "pro"))
        self.assertEqual(ref.bounds[mi.PREDICTION], (0.25, 0.5, 0.75, math.inf))

    def test_rejects_other_versions_and_bad_bounds(self):
        with self.assertRaises(ValueError):
            mi.Reference.from_json('{"version": 2, "features": {}}')
        with self.assertRaises(ValueError):
            mi.Reference.from_json('{"version": 1, "features": {"x": {"bounds": [3, 2, "+Inf"]}}}')

    def test_from_sample_deciles(self):
        xs = list(range(1000)) + [None] * 10
        ref = mi.Reference.from_sample({"x": xs, "c": ["a", "b", None, "a"]}, prediction=[0.05, 0.95])
        self.assertEqual(ref.bounds["x"], (100, 200, 300, 400, 500, 600, 700, 800, 900, math.inf))
        doc = json.loads(ref.to_json())
        x = doc["features"]["x"]
        # Each bucket holds a tenth of the sample: what drift compares with.
        self.assertEqual(x["counts"], [101] + [100] * 8 + [99])
        self.assertEqual(x["bounds"][-1], "+Inf")
        self.assertAlmostEqual(x["missing_share"], 10 / 1010)
        self.assertEqual(doc["features"]["c"]["categories"], {"a": 2, "b": 1})
        self.assertEqual(doc["features"]["c"]["missing_share"], 0.25)
        self.assertEqual(doc["features"][mi.PREDICTION]["counts"], [1] + [0] * 8 + [1])
        # The profile reads back with the same bounds the exporter uses.
        again = mi.Reference.from_json(ref.to_json())
        self.assertEqual(again.bounds, ref.bounds)
        self.assertEqual(again.categories, ref.categories)

    def test_from_sample_keeps_close_quantiles_apart(self):
        ref = mi.Reference.from_sample({"t": [1.7e9 + i for i in range(100)]})
        self.assertEqual(len(ref.bounds["t"]), 10)

    def test_exporter_le_matches_reference_bounds(self):
        """mltop uses a profile only where its bounds are the exporter's le."""
        reg = CollectorRegistry()
        ref = mi.Reference.from_sample({"x": [i / 7 for i in range(700)]})
        m = mi.ModelMetrics("m", "1", ref, registry=reg)
        m.observe({"x": 0.5}, 0.5, 0.01)
        les = [float(le) for le in buckets(scrape(reg), "model_feature_value", feature="x")]
        doc = json.loads(ref.to_json())
        self.assertEqual(sorted(les), [float(b) for b in doc["features"]["x"]["bounds"]])


if __name__ == "__main__":
    unittest.main()
