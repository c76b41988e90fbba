# syntax=docker/dockerfile:1
# The Spectral image: one `spectral` binary (the Swift runtime linked statically) on slim
# Debian. Build it from the repository root:
#
#   docker build -f infra/docker/app.Dockerfile \
#       --build-arg SPECTRAL_VERSION=0.5.0 --build-arg SPECTRAL_GENERATION=7 -t spectral:0.5.0 .
#
# By default the binary is compiled in the official Swift toolchain image. Where that image
# cannot be pulled, a binary built on the host with the same command can be given instead
# (it must be built on a glibc no newer than bookworm's):
#
#   swift build -c release --product spectral --static-swift-stdlib
#   podman build -f infra/docker/app.Dockerfile --build-arg BINARY_FROM=host \
#       --build-context host-binary=.build/release ...
#
# `docker run -p 8080:8080 -v spectral-data:/var/lib/spectral IMAGE` runs the API and the
# outbox worker under the supervisor (`spectral run`) on the embedded SQLite store in the
# volume; set SPECTRAL_DATABASE_URL for PostgreSQL. Without `--demo` every request needs an
# API key: `docker exec CONTAINER spectral keys create --name me --scope admin`.

# `source` compiles in the Swift image; `host` takes the binary from the build context
# named host-binary. Only the selected stage is built (BuildKit and buildah skip the other).
ARG BINARY_FROM=source
ARG SWIFT_IMAGE=docker.io/library/swift:6.3-bookworm
ARG RUNTIME_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS binary-source
# GRDB links the system SQLite.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest (and Package.resolved when the checkout has one) first: the dependencies
# are fetched in their own layer, which code changes do not invalidate.
COPY Package.* ./
RUN swift package resolve
# Tests too: SwiftPM refuses a manifest whose targets' folders are missing (none is built;
# its links into infra/fuzz only draw warnings).
COPY Sources Sources
COPY Tests Tests
RUN swift build -c release --product spectral --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/spectral" /out/spectral

FROM scratch AS binary-host
COPY --from=host-binary spectral /out/spectral

FROM binary-${BINARY_FROM} AS binary

# The DWARF sections are 40% of the binary (212 MB -> 128 MB). The symbol table stays
# (31 MB more than --strip-all): profilers and core dumps still name functions.
FROM ${RUNTIME_IMAGE} AS strip
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/*
COPY --from=binary /out/spectral /out/spectral
RUN strip --strip-debug /out/spectral

FROM ${RUNTIME_IMAGE}
# What the binary links besides glibc (`ldd spectral`): libsqlite3 for the embedded store
# and libstdc++/libgcc_s; tzdata for named time zones in predicates; ca-certificates for
# TLS to PostgreSQL and the LLM endpoint.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libsqlite3-0 libstdc++6 tzdata ca-certificates \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log
COPY --from=strip /out/spectral /usr/local/bin/spectral
# Declared only now, so a new version or generation does not invalidate the layers above.
ARG SPECTRAL_VERSION=dev
ARG SPECTRAL_GENERATION=1
# A fixed uid, so a volume's ownership survives a rebuild; the data directory is the
# working directory, where the embedded store (spectral.sqlite) is created. The version
# check fails the build when the label would not match what /health reports.
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /var/lib/spectral --shell /usr/sbin/nologin spectral \
    && install -d -o spectral -g spectral -m 0750 /var/lib/spectral \
    && actual="$(spectral --version)" \
    && { [ "$SPECTRAL_VERSION" = dev ] || [ "$actual" = "$SPECTRAL_VERSION" ] \
         || { echo "SPECTRAL_VERSION=$SPECTRAL_VERSION but the binary is $actual" >&2; exit 1; }; }
LABEL org.opencontainers.image.title="spectral" \
      org.opencontainers.image.description="Spectral: a CEL decision engine (API and outbox worker)" \
      org.opencontainers.image.version="${SPECTRAL_VERSION}" \
      io.spectral.version="${SPECTRAL_VERSION}" \
      io.spectral.generation="${SPECTRAL_GENERATION}"
# SPECTRAL_GENERATION and SPECTRAL_AGENT_CONCURRENCY are code-coupled: baked into the image
# they belong to, not kept in the deployment's secrets (the agent lane's concurrency bounds
# concurrent model calls, whose cost and latency change with the prompt, i.e. with the code).
# SPECTRAL_HOST: listen on every interface of the container.
ENV SPECTRAL_VERSION="${SPECTRAL_VERSION}" \
    SPECTRAL_GENERATION="${SPECTRAL_GENERATION}" \
    SPECTRAL_AGENT_CONCURRENCY=2 \
    SPECTRAL_HOST=0.0.0.0 \
    SPECTRAL_PORT=8080
USER spectral
WORKDIR /var/lib/spectral
VOLUME ["/var/lib/spectral"]
EXPOSE 8080
# `spectral run` forwards SIGTERM to the API and the worker, which drain and exit; give
# the container at least --grace-period (15 s) plus a little: `docker stop -t 20`.
STOPSIGNAL SIGTERM
# No curl in the image: the binary probes its own /health (SPECTRAL_PORT) and exits 0 or 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["spectral", "health", "--quiet", "--timeout", "4"]
ENTRYPOINT ["spectral"]
CMD ["run"]
