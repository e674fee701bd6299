#!/usr/bin/env python3
"""Sends each distinct query of a Prometheus query log again, one at a time, with stats=all, and
prints per query: how often the log holds it per refresh, the server's median execTotalTime, the
samples it read, and Prometheus's CPU per call (from /proc, over REPS calls).
Usage: query-cost.py LOG SECS REFRESH PORT PID REPS"""
import json, sys, time, urllib.request, urllib.parse, statistics, os
log, secs, refresh, port, pid, reps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
tck = os.sysconf('SC_CLK_TCK')
def cpu(): f = open(f'/proc/{pid}/stat').read().split(); return (int(f[13]) + int(f[14])) / tck
seen = {}
for l in open(log):
    r = json.loads(l); p = r['params']
    if 'error' in r: continue
    kind = 'range' if p.get('step') else 'instant'
    k = (p['query'], kind); e = seen.setdefault(k, {'n': 0, 'p': p}); e['n'] += 1
rows = []
for (q, kind), e in seen.items():
    p = e['p']; times = []; samples = 0
    c0 = cpu()
    for _ in range(reps):
        now = time.time()
        if kind == 'instant':
            args = {'query': q, 'time': f'{now:.3f}', 'stats': 'all'}; path = '/api/v1/query'
        else:
            t0 = time.mktime(time.strptime(p['start'][:19], '%Y-%m-%dT%H:%M:%S')); t1 = time.mktime(time.strptime(p['end'][:19], '%Y-%m-%dT%H:%M:%S'))
            step = p["step"]; end = now
            args = {'query': q, 'start': f'{end - (t1 - t0):.3f}', 'end': f'{end:.3f}', 'step': str(step), 'stats': 'all'}; path = '/api/v1/query_range'
        body = urllib.parse.urlencode(args).encode()
        ans = json.load(urllib.request.urlopen(f'http://127.0.0.1:{port}{path}', body))
        st = ans['data'].get('stats', {})
        times.append(st.get('timings', {}).get('execTotalTime', 0)); samples = st.get('samples', {}).get('totalQueryableSamples', 0)
    c1 = cpu()
    rows.append((e['n'] / (secs / refresh), kind, statistics.median(times) * 1000, samples, (c1 - c0) / reps * 1000, q))
rows.sort(key=lambda r: -r[0] * r[4])
tot = sum(r[0] * r[4] for r in rows)
print(f"| per refresh | kind | server eval ms (median) | samples read | Prometheus CPU ms per call | CPU share | expression |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for n, kind, ms, s, c, q in rows:
    print(f"| {n:.2f} | {kind} | {ms:.1f} | {s} | {c:.1f} | {100*n*c/tot:.0f} % | `{q}` |")
print(f"requests per refresh: {sum(r[0] for r in rows):.2f}; CPU ms per refresh (sum of calls x cost): {tot:.0f}")
