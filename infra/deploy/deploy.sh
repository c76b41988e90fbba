#!/usr/bin/env bash
# Deploys Spectral to one host: build and push the image, migrate, roll out, wait for
# /health to answer with the new version and generation, smoke-decide. The GitHub
# workflow (.github/workflows/deploy.yml) calls it one phase per step; run without a
# phase it does them all, so it works from a laptop or any other CI as well.
#
#   infra/deploy/deploy.sh [plan|build|migrate|rollout|verify|smoke|all]...
#
# Required environment:
#   SPECTRAL_IMAGE         image repository to tag and push, e.g. registry.example.com/acme/spectral
#   SPECTRAL_DEPLOY_HOST   `local` (the engine on this machine) or an ssh destination (user@host)
#   SPECTRAL_ENV_FILE      path ON THE TARGET HOST of the environment file (secrets and
#                          settings: infra/env/production.env.example); never copied or printed
#   SPECTRAL_SMOKE_KEY     an API key with the `decide` scope, for the smoke decision (secret)
#   SPECTRAL_SMOKE_PREDICATE, SPECTRAL_SMOKE_INPUT, SPECTRAL_SMOKE_EXPECT
#                          a published predicate, a JSON input, and the decision expected (JSON)
# Optional:
#   SPECTRAL_HEALTH_URL    the API's base URL as this machine reaches it
#                          (default for local: http://127.0.0.1:<published port>)
#   SPECTRAL_GENERATION    default: the generation live on the host plus one (1 on a fresh host)
#   SPECTRAL_VERSION       default: SpectralVersion.current in the source (the image build checks it)
#   SPECTRAL_PUSH          1 (default): push to the registry and pull on the host; 0: no registry,
#                          the image is copied over ssh (podman save | ssh podman load), or stays local
#   REGISTRY_USERNAME, REGISTRY_PASSWORD   log in before pushing (the password goes on stdin)
#   CONTAINER_ENGINE       podman (default when present) or docker, for building and for the host
#   SPECTRAL_BINARY        a host-built spectral (--static-swift-stdlib, glibc <= bookworm's) to
#                          put in the image instead of compiling in the Swift image
#   SPECTRAL_CONTAINER_NAME (spectral), SPECTRAL_DATA_VOLUME (spectral-data),
#   SPECTRAL_PUBLISH (8080:8080), SPECTRAL_STOP_GRACE (20 s), SPECTRAL_HEALTH_TIMEOUT (180 s)
#
# Nothing secret is echoed: the env file stays on the host, the registry password and the
# smoke key go through stdin and curl's config on stdin, never on a command line.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { echo "deploy: $*" >&2; }
die() { echo "deploy: error: $*" >&2; exit 1; }
need() {
    local missing=() variable
    for variable in "$@"; do [ -n "${!variable:-}" ] || missing+=("$variable"); done
    [ ${#missing[@]} -eq 0 ] || die "missing environment: ${missing[*]} (see the header of $0)"
}

need SPECTRAL_IMAGE SPECTRAL_DEPLOY_HOST
host="$SPECTRAL_DEPLOY_HOST"
engine="${CONTAINER_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}"
command -v "$engine" >/dev/null || die "$engine is not installed here"
command -v curl >/dev/null || die "curl is not installed here"
command -v python3 >/dev/null || die "python3 is not installed here (it reads /health's JSON)"
name="${SPECTRAL_CONTAINER_NAME:-spectral}"
volume="${SPECTRAL_DATA_VOLUME:-spectral-data}"
publish="${SPECTRAL_PUBLISH:-8080:8080}"
grace="${SPECTRAL_STOP_GRACE:-20}"
health_timeout="${SPECTRAL_HEALTH_TIMEOUT:-180}"
push="${SPECTRAL_PUSH:-1}"
if [ -n "${SPECTRAL_HEALTH_URL:-}" ]; then
    health_url="${SPECTRAL_HEALTH_URL%/}"
elif [ "$host" = local ]; then
    health_url="http://127.0.0.1:${publish%%:*}"
    [[ "$publish" == *:*:* ]] && health_url="http://${publish%%:*}:$(cut -d: -f2 <<<"$publish")"
else
    die "missing environment: SPECTRAL_HEALTH_URL (the API's URL as this machine reaches $host)"
fi

# Runs a command on the target host: here, or over ssh (each argument quoted for the remote shell).
on_host() {
    if [ "$host" = local ]; then "$@"; else ssh -o BatchMode=yes "$host" "$(printf '%q ' "$@")"; fi
}
remote_engine="${SPECTRAL_REMOTE_ENGINE:-$engine}"

# /health's JSON, or nothing when the API does not answer 200.
health() { curl -sf --max-time 5 "$health_url/health" 2>/dev/null || true; }
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# The plan: version, generation and the image reference, fixed once so that every phase
# (possibly separate workflow steps) acts on the same image.
plan() {
    if [ -z "${SPECTRAL_VERSION:-}" ]; then
        SPECTRAL_VERSION="$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/SpectralHTTP/ServerConfiguration.swift)"
        [ -n "$SPECTRAL_VERSION" ] || die "cannot read SpectralVersion.current from Sources/SpectralHTTP/ServerConfiguration.swift; set SPECTRAL_VERSION"
    fi
    local live live_generation=0
    live="$(health)"
    [ -n "$live" ] && live_generation="$(field generation <<<"$live")"
    if [ -z "${SPECTRAL_GENERATION:-}" ]; then
        SPECTRAL_GENERATION=$((live_generation + 1))
    fi
    [[ "$SPECTRAL_GENERATION" =~ ^[0-9]+$ ]] || die "SPECTRAL_GENERATION must be a number, got '$SPECTRAL_GENERATION'"
    # An older generation than the live one would leave the live generation's pending
    # events to nobody: a generation only adopts the events of older ones.
    [ "$SPECTRAL_GENERATION" -ge "$live_generation" ] \
        || die "SPECTRAL_GENERATION=$SPECTRAL_GENERATION is older than the live generation $live_generation"
    if [ -z "${SPECTRAL_IMAGE_REF:-}" ]; then
        local revision
        revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
        SPECTRAL_IMAGE_REF="$SPECTRAL_IMAGE:$SPECTRAL_VERSION-g$SPECTRAL_GENERATION-$revision"
    fi
    export SPECTRAL_VERSION SPECTRAL_GENERATION SPECTRAL_IMAGE_REF
    say "plan: $SPECTRAL_IMAGE_REF (version $SPECTRAL_VERSION, generation $SPECTRAL_GENERATION; live generation: $live_generation, 0 when none answers)"
}

build() {
    local arguments=(-f infra/docker/app.Dockerfile --build-arg "SPECTRAL_VERSION=$SPECTRAL_VERSION"
                     --build-arg "SPECTRAL_GENERATION=$SPECTRAL_GENERATION" -t "$SPECTRAL_IMAGE_REF")
    local context=""
    if [ -n "${SPECTRAL_BINARY:-}" ]; then
        [ -x "$SPECTRAL_BINARY" ] || die "SPECTRAL_BINARY=$SPECTRAL_BINARY is not an executable"
        # A context holding only the binary (the build directory beside it is gigabytes).
        context="$(mktemp -d)"
        cp "$SPECTRAL_BINARY" "$context/spectral"
        arguments+=(--build-arg BINARY_FROM=host --build-context "host-binary=$context")
    fi
    if [ "$engine" = podman ]; then arguments+=(--format docker); fi   # HEALTHCHECK is not in the OCI format
    say "building $SPECTRAL_IMAGE_REF"
    local status=0
    "$engine" build "${arguments[@]}" . || status=$?
    [ -z "$context" ] || rm -rf "$context"
    [ $status -eq 0 ] || die "the image build failed"
    if [ "$push" = 1 ]; then
        if [ -n "${REGISTRY_USERNAME:-}" ]; then
            need REGISTRY_PASSWORD
            "$engine" login --username "$REGISTRY_USERNAME" --password-stdin "${SPECTRAL_IMAGE%%/*}" <<<"$REGISTRY_PASSWORD" >/dev/null
        fi
        say "pushing $SPECTRAL_IMAGE_REF"
        "$engine" push "$SPECTRAL_IMAGE_REF"
    fi
}

# Puts the image on the host: a pull from the registry, a copy over ssh, or nothing (local).
deliver() {
    if [ "$host" = local ]; then
        [ "$push" = 1 ] && "$engine" pull --quiet "$SPECTRAL_IMAGE_REF" >/dev/null
        return 0
    fi
    if [ "$push" = 1 ]; then
        on_host "$remote_engine" pull --quiet "$SPECTRAL_IMAGE_REF" >/dev/null
    else
        say "copying $SPECTRAL_IMAGE_REF to $host"
        "$engine" save "$SPECTRAL_IMAGE_REF" | ssh -o BatchMode=yes "$host" "$remote_engine load" >/dev/null
    fi
}

# Migrations are expand-only until a contract release says otherwise, so the running
# (older) code keeps working on the migrated schema: migrate first, then roll out. They run
# from the image being deployed, so schema and code come from one artifact. On the
# embedded SQLite store this migrates the file in the data volume.
migrate() {
    need SPECTRAL_ENV_FILE
    deliver
    say "migrating with $SPECTRAL_IMAGE_REF"
    on_host "$remote_engine" run --rm --no-healthcheck --env-file "$SPECTRAL_ENV_FILE" -v "$volume:/var/lib/spectral" \
        "$SPECTRAL_IMAGE_REF" migrate
}

# One container per host: stop the old one (SIGTERM; the API drains, the worker finishes its
# event; generation N+1's workers adopt what N left pending), keep it as NAME-previous for
# an emergency restart, start the new one.
rollout() {
    need SPECTRAL_ENV_FILE
    deliver
    if on_host "$remote_engine" inspect --type container "$name" >/dev/null 2>&1; then
        say "stopping $name (SIGTERM, up to $grace s)"
        on_host "$remote_engine" stop -t "$grace" "$name" >/dev/null
        on_host "$remote_engine" rm -f "$name-previous" >/dev/null 2>&1 || true
        on_host "$remote_engine" rename "$name" "$name-previous"
    fi
    say "starting $name from $SPECTRAL_IMAGE_REF"
    on_host "$remote_engine" run -d --name "$name" --restart=always --stop-timeout "$grace" \
        --env-file "$SPECTRAL_ENV_FILE" -p "$publish" -v "$volume:/var/lib/spectral" \
        "$SPECTRAL_IMAGE_REF" >/dev/null
}

# The go/no-go: /health answers 200 with the new version and generation.
verify() {
    say "waiting for $health_url/health to report $SPECTRAL_VERSION, generation $SPECTRAL_GENERATION"
    local deadline=$((SECONDS + health_timeout)) body=""
    while [ $SECONDS -lt $deadline ]; do
        body="$(health)"
        if [ -n "$body" ] && [ "$(field version <<<"$body")" = "$SPECTRAL_VERSION" ] \
            && [ "$(field generation <<<"$body")" = "$SPECTRAL_GENERATION" ]; then
            say "live: $body"
            return 0
        fi
        sleep 2
    done
    say "the host's log of $name:"
    on_host "$remote_engine" logs --tail 50 "$name" >&2 || true
    die "/health did not report version $SPECTRAL_VERSION generation $SPECTRAL_GENERATION within $health_timeout s (last answer: ${body:-none}); see infra/runbooks/deployment.md"
}

smoke() {
    need SPECTRAL_SMOKE_KEY SPECTRAL_SMOKE_PREDICATE SPECTRAL_SMOKE_INPUT SPECTRAL_SMOKE_EXPECT
    local request answer decision expected
    request="$(python3 -c 'import json, sys; print(json.dumps({"predicate": sys.argv[1], "input": json.loads(sys.argv[2])}))' \
        "$SPECTRAL_SMOKE_PREDICATE" "$SPECTRAL_SMOKE_INPUT")" || die "SPECTRAL_SMOKE_INPUT is not JSON"
    # The key goes to curl through its config on stdin, not its command line (ps shows that).
    answer="$(printf 'header = "Authorization: Bearer %s"\n' "$SPECTRAL_SMOKE_KEY" \
        | curl -s --max-time 10 -K - -H 'Content-Type: application/json' -d "$request" "$health_url/v1/decide")" \
        || die "POST /v1/decide failed"
    decision="$(python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["decision"]))' <<<"$answer" 2>/dev/null)" \
        || die "POST /v1/decide answered $answer"
    expected="$(python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])))' "$SPECTRAL_SMOKE_EXPECT")"
    [ "$decision" = "$expected" ] || die "smoke: $SPECTRAL_SMOKE_PREDICATE decided $decision, expected $expected"
    say "smoke: $SPECTRAL_SMOKE_PREDICATE decided $decision"
}

phases=("$@")
[ ${#phases[@]} -gt 0 ] || phases=(all)
plan
for phase in "${phases[@]}"; do
    case "$phase" in
        plan) printf 'SPECTRAL_VERSION=%s\nSPECTRAL_GENERATION=%s\nSPECTRAL_IMAGE_REF=%s\n' \
                  "$SPECTRAL_VERSION" "$SPECTRAL_GENERATION" "$SPECTRAL_IMAGE_REF" ;;
        build) build ;;
        migrate) migrate ;;
        rollout) rollout ;;
        verify) verify ;;
        smoke) smoke ;;
        all) build; migrate; rollout; verify; smoke
             say "deployed $SPECTRAL_IMAGE_REF to $host" ;;
        *) die "unknown phase '$phase': plan, build, migrate, rollout, verify, smoke or all" ;;
    esac
done
