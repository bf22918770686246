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

step dra allocate -f examples/quickstart/
$dra allocate -f examples/quickstart/ || exit 1

step dra allocate -f examples/quickstart/00-deviceclass.yaml -f examples/quickstart/01-resourceslice.yaml -f examples/unsatisfiable/three-gpus.yaml
$dra allocate -f examples/quickstart/00-deviceclass.yaml -f examples/quickstart/01-resourceslice.yaml \
  -f examples/unsatisfiable/three-gpus.yaml
echo "(exit status $?: 1 means the claims do not fit; the reason is above)"

step dra cel eval "quantity('80Gi').isGreaterThan(quantity('40Gi'))"
$dra cel eval "quantity('80Gi').isGreaterThan(quantity('40Gi'))" || exit 1

echo
echo "Next: ./build/dra --help, and docs/cli.md."
