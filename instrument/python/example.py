"""A simulated model server instrumented with mltop_instrument.

    python3 instrument/python/example.py --port 8000 [--reference ref.json]

serves /metrics on 127.0.0.1:8000 for model "example", version "1", a
binary classifier, with known figures (mltop's integration test checks
each of them):

- RATE predictions a second, exactly: every 20th fails (error ratio 5 %).
- latency uniform in 10-50 ms: p50 30 ms, p95 48 ms.
- "amount" was N(100, 20) in training and is N(100 + SHIFT, 20) live:
  drift of SHIFT/20 = 0.5 reference standard deviations. "plan" is basic
  60 %, pro 40 %, in training and live: no drift.
- the score is uniform in 0..1 and calibrated: a prediction with score s
  turns out positive with probability s.
- 4 of every 5 successful predictions get a label, 1-3 s later (uniform).

The reference (deciles of a seeded training sample) is written to
--reference, to be stored as the version's registry tag mltop.reference.
"""

import argparse
import heapq
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mltop_instrument import Feedback, ModelMetrics, Reference  # noqa: E402

import prometheus_client  # noqa: E402

RATE = 100         # predictions a second
ERROR_EVERY = 20   # every 20th prediction fails
SHIFT = 10.0       # amount's live mean minus its training mean
LATENCY = (0.010, 0.050)
DELAY = (1.0, 3.0)
DELAY_BOUNDS = (0.5, 1, 1.5, 2, 2.5, 3, 4, 5)


def training_reference(seed=1):
    """The reference a training pipeline would store with the version."""
    rng = random.Random(seed)
    n = 20000
    return Reference.from_sample(
        {"amount": [rng.gauss(100, 20) for _ in range(n)],
         "plan": [("basic" if rng.random() < 0.6 else "pro") for _ in range(n)]},
        prediction=[rng.random() for _ in range(n)])


def simulate(metrics, feedback, stop, seed=2):
    """Serves RATE predictions a second on the wall clock: each tick
    catches up to RATE x elapsed, so the count is exact however the
    thread is scheduled. Labels wait in a heap until their time comes."""
    rng = random.Random(seed)
    start, i, pending = time.time(), 0, []
    while not stop.is_set():
        now = time.time()
        while i < int((now - start) * RATE):
            failed = i % ERROR_EVERY == ERROR_EVERY - 1
            score = rng.random()
            features = {"amount": rng.gauss(100 + SHIFT, 20),
                        "plan": "basic" if rng.random() < 0.6 else "pro"}
            metrics.observe(features, None if failed else score, rng.uniform(*LATENCY), error=failed)
            if not failed and i % 5 != 4:
                heapq.heappush(pending, (now + rng.uniform(*DELAY), now, score, rng.random() < score))
            i += 1
        while pending and pending[0][0] <= now:
            due, at, score, positive = heapq.heappop(pending)
            feedback.label(score, positive, at, now=due)
        stop.wait(0.01)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--reference", help="write the training reference (JSON) here")
    args = ap.parse_args()
    ref = training_reference()
    if args.reference:
        with open(args.reference, "w", encoding="utf-8") as f:
            f.write(ref.to_json())
    metrics = ModelMetrics("example", "1", ref, track="stable", weight=100)
    feedback = Feedback("example", "1", ref, delay_bounds=DELAY_BOUNDS)
    prometheus_client.start_http_server(args.port, addr="127.0.0.1")
    stop = threading.Event()
    try:
        simulate(metrics, feedback, stop)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
