#!/usr/bin/env bash
# Starts, stops and reports the local RabbitMQ node and single-node MongoDB replica set that the
# worker and its tests use: loopback only, private ports (deploy/env.sh), all state under
# $JOBHUNT_STATE. Starting twice, or on existing data, is fine.
#   deploy/services.sh start | stop | status | start-mongo | stop-mongo | rabbitmqctl ARGS...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/rabbitmq.sh"

RABBIT_DIR="$JOBHUNT_STATE/rabbitmq"
MONGO_DIR="$JOBHUNT_STATE/mongodb"
RABBIT_PID="$RABBIT_DIR/rabbit.pid"   # as rabbitmq_node_env sets it
MONGO_PID="$MONGO_DIR/mongod.pid"

# Everything a rabbitmq-server or rabbitmqctl call needs to reach our node and no other.
rabbit_env() {
    rabbitmq_node_env "$RABBIT_DIR" "$RABBIT_DIR/home" "jobhunt@localhost" \
        "$JOBHUNT_AMQP_PORT" "$JOBHUNT_RABBIT_DIST_PORT" "$JOBHUNT_EPMD_PORT"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

rabbit_ready() { pid_alive "$RABBIT_PID" && (rabbit_env; "$RABBITMQCTL" -q await_startup >/dev/null 2>&1); }

start_rabbit() {
    if rabbit_ready; then echo "rabbitmq: already running on 127.0.0.1:$JOBHUNT_AMQP_PORT"; return; fi
    mkdir -p "$RABBIT_DIR/home"
    rabbitmq_write_config "$RABBIT_DIR" "$JOBHUNT_AMQP_PORT"
    (
        rabbit_env
        rabbitmq_launch "$RABBIT_DIR"
        "$RABBITMQCTL" -q wait --timeout 60 "$RABBIT_PID" >/dev/null
        "$RABBITMQCTL" -q await_startup >/dev/null
    ) || { echo "rabbitmq: failed to start; see $RABBIT_DIR/log" >&2; tail -20 "$RABBIT_DIR/log/stdout.log" >&2 || true; return 1; }
    echo "rabbitmq: ready on 127.0.0.1:$JOBHUNT_AMQP_PORT"
}

stop_rabbit() {
    if pid_alive "$RABBIT_PID"; then
        (rabbit_env; "$RABBITMQCTL" -q stop "$RABBIT_PID" >/dev/null 2>&1) || kill "$(cat "$RABBIT_PID")" 2>/dev/null || true
        echo "rabbitmq: stopped"
    fi
    (rabbit_env; epmd -port "$JOBHUNT_EPMD_PORT" -kill >/dev/null 2>&1) || true
    rm -f "$RABBIT_PID"
}

start_mongo() {
    mkdir -p "$MONGO_DIR/data"
    if pid_alive "$MONGO_PID"; then
        echo "mongodb: already running on 127.0.0.1:$JOBHUNT_MONGO_PORT"
    else
        "$JOBHUNT_MONGOD" --dbpath "$MONGO_DIR/data" --bind_ip 127.0.0.1 --port "$JOBHUNT_MONGO_PORT" \
            --replSet rs0 --fork --logpath "$MONGO_DIR/mongod.log" --pidfilepath "$MONGO_PID" \
            --unixSocketPrefix "$MONGO_DIR" --wiredTigerCacheSizeGB "${JOBHUNT_MONGO_CACHE_GB:-1.5}" --oplogSize 256 \
            --wiredTigerEngineConfigString 'log=(prealloc=false,file_max=20MB)' \
            --setParameter diagnosticDataCollectionEnabled=false >/dev/null \
            || { echo "mongodb: failed to start; see $MONGO_DIR/mongod.log" >&2; return 1; }
    fi
    "$JOBHUNT_MONGO_TOOL" initiate "127.0.0.1:$JOBHUNT_MONGO_PORT"
    echo "mongodb: ready (replica set rs0 primary) on 127.0.0.1:$JOBHUNT_MONGO_PORT"
}

stop_mongo() {
    if pid_alive "$MONGO_PID"; then
        local pid; pid=$(cat "$MONGO_PID")
        kill -TERM "$pid"
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        echo "mongodb: stopped"
    fi
    rm -f "$MONGO_PID"
}

status() {
    local rc=0
    if rabbit_ready; then echo "rabbitmq: up   $JOBHUNT_TEST_AMQP_URL"; else echo "rabbitmq: down"; rc=1; fi
    if pid_alive "$MONGO_PID" && "$JOBHUNT_MONGO_TOOL" ping "$JOBHUNT_TEST_MONGODB_URI" 2>/dev/null; then
        echo "mongodb:  up   $JOBHUNT_TEST_MONGODB_URI"
    else
        echo "mongodb:  down"; rc=1
    fi
    return $rc
}

case "${1:-}" in
    start) start_mongo; start_rabbit ;;
    stop) stop_rabbit; stop_mongo ;;
    status) status ;;
    stop-mongo) stop_mongo ;;
    start-mongo) start_mongo ;;
    rabbitmqctl) shift; rabbit_env; exec "$RABBITMQCTL" "$@" ;;   # e.g. import_definitions FILE
    *) echo "usage: $0 start|stop|status|start-mongo|stop-mongo|rabbitmqctl ARGS..." >&2; exit 64 ;;
esac
