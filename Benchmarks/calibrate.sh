#!/usr/bin/env bash
# What one unit of fuel costs: builds SpectralCalibrate in release and prints ns per fuel
# unit for every builtin and operator at small and maximal inputs, the median and the
# worst; exits 1 when the worst is more than 10× the median (see README, "What one unit
# of fuel costs"). Writes results/calibration.json. About a minute after the build.
#
# usage: Benchmarks/calibrate.sh [--filter TEXT]
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product SpectralCalibrate 2>&1 | grep -E "error|warning: |Build" | grep -v "^\[" || true
test -x .build/release/SpectralCalibrate
mkdir -p results
.build/release/SpectralCalibrate --json results/calibration.json "$@"
