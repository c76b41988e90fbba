#!/usr/bin/env python3
"""Assembles the benchmark table and results/latest.json from ordo-one's exported
percentiles (--format histogramPercentiles) and SpectralLoad's JSON.

usage: report.py RAW_DIR OUT_JSON
All figures are medians (the 50th percentile of each benchmark's samples). Each predicate
is measured untyped (CEL type declarations) and typed (its JSON Schema declarations)."""
import json
import os
import re
import sys

raw, out = sys.argv[1], sys.argv[2]
NAME = re.compile(r"^[^.]+\.SpectralBenchmarks\.(.+)_(\d-[a-z-]+)\.(.+)\.histogram\.percentiles\.tsv$")
SCALE = {"(K)": 1e3, "(M)": 1e6, "(G)": 1e9}
TIME = {"(ns)": 1, "(us)": 1e3, "(μs)": 1e3, "(ms)": 1e6, "(s)": 1e9}

medians = {}  # (predicate, benchmark, metric) -> median
order = []
for fname in sorted(os.listdir(raw)):
    m = NAME.match(fname)
    if not m:
        continue
    predicate, bench, metric = m.groups()
    with open(os.path.join(raw, fname)) as f:
        header = f.readline()
        rows = dict(line.rstrip("\n").split("\t") for line in f if line.strip())
    value = float(rows["50"])
    for unit, factor in {**SCALE, **TIME}.items():
        if unit in header:
            value *= factor
    medians[(predicate, bench, metric)] = value
    if predicate not in order:
        order.append(predicate)

# Keep the workload's order.
workload = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "bench", "predicates.json")
with open(workload) as f:
    names = [p["name"] for p in json.load(f)]
order = [n for n in names if n in order] + [n for n in order if n not in names]


def get(predicate, bench, metric):
    return medians.get((predicate, bench, metric))


rows, details = [], []
for p in order:
    ev = get(p, "1-hot", "run()_ns_per_1000")
    un = get(p, "1-hot", "runUnmetered()_ns_per_1000")
    na = get(p, "1-hot", "native_ns_per_1000")
    ty = get(p, "1-hot", "typed_run()_ns_per_1000")
    ev, un, na, ty = [None if v is None else v / 1000.0 for v in (ev, un, na, ty)]
    js, tjs = get(p, "2-json", "json_ns_per_100"), get(p, "2-json", "typed_json_ns_per_100")
    js, tjs = [None if v is None else round(v / 100.0) for v in (js, tjs)]
    comp = get(p, "3-compile", "wallClock")
    mallocs = get(p, "4-mallocs", "mallocCountTotal")
    tmallocs = get(p, "4-mallocs-typed", "mallocCountTotal")
    rows.append({
        "name": p,
        "eval_ns": None if ev is None else round(ev, 1),
        "eval_json_ns": js,
        "native_ns": None if na is None else round(na, 2),
        "ratio": None if ev is None or not na else round(ev / na, 1),
        "typed_eval_ns": None if ty is None else round(ty, 1),
        "typed_eval_json_ns": tjs,
        "typed_ratio": None if ty is None or not na else round(ty / na, 1),
        # how many times faster the decide path (bind from JSON + run) is typed than untyped
        "typed_json_speedup": None if not js or not tjs else round(js / tjs, 2),
        "mallocs": None if mallocs is None else int(mallocs),
        "typed_mallocs": None if tmallocs is None else int(tmallocs),
        "fuel_overhead_pct": None if ev is None or not un else round((ev - un) / un * 100.0, 1),
        "compile_us": None if comp is None else round(comp / 1000.0, 1),
    })
    details.append({
        "name": p,
        "eval_unmetered_ns": None if un is None else round(un, 1),
        "eval_json_mallocs": get(p, "4-json-mallocs", "mallocCountTotal"),
        "typed_eval_json_mallocs": get(p, "4-json-mallocs-typed", "mallocCountTotal"),
        "native_mallocs": get(p, "5-native-mallocs", "mallocCountTotal"),
    })

load = None
load_path = os.path.join(raw, "load.json")
if os.path.exists(load_path):
    with open(load_path) as f:
        l = json.load(f)
    load = {"predicates": l["predicates"], "seconds": round(l["seconds"], 4),
            "bytes_per_predicate": l["bytes_per_predicate"]}
    load_details = {"seconds_runs": l.get("seconds_runs"),
                    "encoded_bytes_per_predicate": l.get("encoded_bytes_per_predicate")}
else:
    load_details = None

# HTTP figures come from Benchmarks/http-load.sh, a separate run; kept as it last wrote them.
http_path = os.path.join(os.path.dirname(os.path.abspath(out)), "http.json")
http = None
if os.path.exists(http_path):
    with open(http_path) as f:
        http = json.load(f)

with open(out, "w") as f:
    json.dump({"predicates": rows, "load": load, "http": http,
               "details": {"predicates": details, "load": load_details,
                           "note": "medians; eval, unmetered, native and typed eval interleaved in the same samples, "
                                   "and so are untyped and typed eval from JSON"}},
              f, indent=2)
    f.write("\n")


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def times(v, spec):
    return fmt(v, spec) + ("×" if v is not None else "")


# "bound" is ns/eval with the input already bound; "JSON" is ns/eval binding from JSON + run.
head = ["predicate", "bound ns", "typed bound ns", "JSON ns", "typed JSON ns", "typed speedup JSON",
        "native ns", "ratio", "typed ratio", "mallocs/eval", "typed mallocs", "fuel overhead %", "compile µs"]
table = [head]
for r in rows:
    table.append([r["name"], fmt(r["eval_ns"], ".1f"), fmt(r["typed_eval_ns"], ".1f"), fmt(r["eval_json_ns"], ".0f"),
                  fmt(r["typed_eval_json_ns"], ".0f"), times(r["typed_json_speedup"], ".2f"),
                  fmt(r["native_ns"], ".2f"), times(r["ratio"], ".1f"), times(r["typed_ratio"], ".1f"),
                  fmt(r["mallocs"], "d"), fmt(r["typed_mallocs"], "d"),
                  fmt(r["fuel_overhead_pct"], "+.1f"), fmt(r["compile_us"], ".1f")])
widths = [max(len(row[i]) for row in table) for i in range(len(head))]
lines = []
for i, row in enumerate(table):
    lines.append("| " + " | ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))) + " |")
    if i == 0:
        lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
print("\n".join(lines))
if load:
    print()
    print(f"Loading {load['predicates']} compiled predicates (decode + verify + cache by name@version): "
          f"{load['seconds'] * 1000:.1f} ms median ({load['seconds'] * 1e6 / load['predicates']:.1f} µs each), "
          f"{load['bytes_per_predicate']:.0f} bytes resident per predicate "
          f"({load_details['encoded_bytes_per_predicate']:.0f} bytes encoded)")
print()
print(f"Written to {out}")
