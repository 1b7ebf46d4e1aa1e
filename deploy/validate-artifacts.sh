#!/usr/bin/env bash
# Validates the deployment artifacts with what this machine has (no Docker engine, no systemd
# running): the systemd unit with `systemd-analyze verify`, which must print nothing (it exits
# 0 even when it ignores a line it cannot parse), and the Kubernetes manifests with
# kubernetes-validate --strict (deploy/install.sh installs it). KEDA's objects have no schema
# there: they are only checked to parse here (deploy/README.md says how they were checked once
# against KEDA's CRDs). The Prometheus alerting rules with promtool (Debian's prometheus). The Dockerfile and the compose file cannot be checked
# without Docker.
#   deploy/validate-artifacts.sh [--unit FILE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
unit="$here/systemd/jobhunt-worker.service"
while [ $# -gt 0 ]; do
    case "$1" in
        --unit) unit="$2"; shift 2 ;;
        *) echo "validate-artifacts: unknown argument $1" >&2; exit 64 ;;
    esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The unit names the installed binary and settings; verify needs them to exist, so a copy
# points at stand-ins (the unit's own name is kept: verify checks it).
touch "$work/worker.env"
sed -e "s#/usr/local/bin/jobhunt-worker#/bin/true#g" -e "s#/etc/jobhunt-worker/worker.env#$work/worker.env#g" \
    "$unit" > "$work/jobhunt-worker.service"
if ! output="$(systemd-analyze verify "$work/jobhunt-worker.service" 2>&1)" || [ -n "$output" ]; then
    echo "validate-artifacts: systemd unit $unit:" >&2
    echo "$output" >&2
    exit 1
fi
echo "validate-artifacts: systemd unit ok"

kubernetes_validate() {
    PYTHONPATH="${JOBHUNT_STATE:-$here/../.services}/python${PYTHONPATH:+:$PYTHONPATH}" python3 -m kubernetes_validate "$@"
}
if ! output="$(kubernetes_validate --strict --quiet "$here/kubernetes/deployment.yaml" 2>&1)" || [ -n "$output" ]; then
    echo "validate-artifacts: Kubernetes manifests:" >&2
    echo "$output" >&2
    exit 1
fi
python3 -c 'import sys, yaml; [list(yaml.safe_load_all(open(f))) for f in sys.argv[1:]]' \
    "$here/kubernetes/keda-scaledobject.yaml" "$here/container/compose.yaml"
echo "validate-artifacts: Kubernetes manifests ok"

# The alerting rules: their syntax, and their unit tests (each alert fires when it should).
if ! output="$(cd "$here/prometheus" && promtool check rules alerts.yaml 2>&1 && promtool test rules alerts.test.yaml 2>&1)"; then
    echo "validate-artifacts: Prometheus rules:" >&2
    echo "$output" >&2
    exit 1
fi
echo "validate-artifacts: Prometheus rules ok"

