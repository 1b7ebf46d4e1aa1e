#!/usr/bin/env bash
# From a fresh machine to a running worker: installs what is missing, starts the local RabbitMQ
# and MongoDB, builds the worker, runs it, publishes the example events and shows the jobs they
# made in MongoDB. The worker keeps running until Ctrl-C (it then drains and exits 0).
#   deploy/demo.sh              run, show, keep consuming until Ctrl-C
#   deploy/demo.sh --no-wait    run, show, stop the worker and return
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JOBHUNT_ROOT"
wait_for_ctrl_c=1
[ "${1:-}" = "--no-wait" ] && wait_for_ctrl_c=0

export MONGODB_DATABASE="${MONGODB_DATABASE:-aijobhunt_db}"
bash deploy/install.sh
bash deploy/services.sh start
echo "== building the worker (the first build fetches and compiles its packages: a few minutes)"
swift build --product jobhunt-worker
worker="$(swift build --show-bin-path)/jobhunt-worker"

echo "== starting: $worker run  (logs in $JOBHUNT_STATE/worker.log)"
"$worker" run >"$JOBHUNT_STATE/worker.log" 2>&1 &
worker_pid=$!
stop_worker() {
    if kill -0 "$worker_pid" 2>/dev/null; then
        kill -TERM "$worker_pid"; wait "$worker_pid" && echo "== worker drained and exited 0" || echo "== worker exited $?"
    fi
}
trap stop_worker EXIT
for _ in $(seq 1 100); do grep -q "consuming" "$JOBHUNT_STATE/worker.log" 2>/dev/null && break; sleep 0.1; done

echo "== publishing deploy/examples/jobs.jsonl (3 new jobs, 1 update, 1 stale update, 1 withdrawal)"
"$worker" publish deploy/examples/jobs.jsonl
sleep 1
echo "== jobs in MongoDB ($MONGODB_DATABASE.jobs):"
# MONGODB_URI, or the file MONGODB_URI_FILE names (a URI holds no whitespace).
"$JOBHUNT_MONGO_TOOL" find "${MONGODB_URI:-$(tr -d '[:space:]' <"$MONGODB_URI_FILE")}" "$MONGODB_DATABASE" jobs
echo "== worker log:"
tail -n 20 "$JOBHUNT_STATE/worker.log"

if [ "$wait_for_ctrl_c" = 1 ]; then
    echo "== the worker is consuming; publish more with: $worker publish FILE   (Ctrl-C to stop)"
    trap 'stop_worker; exit 0' INT TERM
    wait "$worker_pid"
fi
