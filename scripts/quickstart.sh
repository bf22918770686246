#!/usr/bin/env bash
# The main job for now: show what `dra validate` and `dra convert` do on the quickstart manifests
# and on the mistakes users copy from documentation.
set -uo pipefail
cd "$(dirname "$0")/.."
dra=build/dra

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step dra validate -f examples/quickstart/
$dra validate -f examples/quickstart/ || exit 1

step dra validate -f examples/mistakes/
$dra validate -f examples/mistakes/
echo "(exit status $?: 1 means some object is invalid)"

step dra convert -f examples/quickstart/02-claim-and-pod.yaml --to resource.k8s.io/v1beta1
$dra convert -f examples/quickstart/02-claim-and-pod.yaml --to resource.k8s.io/v1beta1 || exit 1

echo
echo "Next: ./build/dra --help, and docs/cli.md."
