"""Export mltop's metric convention (profile ``mltop``) from a Python model server.

mltop reads a fixed set of metric names, each with ``model`` and ``version``
labels (README, "What your exporters should export"). This module writes
exactly those, with the bucket conventions mltop's drift, data-quality and
quality-estimate computations rely on, so a model server only says what
happened:

    ref = Reference.load("ref.json")            # `mltop reference export` output
    m = ModelMetrics("churn", "3", ref)
    with m.predict({"tenure": 12, "plan": "basic"}) as p:
        p.output(model.predict_proba(x)[0, 1])

    fb = Feedback("churn", "3", ref)            # where labels arrive
    fb.label(score, churned, predicted_at)

    prometheus_client.start_http_server(8000)   # /metrics

It needs only ``prometheus_client`` (Debian: python3-prometheus-client).
Not exported here: ``model_offline_performance`` (``mltop serve`` publishes
the registry's) and the ``model_rollout_*``/``model_analysis_*`` gauges (a
rollout controller's).
"""

import bisect
import collections
import contextlib
import json
import logging
import math
import threading
import time
import weakref

from prometheus_client import REGISTRY
from prometheus_client.core import (CounterMetricFamily, GaugeMetricFamily,
                                    HistogramMetricFamily)
from prometheus_client.utils import floatToGoString

__all__ = ["Reference", "ModelMetrics", "Feedback", "PREDICTION",
           "SCORE_BOUNDS", "LATENCY_BOUNDS", "DELAY_BOUNDS"]

log = logging.getLogger("mltop_instrument")

INF = float("inf")

#: The feature name of the model's output in a reference profile.
PREDICTION = "__prediction__"

#: A binary classifier's score buckets: 0.1 wide, with the default decision
#: threshold 0.5 among the bounds, as mltop's quality estimate needs.
SCORE_BOUNDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, INF)

#: Serving latency buckets in seconds (prometheus_client's defaults).
LATENCY_BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75,
                  1.0, 2.5, 5.0, 7.5, 10.0, INF)

#: Label delay buckets in seconds: a minute to a month, since labels such
#: as chargebacks or churn arrive days late.
DELAY_BOUNDS = (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400,
                2 * 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, INF)

# name (without _total) -> (type, extra labels, help). The whole convention
# this module writes; mltop's queries read these names and labels.
FAMILIES = {
    "model_predictions": ("counter", (), "Predictions served."),
    "model_prediction_errors": ("counter", (), "Failed predictions."),
    "model_prediction_duration_seconds": ("histogram", (), "Serving latency."),
    "model_feature_value": ("histogram", ("feature",), "Numeric input values; bucket bounds are the reference's."),
    "model_feature_category": ("counter", ("feature", "category"), "Categorical input values."),
    "model_feature_missing": ("counter", ("feature",), "Predictions whose feature was missing or null."),
    "model_prediction_value": ("histogram", (), "The model's output (binary classifiers: the positive-class score)."),
    "model_traffic_weight": ("gauge", ("track",), "Percent of the model's traffic this version serves."),
    "model_ground_truth_labeled": ("counter", (), "Predictions that have received their label."),
    "model_ground_truth_delay_seconds": ("histogram", (), "Time from prediction to label."),
    "model_ground_truth_last_timestamp_seconds": ("gauge", (), "Unix time the newest label arrived."),
    "model_performance": ("gauge", ("metric",), "Live quality on the most recent labelled predictions."),
    "model_labeled_score": ("histogram", (), "Score of each labelled prediction, when its label arrives."),
    "model_labeled_positive_score": ("histogram", (), "The same, positive labels only."),
    "model_performance_estimate": ("gauge", ("metric",), "Quality estimated by the server without labels."),
    "model_drift_score": ("gauge", ("feature", "method"), "Drift computed elsewhere."),
}


def _bound(value):
    """A profile's bound: a number, or the string "+Inf"."""
    return INF if value in ("+Inf", "Inf", "inf") else float(value)


def _bounds(values):
    """Checks bucket upper bounds: finite, increasing, ending in +Inf."""
    b = tuple(float(v) for v in values)
    if not b or b[-1] != INF:
        b += (INF,)
    for lo, hi in zip(b, b[1:]):
        if not lo < hi or math.isnan(lo):
            raise ValueError("bucket bounds must increase: %r" % (b,))
    return b


def _quantile_bounds(values, buckets):
    """Upper bounds at the sample's 1/buckets quantiles, duplicates
    dropped, then +Inf. Not rounded: rounding would merge the quantiles of
    a feature with a large offset and a small spread (timestamps)."""
    xs = sorted(values)
    out = []
    for i in range(1, buckets):
        q = xs[min(len(xs) - 1, (i * len(xs)) // buckets)]
        if not out or q > out[-1]:
            out.append(q)
    if out and out[-1] >= xs[-1]:
        out.pop()  # nothing could fall between it and +Inf
    return tuple(out) + (INF,)


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


class Reference:
    """A model version's reference: bucket bounds of each numeric feature
    and of the output, and the categories of each categorical feature.

    mltop compares live histograms with the reference's counts only where
    their bounds are the same, so the exporter must use the reference's
    bounds: that is why ModelMetrics takes its buckets from here.
    """

    def __init__(self, bounds=None, categories=None, profile=None):
        self.bounds = {f: _bounds(b) for f, b in (bounds or {}).items()}
        self.categories = {f: tuple(c) for f, c in (categories or {}).items()}
        # The profile JSON as a dict: what to store as the registry tag.
        self.profile = profile

    @classmethod
    def from_json(cls, text):
        """Reads a reference profile, as `mltop reference export` writes it."""
        doc = json.loads(text)
        if doc.get("version") != 1:
            raise ValueError("reference profile version %r, want 1" % doc.get("version"))
        bounds, categories = {}, {}
        for name, f in doc.get("features", {}).items():
            if "bounds" in f:
                bounds[name] = [_bound(b) for b in f["bounds"]]
            elif "categories" in f:
                categories[name] = sorted(f["categories"])
        return cls(bounds, categories, doc)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read())

    @classmethod
    def from_sample(cls, columns, buckets=10, prediction=None, score_bounds=SCORE_BOUNDS):
        """Builds a reference from a training or validation sample.

        columns maps each feature to its values (None or NaN: missing).
        Numeric features get bounds at the sample's quantiles (deciles by
        default: equal-mass buckets make drift statistics most sensitive);
        string features are categorical. prediction, the model's outputs on
        the sample, becomes the __prediction__ histogram (score_bounds, or
        quantiles when score_bounds is None, for regressors). The counts
        are kept so that to_json() writes a complete profile.
        """
        bounds, categories, features = {}, {}, {}
        cols = dict(columns)
        if prediction is not None:
            cols[PREDICTION] = prediction
        for name, values in cols.items():
            present = [v for v in values if not _missing(v)]
            if not present:
                raise ValueError("feature %r has no value in the sample" % name)
            entry = {}
            if all(isinstance(v, str) for v in present):
                counts = collections.Counter(present)
                categories[name] = sorted(counts)
                entry["categories"] = dict(sorted(counts.items()))
            else:
                xs = [float(v) for v in present]
                if name == PREDICTION and score_bounds is not None:
                    b = _bounds(score_bounds)
                else:
                    b = _quantile_bounds(xs, buckets)
                bounds[name] = b
                counts = [0] * len(b)
                for x in xs:
                    counts[bisect.bisect_left(b, x)] += 1
                entry["bounds"] = [floatToGoString(v) if v == INF else v for v in b]
                entry["counts"] = counts
            if name != PREDICTION:
                entry["missing_share"] = 1 - len(present) / len(values)
            features[name] = entry
        profile = {"version": 1, "features": features,
                   "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        return cls(bounds, categories, profile)

    def to_json(self):
        """The profile as JSON: store it as the version's registry tag
        mltop.reference (MlflowClient().set_model_version_tag)."""
        if self.profile is None:
            raise ValueError("this reference has no counts: build it with from_sample or load")
        return json.dumps(self.profile, sort_keys=True)


class _Histogram:
    """Bucket counts with their own bounds: prometheus_client's Histogram
    shares one bucket list across labels, but each feature needs its own."""

    def __init__(self, bounds):
        self.bounds = bounds
        self.counts = [0] * len(bounds)
        self.sum = 0.0

    def observe(self, value):
        # le is "less than or equal": a value on a bound falls in that bucket.
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.sum += value

    def cumulative(self):
        out, n = [], 0
        for b, c in zip(self.bounds, self.counts):
            n += c
            out.append((floatToGoString(b), n))
        return out, n


class _Store:
    """Every series of the convention on one registry, shared by all
    ModelMetrics and Feedback objects there (several versions may serve
    from one process), and collected in one pass."""

    # Weak: a registry's store goes with it (tests make many registries).
    _by_registry = weakref.WeakKeyDictionary()
    _global = threading.Lock()

    @classmethod
    def of(cls, registry):
        with cls._global:
            s = cls._by_registry.get(registry)
            if s is None:
                s = cls._by_registry[registry] = cls()
                registry.register(s)
            return s

    def __init__(self):
        self.lock = threading.Lock()
        self.series = {name: {} for name in FAMILIES}

    def add(self, name, labels, amount=1.0):
        with self.lock:
            s = self.series[name]
            s[labels] = s.get(labels, 0.0) + amount

    def set(self, name, labels, value):
        """value: a number, or a function called at each scrape."""
        with self.lock:
            self.series[name][labels] = value

    def histogram(self, name, labels, bounds):
        with self.lock:
            h = self.series[name].get(labels)
            if h is None:
                h = self.series[name][labels] = _Histogram(bounds)
            return h

    def observe(self, name, labels, bounds, value):
        h = self.histogram(name, labels, bounds)
        with self.lock:
            h.observe(value)

    def describe(self):
        return []  # names are known only once series exist; skip the check

    def collect(self):
        with self.lock:
            snapshot = {n: dict(s) for n, s in self.series.items()}
            hists = {n: {k: h.cumulative() + (h.sum,) for k, h in s.items()}
                     for n, s in snapshot.items() if FAMILIES[n][0] == "histogram"}
        for name, (kind, extra, doc) in FAMILIES.items():
            series = snapshot[name]
            if not series:
                continue
            labels = ["model", "version"] + list(extra)
            if kind == "counter":
                fam = CounterMetricFamily(name, doc, labels=labels)
                for k, v in series.items():
                    fam.add_metric(list(k), v)
            elif kind == "gauge":
                fam = GaugeMetricFamily(name, doc, labels=labels)
                for k, v in series.items():
                    v = v() if callable(v) else v
                    if v is not None:
                        fam.add_metric(list(k), v)
            else:
                fam = HistogramMetricFamily(name, doc, labels=labels)
                for k, (buckets, _, total) in hists[name].items():
                    fam.add_metric(list(k), buckets, total)
            yield fam


class _Prediction:
    """What predict() yields: call output() with the model's answer."""

    def __init__(self):
        self.value = None

    def output(self, value):
        self.value = value


class ModelMetrics:
    """The serving side of one model version: predictions, errors,
    latency, inputs, output and traffic.

    Every series the version's dashboard row needs is created at zero here,
    so that mltop reads an error ratio of 0 (not "unknown") before the
    first error, and increase() counts a feature's first observations.
    """

    def __init__(self, model, version, reference=None, *, track="stable", weight=100.0,
                 latency_bounds=LATENCY_BOUNDS, score_bounds=SCORE_BOUNDS, registry=REGISTRY):
        self._store = _Store.of(registry)
        self._key = (str(model), str(version))
        self.reference = reference or Reference()
        self._latency = _bounds(latency_bounds)
        self._output = self.reference.bounds.get(PREDICTION) or _bounds(score_bounds)
        self._unknown = set()
        s, k = self._store, self._key
        s.add("model_predictions", k, 0)
        s.add("model_prediction_errors", k, 0)
        s.histogram("model_prediction_duration_seconds", k, self._latency)
        s.histogram("model_prediction_value", k, self._output)
        for f, b in self.reference.bounds.items():
            if f != PREDICTION:
                s.histogram("model_feature_value", k + (f,), b)
                s.add("model_feature_missing", k + (f,), 0)
        for f, cats in self.reference.categories.items():
            s.add("model_feature_missing", k + (f,), 0)
            for c in cats:
                s.add("model_feature_category", k + (f, c), 0)
        self.set_traffic(track, weight)

    def set_traffic(self, track, weight):
        """This version's track (stable, canary or shadow) and percent of
        the model's traffic; call it when a rollout step changes them."""
        s = self._store
        with s.lock:
            for k in [k for k in s.series["model_traffic_weight"] if k[:2] == self._key]:
                del s.series["model_traffic_weight"][k]
        s.set("model_traffic_weight", self._key + (track,), float(weight))

    @contextlib.contextmanager
    def predict(self, features):
        """Times one prediction and records its inputs and output; an
        exception counts as a failed prediction and propagates."""
        p = _Prediction()
        start = time.perf_counter()
        try:
            yield p
        except BaseException:
            self.observe(features, None, time.perf_counter() - start, error=True)
            raise
        self.observe(features, p.value, time.perf_counter() - start)

    def observe(self, features, output, seconds, error=False):
        """Records one prediction whose latency the caller measured."""
        s, k = self._store, self._key
        s.add("model_predictions", k)
        if error:
            s.add("model_prediction_errors", k)
        s.observe("model_prediction_duration_seconds", k, self._latency, seconds)
        for name, value in (features or {}).items():
            self._feature(name, value)
        if output is not None and not error:
            s.observe("model_prediction_value", k, self._output, float(output))

    def _feature(self, name, value):
        s, k = self._store, self._key + (name,)
        if _missing(value):
            s.add("model_feature_missing", k)
            return
        if isinstance(value, str):
            s.add("model_feature_category", k + (value,))
            return
        b = self.reference.bounds.get(name)
        if b is None:
            # Without the reference's bounds a histogram could not be
            # compared with anything; say so once instead of guessing.
            if name not in self._unknown:
                self._unknown.add(name)
                log.warning("feature %r is numeric but not in the reference: not exported", name)
            return
        s.observe("model_feature_value", k, b, float(value))

    def set_estimate(self, metric, value):
        """A quality estimate made without labels (regressors, which mltop
        cannot estimate itself); mltop shows it as estimated."""
        self._store.set("model_performance_estimate", self._key + (metric,), float(value))

    def set_drift_score(self, feature, method, score):
        """A drift score computed elsewhere (e.g. an Evidently job)."""
        self._store.set("model_drift_score", self._key + (feature, method), float(score))


def _auc(pairs):
    """ROC AUC of (score, positive) pairs, ties counted as half; None
    without both classes."""
    pos = sum(1 for _, y in pairs if y)
    neg = len(pairs) - pos
    if pos == 0 or neg == 0:
        return None
    ranked = sorted(pairs, key=lambda p: p[0])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + 1 + j) / 2  # mean rank of the tie group
        rank_sum += mid * sum(1 for p in ranked[i:j] if p[1])
        i = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


class Feedback:
    """The label side of one model version: call label() when a
    prediction's ground truth arrives, in the serving process or in a job
    that joins outcomes later.

    kind "binary": output is the positive-class score, actual a bool; live
    quality is accuracy at threshold and auc, and the calibration
    histograms let mltop estimate quality before the labels come.
    kind "regression": live quality is rmse and mae.
    Live quality is over the last `window` labels, computed at scrape time.
    """

    def __init__(self, model, version, reference=None, *, kind="binary", threshold=0.5,
                 window=1000, delay_bounds=DELAY_BOUNDS, score_bounds=SCORE_BOUNDS, registry=REGISTRY):
        if kind not in ("binary", "regression"):
            raise ValueError("kind %r: want binary or regression" % kind)
        self._store = _Store.of(registry)
        self._key = (str(model), str(version))
        self.kind = kind
        self.threshold = threshold
        self._delay = _bounds(delay_bounds)
        ref = reference or Reference()
        # Same bounds as model_prediction_value: mltop pairs the buckets.
        self._scores = ref.bounds.get(PREDICTION) or _bounds(score_bounds)
        if kind == "binary" and threshold not in self._scores:
            raise ValueError("threshold %g is not a score bucket bound %r" % (threshold, self._scores))
        self._recent = collections.deque(maxlen=window)
        self._lock = threading.Lock()
        s, k = self._store, self._key
        s.add("model_ground_truth_labeled", k, 0)
        s.histogram("model_ground_truth_delay_seconds", k, self._delay)
        if kind == "binary":
            # Both, from the start: mltop cannot tell a missing positive
            # histogram from one with no positive label yet.
            s.histogram("model_labeled_score", k, self._scores)
            s.histogram("model_labeled_positive_score", k, self._scores)
            metrics = ("accuracy", "auc")
        else:
            metrics = ("rmse", "mae")
        for m in metrics:
            s.set("model_performance", k + (m,), lambda m=m: self.quality().get(m))

    def label(self, output, actual, predicted_at, now=None):
        """Records that a prediction made at predicted_at (unix seconds)
        with output got its label actual, now (default: the clock)."""
        now = time.time() if now is None else now
        s, k = self._store, self._key
        s.add("model_ground_truth_labeled", k)
        s.observe("model_ground_truth_delay_seconds", k, self._delay, max(0.0, now - predicted_at))
        with s.lock:
            last = s.series["model_ground_truth_last_timestamp_seconds"].get(k, 0.0)
            s.series["model_ground_truth_last_timestamp_seconds"][k] = max(last, now)
        if self.kind == "binary":
            actual = bool(actual)
            s.observe("model_labeled_score", k, self._scores, float(output))
            if actual:
                s.observe("model_labeled_positive_score", k, self._scores, float(output))
        with self._lock:
            self._recent.append((float(output), actual))

    def quality(self):
        """Live quality over the recent labels, metric -> value."""
        with self._lock:
            pairs = list(self._recent)
        if not pairs:
            return {}
        if self.kind == "regression":
            errs = [o - float(a) for o, a in pairs]
            return {"rmse": math.sqrt(sum(e * e for e in errs) / len(errs)),
                    "mae": sum(abs(e) for e in errs) / len(errs)}
        # A score equal to the threshold is predicted negative, as mltop's
        # estimate counts it.
        right = sum(1 for o, a in pairs if (o > self.threshold) == a)
        out = {"accuracy": right / len(pairs)}
        auc = _auc(pairs)
        if auc is not None:
            out["auc"] = auc
        return out
