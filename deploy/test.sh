#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, starts the local
# RabbitMQ and MongoDB (and stops them afterwards if it started them, even when tests fail),
# builds, and runs unit and integration tests against the real servers.
#   deploy/test.sh [extra swift test arguments, e.g. --filter JobHuntEventsTests]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JOBHUNT_ROOT"

bash deploy/install.sh
started_here=0
if ! bash deploy/services.sh status >/dev/null 2>&1 || [ "${CI:-}" = "true" ]; then
    started_here=1
fi
stop_services() { if [ "$started_here" = 1 ]; then bash deploy/services.sh stop || true; fi; }
trap stop_services EXIT
bash deploy/services.sh start

start=$(date +%s)
swift build --build-tests
echo "test.sh: build took $(( $(date +%s) - start )) s"
# The integration tests run the real executable as a child process (SIGTERM, restarts).
JOBHUNT_WORKER_BINARY="$(swift build --show-bin-path)/jobhunt-worker"
export JOBHUNT_WORKER_BINARY
swift test --skip-build "$@"
