#!/usr/bin/env bash
# Builds the Spectral image (infra/docker/app.Dockerfile) with podman and runs it as an
# operator would: `spectral run` (API + worker under the supervisor) on the embedded store
# in a volume, API keys on. Checks: every library the binary links is in the image;
# /health answers 200 with the image's version and generation; the image's HEALTHCHECK
# passes; a key made with `podman exec … spectral keys create` authors a predicate through
# the published port, the worker publishes it, and it decides; SIGTERM (`podman stop`)
# drains both processes and the container exits 0 within the grace period, not killed.
#
#   infra/scripts/container-smoke.sh [SPECTRAL_BINARY]
#
# SPECTRAL_BINARY is a `spectral` built on this host with --static-swift-stdlib (default: a
# release build made here). The Swift toolchain image cannot be pulled on a machine without
# a registry, so the image takes that binary (BINARY_FROM=host); the Dockerfile's default
# path compiles in the swift image instead. Likewise the Debian base is made with
# debootstrap from this machine's Debian mirror and imported under the official name, once
# (cached; skipped when podman already has the image).
#
# Environment: SMOKE_GRACE (seconds `podman stop` waits before SIGKILL, default 20),
# SPECTRAL_CONTAINER_CACHE (default /var/cache/spectral-container), DEBIAN_MIRROR.
# Last line: `container: image N MB, /health 200 in S s, decide ok`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

grace="${SMOKE_GRACE:-20}"
# The containers.conf and the debootstrapped base's tarball, kept between runs.
default_cache=/var/cache/spectral-container
[ "$(id -u)" = 0 ] || default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/spectral-container"
cache="${SPECTRAL_CONTAINER_CACHE:-$default_cache}"
base=docker.io/library/debian:bookworm-slim
image=localhost/spectral:smoke
name="spectral-smoke-$$"
volume="spectral-smoke-data-$$"
work="$(mktemp -d /tmp/spectral-container-smoke-XXXXXX)"
started=""

say() { echo "container-smoke: $*" >&2; }
fail() {
    say "FAILED: $*"
    if [ -n "$started" ]; then
        say "the container's log:"
        podman logs --tail 60 "$name" >&2 2>&1 || true
    fi
    exit 1
}
cleanup() {
    if [ -n "$started" ]; then
        podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
    fi
    podman volume rm -f "$volume" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in podman runc curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install podman runc curl python3)"
done

# crun cannot set rlimits in some sandboxes (this one included): runc, and no default
# ulimits. A containers.conf of our own, so the machine's stays as it is.
mkdir -p "$cache"
cat >"$cache/containers.conf" <<'EOF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$cache/containers.conf"

# The binary: given, or a release build made here (the runtime image has the same glibc
# as this bookworm host, so a host build runs in it).
if [ $# -ge 1 ]; then
    binary="$(realpath "$1")"
else
    say "building spectral (release, static Swift runtime)"
    swift build -c release --product spectral --static-swift-stdlib >&2
    binary="$(swift build -c release --product spectral --static-swift-stdlib --show-bin-path)/spectral"
fi
[ -x "$binary" ] || fail "no executable at $binary"
if ldd "$binary" | grep -q 'libswiftCore'; then
    fail "$binary links the Swift runtime dynamically: build it with --static-swift-stdlib"
fi

# The base image: debootstrap once, cache the tree's tarball, import under the official
# name the Dockerfile uses. Trimmed as the official slim image is (no documentation,
# manual pages, locales or package lists).
if ! podman image exists "$base"; then
    if [ ! -s "$cache/debian-bookworm-minbase.tar" ]; then
        command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"
        mirror="${DEBIAN_MIRROR:-}"
        if [ -z "$mirror" ]; then
            mirror="$(sed -n 's/^URIs:[[:space:]]*\(http[^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
        fi
        if [ -z "$mirror" ]; then
            mirror="$(awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
        fi
        [ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt/sources.list*; set DEBIAN_MIRROR"
        say "debootstrap bookworm (minbase) from $mirror"
        rootfs="$work/rootfs"
        debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
            || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
            "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/info/*
        find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
        printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
            'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
            >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
        # As the official image: apt keeps no package caches (about 70 MB after an update).
        printf '%s\n' 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };' \
            'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";' >"$rootfs/etc/apt/apt.conf.d/docker-clean"
        tar -C "$rootfs" -cf "$cache/debian-bookworm-minbase.tar.tmp" .
        mv "$cache/debian-bookworm-minbase.tar.tmp" "$cache/debian-bookworm-minbase.tar"
        rm -rf "$rootfs"
    fi
    podman import --quiet "$cache/debian-bookworm-minbase.tar" "$base" >/dev/null
fi

# The image, from the Dockerfile's host-binary path: a build context holding only the binary.
version="$("$binary" --version)"
generation=1
mkdir "$work/host-binary"
cp "$binary" "$work/host-binary/spectral"
say "building $image (spectral $version, generation $generation)"
podman build --quiet --pull=never --format docker -f infra/docker/app.Dockerfile \
    --build-arg BINARY_FROM=host --build-context "host-binary=$work/host-binary" \
    --build-arg SPECTRAL_VERSION="$version" --build-arg SPECTRAL_GENERATION="$generation" \
    -t "$image" . >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; fail "podman build failed"; }
size_mb=$(( ($(podman image inspect -f '{{.Size}}' "$image") + 500000) / 1000000 ))
say "image $image: $size_mb MB"

# Everything the binary links resolves inside the image.
missing="$(podman run --rm --no-healthcheck --entrypoint ldd "$image" /usr/local/bin/spectral | grep 'not found' || true)"
[ -z "$missing" ] || fail "libraries missing from the image: $missing"

# Run it as an operator would (CMD is `run`), published on a free loopback port.
for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue   # taken
    t0=$(date +%s.%N)
    if podman run -d --name "$name" -p "127.0.0.1:$port:8080" -v "$volume:/var/lib/spectral" "$image" >/dev/null 2>"$work/run.err"; then
        started=1
        break
    fi
    podman rm -f "$name" >/dev/null 2>&1 || true
done
[ -n "$started" ] || { cat "$work/run.err" >&2; fail "podman run failed"; }
url="http://127.0.0.1:$port"

health_seconds=""
for _ in $(seq 1 600); do
    if curl -sf -o "$work/health.json" "$url/health" 2>/dev/null; then
        health_seconds=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
        break
    fi
    [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || fail "the container exited before /health answered"
    sleep 0.1
done
[ -n "$health_seconds" ] || fail "/health did not answer 200 within 60 s"
say "/health 200 after $health_seconds s: $(cat "$work/health.json")"

# /health reports what the image says it is: the deploy gate relies on these two fields.
python3 - "$work/health.json" "$version" "$generation" <<'EOF' || fail "/health does not report the image's version and generation"
import json, sys
health = json.load(open(sys.argv[1]))
assert health["status"] == "ok", health
assert health["version"] == sys.argv[2], (health["version"], sys.argv[2])
assert health["generation"] == int(sys.argv[3]), (health["generation"], sys.argv[3])
assert health["auth"] == "api_keys", health["auth"]
EOF
[ "$(podman inspect -f '{{index .Config.Labels "io.spectral.version"}}' "$image")" = "$version" ] || fail "the version label is wrong"

# The image's own HEALTHCHECK (`spectral health`), run once now.
podman healthcheck run "$name" >/dev/null 2>&1 || fail "the image's HEALTHCHECK failed while /health answers"

# An admin key, made the way the app supports: `spectral keys create` inside the container
# (same store, same user). Kept in a variable, never printed.
key="$(podman exec "$name" spectral keys create --name container-smoke --scope admin | grep -o 'spk_[0-9A-Za-z_]*' || true)"
[ -n "$key" ] || fail "spectral keys create did not print a key"
auth=(-H "Authorization: Bearer $key")

# The API refuses a request without the key (auth is really on).
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/predicates")
[ "$code" = 401 ] || fail "GET /v1/predicates without a key answered $code, expected 401"

# Author a predicate; the worker (the supervisor's other child) publishes it.
curl -sf "${auth[@]}" -o "$work/submitted.json" "$url/v1/predicates" -d '{
    "name": "container_smoke", "source": "amount > 1000.0 && customer.tier in [\"gold\", \"platinum\"]",
    "declarations": {"amount": "double", "customer": "map(string, dyn)"},
    "tests": [{"input": {"amount": 5000, "customer": {"tier": "gold"}}, "expect": true},
              {"input": {"amount": 5, "customer": {"tier": "gold"}}, "expect": false}]}' \
    || fail "POST /v1/predicates failed"
status_url="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status_url"])' "$work/submitted.json")"
published=""
for _ in $(seq 1 300); do
    curl -sf "${auth[@]}" -o "$work/status.json" "$url$status_url" || fail "GET $status_url failed"
    state="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status"])' "$work/status.json")"
    case "$state" in
        published) published=1; break ;;
        pending) sleep 0.1 ;;
        *) fail "the predicate was not published: $(cat "$work/status.json")" ;;
    esac
done
[ -n "$published" ] || fail "the predicate was still pending after 30 s: $(cat "$work/status.json")"

decide() {
    curl -sf "${auth[@]}" "$url/v1/decide" -d "{\"predicate\": \"container_smoke\", \"input\": $1}" \
        | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["decision"]))'
}
[ "$(decide '{"amount": 1500, "customer": {"tier": "gold"}}')" = true ] || fail "decide: expected true"
[ "$(decide '{"amount": 1500, "customer": {"tier": "bronze"}}')" = false ] || fail "decide: expected false"

# SIGTERM: the supervisor forwards it, the API drains, the worker finishes, exit 0 — well
# before podman's SIGKILL at the grace period (which would show as exit 137).
t1=$(date +%s.%N)
# (Without systemd, podman complains on stderr that it cannot remove the health check's
# timer: harmless, kept out of the output unless the stop fails.)
podman stop -t "$grace" "$name" >/dev/null 2>"$work/stop.err" || { cat "$work/stop.err" >&2; fail "podman stop failed"; }
stop_seconds=$(python3 -c "print(round($(date +%s.%N) - $t1, 1))")
exit_code="$(podman inspect -f '{{.State.ExitCode}}' "$name")"
[ "$exit_code" = 0 ] || fail "after SIGTERM the container exited with $exit_code (137: killed at the grace period)"
python3 -c "import sys; sys.exit(0 if $stop_seconds < $grace else 1)" || fail "stopping took $stop_seconds s, the grace period is $grace s"
podman logs "$name" >"$work/container.log" 2>&1
grep -q "all children stopped" "$work/container.log" || fail "the supervisor did not report its children stopped"
say "SIGTERM: exit 0 after $stop_seconds s (grace $grace s)"

# (The EXIT trap removes the stopped container and its volume.)
echo "container: image $size_mb MB, /health 200 in $health_seconds s, decide ok"
