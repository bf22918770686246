#!/usr/bin/env bash
# Installs every build and test dependency of dra from Debian 12 packages.
# Does nothing when they are all present already. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  clang-14 libclang-rt-14-dev clang-format
  libabsl-dev libyaml-cpp-dev nlohmann-json3-dev libre2-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev libcpp-httplib-dev libssl-dev etcd-server
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  python3-jsonschema prometheus-cpp-dev
  # tests/ui_test: the /ui page in headless Chromium, screenshots decoded with libpng.
  chromium libpng-dev
)
# The API server's integration tests drive the real kubectl; Debian's kubernetes-client
# provides one where none is on PATH.
if ! command -v kubectl >/dev/null 2>&1; then packages+=(kubernetes-client); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "installing: ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
