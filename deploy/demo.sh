#!/usr/bin/env bash
# From a fresh machine to a running worker: installs what is missing, starts the local RabbitMQ
# and MongoDB, builds the worker, runs it, creates a user (as the REST backend would), publishes
# the example events (jobs, then that user's matches and interactions, one of them a duplicate)
# and shows what they made in MongoDB: the jobs, the matches, the interactions, the user's stats,
# the dead letter of the duplicate, and what /metrics counted. The worker keeps running until
# Ctrl-C (it then drains and exits 0).
#   deploy/demo.sh              run, show, keep consuming until Ctrl-C
#   deploy/demo.sh --no-wait    run, show, stop the worker and return
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JOBHUNT_ROOT"
wait_for_ctrl_c=1
[ "${1:-}" = "--no-wait" ] && wait_for_ctrl_c=0

export MONGODB_DATABASE="${MONGODB_DATABASE:-aijobhunt_db}"
# The operations endpoints (/livez, /readyz, /metrics).
export JOBHUNT_HTTP_ADDR="${JOBHUNT_HTTP_ADDR:-127.0.0.1:9464}"
bash deploy/install.sh
bash deploy/services.sh start
if [ -n "${JOBHUNT_WORKER_BINARY:-}" ]; then
    worker="$JOBHUNT_WORKER_BINARY"   # already built (the test suite runs the demo this way)
else
    echo "== building the worker (the first build fetches and compiles its packages: a few minutes)"
    swift build --product jobhunt-worker
    worker="$(swift build --show-bin-path)/jobhunt-worker"
fi

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

# MONGODB_URI, or the file MONGODB_URI_FILE names (a URI holds no whitespace).
mongodb_uri="${MONGODB_URI:-$(tr -d '[:space:]' <"$MONGODB_URI_FILE")}"
show() { echo "== $1 ($MONGODB_DATABASE.$2):"; "$JOBHUNT_MONGO_TOOL" find "$mongodb_uri" "$MONGODB_DATABASE" "$2"; }

echo "== publishing deploy/examples/jobs.jsonl (3 new jobs, 1 update, 1 stale update, 1 withdrawal)"
"$worker" publish deploy/examples/jobs.jsonl
echo "== creating user 64b7f0c2a1b2c3d4e5f60718 in $MONGODB_DATABASE.users, as the REST backend would"
"$JOBHUNT_MONGO_TOOL" upsert "$mongodb_uri" "$MONGODB_DATABASE" users \
    '{"_id":{"$oid":"64b7f0c2a1b2c3d4e5f60718"},"email":"demo@example.com","name":"Demo User"}'
echo "== publishing deploy/examples/user-events.jsonl (2 matches, 3 interactions, and a second 'saved' of the same job by another event)"
"$worker" publish deploy/examples/user-events.jsonl
for _ in $(seq 1 100); do "$worker" dlq list --reason duplicate_interaction | grep -q duplicate_interaction && break; sleep 0.1; done
show "jobs" jobs
show "matches" job_matches
show "interactions" user_job_interactions
echo "   (expected: 2 matches, 3 interactions; the duplicate 'saved' is a dead letter, not a fourth)"
show "stats" user_stats
echo "   (expected: jobs_viewed 2, jobs_saved 1, top_missing_skill Kubernetes: missing in both matches)"
echo "== dead letters: $worker dlq list"
"$worker" dlq list
echo "   (inspect one with: $worker dlq show ID; replay with: $worker dlq replay ID)"
echo "== operations endpoints on http://$JOBHUNT_HTTP_ADDR: /livez, /readyz, /metrics (Prometheus scrapes /metrics)"
if command -v curl >/dev/null; then
    echo "   /readyz: $(curl -s "http://$JOBHUNT_HTTP_ADDR/readyz")"
    curl -s "http://$JOBHUNT_HTTP_ADDR/metrics" | grep -E '^jobhunt_(events_total|dead_letters_total)' | sed 's/^/   /'
fi
echo "== worker log:"
tail -n 20 "$JOBHUNT_STATE/worker.log"

if [ "$wait_for_ctrl_c" = 1 ]; then
    echo "== the worker is consuming; publish more with: $worker publish FILE   (Ctrl-C to stop)"
    trap 'stop_worker; exit 0' INT TERM
    wait "$worker_pid"
fi
