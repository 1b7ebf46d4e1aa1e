#!/usr/bin/env bash
# The benchmark, from a fresh machine: installs what is missing, starts the local services,
# builds the worker and the benchmark in release mode, and runs it. Arguments go to the
# benchmark (see --help), e.g.  deploy/benchmark.sh --events 1000000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JOBHUNT_ROOT"
bash deploy/install.sh
bash deploy/services.sh start
swift build -c release --product jobhunt-worker
swift build -c release --product jobhunt-benchmark
exec "$(swift build -c release --show-bin-path)/jobhunt-benchmark" "$@"
