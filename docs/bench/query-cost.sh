#!/bin/bash
# What each query of one mltop costs a real Prometheus.
# Usage: query-cost.sh MODELS SECS MLTOP_BIN [REPS]   (run from the repository's root)
# Starts ../shared/bench/fleet_exporter.py and Debian's prometheus (2 s scrape, query log on),
# waits 75 s, runs mltop (2 s refresh, 1 m window) for SECS seconds, then sends every distinct
# query mltop sent, one at a time, REPS times each (default 5), and prints a Markdown table.
N=${1:-100}; SECS=${2:-30}; ML=${3:?path to an mltop binary}; REPS=${4:-5}
HERE=$(cd "$(dirname "$0")" && pwd); BENCH=${BENCH:-$HERE/../../../shared/bench}
W=$(mktemp -d /tmp/qcost.XXXXXX); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$W"' EXIT
fp() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
EP=$(fp); python3 "$BENCH/fleet_exporter.py" "$EP" "$N" "${FEATURES:-10}" & PIDS+=($!)
PP=$(fp)
printf 'global: {scrape_interval: 2s, query_log_file: %s/query.log}\nscrape_configs:\n  - job_name: fleet\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "$W" "$EP" >"$W/prom.yml"
prometheus --config.file="$W/prom.yml" --storage.tsdb.path="$W/tsdb" --web.listen-address="127.0.0.1:$PP" --log.level=error >"$W/prom.log" 2>&1 & PIDS+=($!); PROMPID=$!
sleep 75   # let rate windows fill
printf 'refresh: 2s\nwindow: 1m\nprometheus: {url: "http://127.0.0.1:%s"}\n' "$PP" >"$W/mltop.yaml"
: >"$W/query.log"
PEER_SCREEN="$W/screen.txt" "$BENCH/peer-cpu.sh" "$SECS" env XDG_STATE_HOME="$W/state" "$ML" --config "$W/mltop.yaml"
sleep 2
cp "$W/query.log" "$W/sent.log"
python3 "$HERE/query-cost.py" "$W/sent.log" "$SECS" 2 "$PP" "$PROMPID" "$REPS"
