#!/usr/bin/env bash
# Validates the deployment artifacts with what this machine has (no Docker engine, no systemd
# running): the systemd unit with `systemd-analyze verify`, which must print nothing (it exits
# 0 even when it ignores a line it cannot parse).
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
