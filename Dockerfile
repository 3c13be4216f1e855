# The Argus image: one binary, /usr/bin/argus, whose first argument picks the role
# (server, sidecar, store, query, tools), as in Thanos's image.
#
#   docker build -t argus:0.1.0 .
#   docker run --rm argus:0.1.0 --version
#   docker run --rm -p 9090:9090 -v $PWD/prometheus.yml:/etc/argus/prometheus.yml:ro \
#     argus:0.1.0 server --config.file=/etc/argus/prometheus.yml
#
# Everything comes from Debian 12 packages, as on a developer machine (scripts/deps.sh). The
# build has no network access beyond apt. test/deploy/deploy_test.py checks this file against
# scripts/deps.sh and the libraries the binary links.
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS build
# scripts/deps.sh's BUILD_PKGS without what only development needs (clang and libclang-rt for the
# fuzzers, clang-format, ccache). GTest and Google Benchmark stay: CMake requires them to
# configure even when only the `argus` target is built.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libabsl-dev libre2-dev libyaml-cpp-dev nlohmann-json3-dev libsnappy-dev libzstd-dev \
      libcurl4-openssl-dev libssl-dev libfmt-dev libspdlog-dev libcli11-dev \
      libgtest-dev libgmock-dev libbenchmark-dev libxxhash-dev libcpp-httplib-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The Makefile's release configuration (`make build`), building only the binary. JOBS bounds the
# parallel compilers (each gRPC-heavy translation unit takes ~1 GB); empty = one per core.
# .git is not sent (.dockerignore), so `argus --version` reports revision and branch "unknown".
ARG JOBS=
RUN cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DARGUS_BENCH=OFF \
 && cmake --build build/release --target argus --parallel "${JOBS:-$(nproc)}" \
 && build/release/src/cmd/argus --version

FROM ${DEBIAN_IMAGE}
# The Debian 12 packages of the shared libraries the binary links (readelf -d: NEEDED, then
# dpkg -S), and ca-certificates for S3 over HTTPS. gRPC's TLS roots (/usr/share/grpc/roots.pem)
# come with libgrpc29.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates \
      libabsl20220623 libc-ares2 libcpp-httplib0.11 libcurl4 libfmt9 libgcc-s1 \
      libgrpc++1.51 libgrpc29 libprotobuf32 libre2-9 libsnappy1v5 libspdlog1.10 libssl3 \
      libstdc++6 libxxhash0 libyaml-cpp0.7 zlib1g \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/release/src/cmd/argus /usr/bin/argus
# Fails the build if a shared library is missing.
RUN /usr/bin/argus --version \
 && install -d -o 65534 -g 65534 /var/argus
# The default relative paths (data/, ./data) land in /var/argus, writable by the user below.
WORKDIR /var/argus
# nobody:nogroup. Kubernetes manifests set the same ids (runAsUser/fsGroup 65534).
USER 65534:65534
# 9090: argus server's HTTP API; 10901: gRPC StoreAPI; 10902: HTTP of sidecar, store and query.
EXPOSE 9090 10901 10902
ENTRYPOINT ["/usr/bin/argus"]
CMD ["--help"]
