#!/usr/bin/env bash
# Installs every Debian package Argus needs to build, test and run its demo.
# Idempotent and quiet when everything is already present. Must run as root on Debian 12.
set -euo pipefail

# Build toolchain and libraries (Debian 12 packages only).
BUILD_PKGS=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev clang-format
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libre2-dev libyaml-cpp-dev nlohmann-json3-dev libsnappy-dev libzstd-dev
  libcurl4-openssl-dev libssl-dev libfmt-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libxxhash-dev libcpp-httplib-dev zlib1g-dev
)
# Peers, oracles and tools the tests and the demo run.
RUNTIME_PKGS=(
  prometheus prometheus-node-exporter curl wrk bc python3 procps
  python3-botocore python3-boto3 python3-grpcio python3-protobuf openssl yamllint
)
# Node.js runs the S3-compatible server the object-storage tests use; a machine that already
# has node (e.g. from NodeSource) keeps it.
command -v node >/dev/null 2>&1 || RUNTIME_PKGS+=(nodejs npm)
# kubectl renders the Kubernetes manifests (test/deploy); a machine that already has one (e.g.
# from Google's or Kubernetes's repositories, which conflict with Debian's) keeps it.
command -v kubectl >/dev/null 2>&1 || RUNTIME_PKGS+=(kubernetes-client)

# The npm packages of test/npm (s3rver), installed from its lock file.
install_npm() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/test/npm"
  [ -x "$dir/node_modules/.bin/s3rver" ] && return 0
  echo "deps.sh: installing npm packages in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

missing=()
for p in "${BUILD_PKGS[@]}" "${RUNTIME_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_npm
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps packaged daemons (prometheus, node_exporter) from being started by postinst:
# the tests start their own instances on free ports.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ $created_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d
install_npm
exit 0
