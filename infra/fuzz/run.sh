#!/usr/bin/env bash
# Builds and runs Spectral's libFuzzer targets.
#
#   infra/fuzz/run.sh --list              names the targets
#   infra/fuzz/run.sh TARGET SECONDS      runs one target (corpus: infra/fuzz/corpus/TARGET,
#                                         new inputs go to infra/fuzz/.build/corpus/TARGET)
#   infra/fuzz/run.sh --ci                runs each target briefly (FUZZ_CI_SECONDS, default 15)
#   infra/fuzz/run.sh --build             only builds
#
# Crashes are written to infra/fuzz/.build/findings/TARGET/. Minimize one with
#   infra/fuzz/.build/release/FuzzX -minimize_crash=1 -runs=10000 CRASH
# and commit it under Fixtures/fuzz/TARGET/ (replayed by `swift test`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
# LeakSanitizer flags Swift's lazily initialised globals; Swift's own backtracer fights ASan.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
targets=(source bytecode differential input fuel_time)

executable() {
    case "$1" in
        source) echo FuzzSource ;; bytecode) echo FuzzBytecode ;;
        differential) echo FuzzDifferential ;; input) echo FuzzInput ;;
        fuel_time) echo FuzzFuelTime ;;
        *) echo "unknown target '$1' (try --list)" >&2; exit 2 ;;
    esac
}

# -sanitize=fuzzer adds coverage instrumentation and links libFuzzer; address adds ASan.
# gold crashes linking these objects, so lld links. FUZZ_SANITIZERS=fuzzer drops ASan.
# A failed build stops here: the executables of an earlier build would otherwise be found
# and fuzzed, testing code that is no longer the tree's.
build() {
    local output status=0
    output=$(swift build -c release --package-path "$here" --scratch-path "$here/.build" \
        -Xswiftc "-sanitize=${FUZZ_SANITIZERS:-fuzzer,address}" -Xswiftc -parse-as-library \
        -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -j "${FUZZ_JOBS:-2}" 2>&1) || status=$?
    printf '%s\n' "$output" | grep -v -e 'warning: Cannot export local symbol' -e '^\[' || true
    [ "$status" -eq 0 ] || { echo "build failed: swift build exited $status" >&2; exit 1; }
    for t in "${targets[@]}"; do
        [ -x "$here/.build/release/$(executable "$t")" ] || { echo "build failed: $t" >&2; exit 1; }
    done
}

run() {
    local target="$1" seconds="$2" exe
    exe="$here/.build/release/$(executable "$target")"
    local work="$here/.build/corpus/$target" findings="$here/.build/findings/$target"
    mkdir -p "$work" "$findings"
    local seeds=()
    [ -d "$here/corpus/$target" ] && seeds+=("$here/corpus/$target")
    [ -d "$root/Fixtures/fuzz/$target" ] && seeds+=("$root/Fixtures/fuzz/$target")
    local dict=()
    [ -f "$here/$target.dict" ] && dict+=("-dict=$here/$target.dict")
    echo "== fuzz $target for ${seconds}s"
    # ASan keeps every distinct allocation stack (30 frames) forever. The differential
    # target's recursive evaluators make nearly every stack distinct, so its resident size
    # grew ~8 KB a run (1.46 GB after 60k runs; 45 MB without ASan); 3 frames keep it flat.
    local asan="$ASAN_OPTIONS"
    [ "$target" = differential ] && asan="$asan:malloc_context_size=3"
    # fuel_time judges each evaluation's CPU time per fuel unit itself, and allows up to
    # fuel limit × allowed ns/unit (about 8 s of CPU under ASan) for a whole evaluation; a
    # wall-clock timeout below that flagged a legitimate 1.7 s evaluation that a loaded
    # machine stretched past 10 s. Hangs are still caught, a minute later.
    local timeout=10
    [ "$target" = fuel_time ] && timeout=60
    # rss_limit/malloc_limit: memory growth is a finding; timeout: a hang is a finding.
    ASAN_OPTIONS="$asan" "$exe" "$work" "${seeds[@]}" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
        -malloc_limit_mb=1024 -max_len="${FUZZ_MAX_LEN:-4096}" -print_final_stats=1 \
        -artifact_prefix="$findings/" "${dict[@]}" ${FUZZ_ARGS:-}
}

case "${1:-}" in
    --list) printf '%s\n' "${targets[@]}" ;;
    --build) build ;;
    --ci)
        build
        failed=0
        for t in "${targets[@]}"; do
            log="$here/.build/ci-$t.log"
            if run "$t" "${FUZZ_CI_SECONDS:-15}" >"$log" 2>&1; then
                echo "fuzz $t: ok ($(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tr -s '[:space:]' ' ' | cut -d' ' -f1,3-4))"
            else
                echo "fuzz $t: FAILED; findings in $here/.build/findings/$t/"
                grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$log" | tail -n 40
                failed=1
            fi
        done
        exit $failed
        ;;
    "") sed -n '2,13p' "$0"; exit 2 ;;
    *)
        [ $# -eq 2 ] || { sed -n '2,13p' "$0"; exit 2; }
        executable "$1" >/dev/null
        build
        run "$1" "$2"
        ;;
esac
