#!/usr/bin/env bash
# Spectral's benchmark suite: builds in release, runs everything, prints the table and
# writes Benchmarks/results/latest.json. Takes about 2 to 5 minutes on 2 cores
# (plus the first build), well under 10.
#
# usage: Benchmarks/run.sh [ordo-one options, e.g. --filter 'regex/.*']
#   SPECTRAL_BENCH_SECONDS=N   seconds per benchmark (default 1; the interleaved hot-loop
#                              benchmark gets twice that)
#
# What runs (see Benchmarks/SpectralBenchmarks/SpectralBenchmarks.swift):
#   1. ordo-one's benchmark plugin (swift package benchmark, release build, malloc counts via
#      its MallocInterposer trait) over the 10 predicates of Fixtures/bench/predicates.json,
#      untyped and typed (by each entry's `schema`), each verified against its `expected`
#      result first; exported as percentiles to results/raw/ (--format histogramPercentiles).
#   2. SpectralLoad: compiles 10,000 variants of the predicates (different constants), then,
#      in a second process, loads them (decode + verify + cache keyed name@version) and reads
#      the time and /proc/self/statm resident memory.
#   3. report.py: the table (medians) and results/latest.json.
#
# Single pieces:
#   cd Benchmarks && swift package benchmark --filter 'strings/.*'        # ordo-one's own tables
#   cd Benchmarks && swift package benchmark baseline update main          # a baseline to compare to
#   cd Benchmarks && swift package benchmark baseline compare main
set -euo pipefail
cd "$(dirname "$0")"

echo "== building (release)"
swift build -c release --product SpectralLoad 2>&1 | grep -E "error|warning: |Compiling|Build" | grep -v "^\[" || true
test -x .build/release/SpectralLoad

echo "== loading 10,000 compiled predicates"
rm -rf results/raw
mkdir -p results/raw
.build/release/SpectralLoad generate results/load-modules.bin 10000
.build/release/SpectralLoad load results/load-modules.bin 5 > results/raw/load.json
cat results/raw/load.json

echo "== ordo-one benchmarks"
swift package --allow-writing-to-package-directory benchmark run --no-progress \
    --format histogramPercentiles --path results/raw "$@" 2>&1 | grep -v -E "^\[[0-9]+/[0-9]+\]|^Writing to " || {
    echo "benchmark run failed" >&2; exit 1; }

echo "== results (medians)"
python3 report.py results/raw results/latest.json
