#!/usr/bin/env bash
# Outbox figures: predicate.authored events handled per second, and commit-to-visible
# latency p50/p99 with LISTEN/NOTIFY, the in-process signal, and polling only — on a
# PostgreSQL server this script's harness starts (fsync on) and on a SQLite file.
# Release build; needs the Debian packages postgresql and sqlite3.
#   Benchmarks/outbox.sh [--events N] [--samples N] [--poll-ms N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product spectral
swift build -c release --product SpectralOutboxLoad
bin=$(swift build -c release --show-bin-path)
"$bin/SpectralOutboxLoad" --spectral "$bin/spectral" "$@"
