#!/usr/bin/env bash
# A private group of 1 or 3 RabbitMQ nodes (3 = one cluster) that fault-injection tests can
# start, stop, kill and restart while other tests keep using the shared node of services.sh.
# All state lives under DIR; several groups run side by side when their ports differ.
#
#   deploy/rabbitmq-nodes.sh --dir DIR --port P [--nodes 1|3] [--tls-dir TLS] COMMAND
#     start          start every node that is not running (on its data, if any), wait until each
#                    has booted and, with 3 nodes, until the cluster has 3 running nodes
#     stop           stop every node cleanly (even if some are dead), then the group's epmd
#     stop-node I    stop node I cleanly
#     kill-node I    SIGKILL node I's Erlang VM; returns as soon as it is gone
#     start-node I   start node I on its data, wait until it has booted (and rejoined the cluster)
#     status         one line per node; exit 0 only if all are running
#     ctl I ARGS...  rabbitmqctl ARGS against node I (e.g. ctl 2 list_queues name messages)
#     urls           amqp://guest:guest@127.0.0.1:PORT/%2f of every node, comma-separated
#
# Ports, for group base port P (all on 127.0.0.1; the group uses P..P+130, so groups whose P
# differ by 200 or more never collide; P is refused if that span holds a shared port):
#   P+i-1        AMQP of node i (i = 1..3)
#   P+50+i-1     with --tls-dir, AMQPS of node i: TLS with TLS/server.crt, and mutual: the client
#                must present a certificate that TLS/ca.pem signed (see lib/group.sh)
#   P+100+i-1    Erlang distribution of node i
#   P+110        the group's own epmd (all its nodes register there; 4369 is never used)
#   P+120..P+130 the Erlang nodes of the group's rabbitmqctl calls
# Node i is jh<P>n<i>@localhost; its files are in DIR/n<i> (rabbit.pid, rabbitmq.conf,
# mnesia/, log/ with stdout.log and jh<P>n<i>@localhost.log). DIR/home holds the group's one
# Erlang cookie. With 3 nodes, the cluster forms through classic_config peer discovery; the
# others see a killed node down at once (its connections close). A cluster node restarted on its
# data waits for a peer that is running (or was the last to stop): start-node I is meant for a
# cluster with other nodes up; start starts all together.
# Exit codes: 0 done, 1 failure (with the tail of the log), 64 usage error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
source "$here/lib/rabbitmq.sh"
source "$here/lib/group.sh"

usage() { echo "usage: $(basename "$0") --dir DIR --port P [--nodes 1|3] [--tls-dir TLS] start|stop|status|urls|stop-node I|kill-node I|start-node I|ctl I ARGS..."; }

parse_group_args nodes "$@"
NODES=$COUNT
set -- "${ARGS[@]+"${ARGS[@]}"}"
check_port_span "$PORT" 131
check_layout "$DIR" "port=$PORT nodes=$NODES"
case "$COMMAND" in
    stop-node|kill-node|start-node)
        [ $# -eq 1 ] && is_uint "$1" && [ "$1" -ge 1 ] && [ "$1" -le "$NODES" ] \
            || usage_error "$COMMAND needs a node number 1..$NODES"
        NODE=$1 ;;
    ctl)
        [ $# -ge 2 ] && is_uint "$1" && [ "$1" -ge 1 ] && [ "$1" -le "$NODES" ] \
            || usage_error "ctl needs a node number 1..$NODES and rabbitmqctl arguments"
        NODE=$1; shift ;;
    start|stop|status|urls) [ $# -eq 0 ] || usage_error "$COMMAND takes no argument" ;;
    *) usage_error "unknown command $COMMAND" ;;
esac

EPMD_PORT=$((PORT + 110))
CTL_PORT=$((PORT + 120))
node_name() { echo "jh${PORT}n$1@localhost"; }
node_dir() { echo "$DIR/n$1"; }
amqp_port() { echo $((PORT + $1 - 1)); }
amqp_url() { echo "amqp://guest:guest@127.0.0.1:$(amqp_port "$1")/%2f"; }

# node_env I: the environment of node I (for rabbitmq-server, rabbitmqctl, epmd).
node_env() {
    rabbitmq_node_env "$(node_dir "$1")" "$DIR/home" "$(node_name "$1")" \
        "$(amqp_port "$1")" $((PORT + 100 + $1 - 1)) "$EPMD_PORT" "$CTL_PORT"
}

# tls_config I: with --tls-dir, the config lines of node I's TLS listener, which requires a
# client certificate (one line per word: the paths hold no spaces, realpath of a test folder).
tls_config() {
    [ -n "$TLS_DIR" ] || return 0
    echo "listeners.ssl.default=127.0.0.1:$(($(amqp_port "$1") + 50))"
    echo "ssl_options.cacertfile=$TLS_DIR/ca.pem"
    echo "ssl_options.certfile=$TLS_DIR/server.crt"
    echo "ssl_options.keyfile=$TLS_DIR/server.key"
    echo "ssl_options.verify=verify_peer"
    echo "ssl_options.fail_if_no_peer_cert=true"
}

# ctl I ARGS...: rabbitmqctl against node I.
ctl() { (node_env "$1"; shift; "$RABBITMQCTL" "$@"); }

# node_pid I: the pid of node I's Erlang VM (the beam.smp process, which RabbitMQ writes to its
# PID file; the rabbitmq-server shell script is only its parent), if it is running.
node_pid() { owned_pid "$(node_dir "$1")/rabbit.pid" environ "RABBITMQ_PID_FILE=$(node_dir "$1")/rabbit.pid"; }

fail_node() {
    echo "rabbitmq $(node_name "$1"): $2" >&2
    log_tail "$(node_dir "$1")/log/stdout.log" "$(node_dir "$1")/log/$(node_name "$1").log"
    exit 1
}

# prepare: folders, the group's cookie (made before any node starts, so that nodes starting
# together do not each make their own), every node's config, and the group's epmd.
prepare() {
    record_layout "$DIR" "port=$PORT nodes=$NODES"
    mkdir -p "$DIR/home"
    if [ ! -s "$DIR/home/.erlang.cookie" ]; then
        (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$DIR/home/.erlang.cookie")
        chmod 400 "$DIR/home/.erlang.cookie"
    fi
    local i j peers=()
    if [ "$NODES" -gt 1 ]; then
        peers+=("cluster_formation.peer_discovery_backend = classic_config")
        for j in $(seq 1 "$NODES"); do peers+=("cluster_formation.classic_config.nodes.$j = $(node_name "$j")"); done
    fi
    for i in $(seq 1 "$NODES"); do
        rabbitmq_write_config "$(node_dir "$i")" "$(amqp_port "$i")" "${peers[@]+"${peers[@]}"}" $(tls_config "$i")
    done
    if ! port_listening "$EPMD_PORT"; then
        (node_env 1; close_inherited_fds; epmd -daemon </dev/null >/dev/null 2>&1)
        local deadline=$((SECONDS + 10))
        until (node_env 1; epmd -port "$EPMD_PORT" -names >/dev/null 2>&1); do
            [ "$SECONDS" -lt "$deadline" ] || { echo "rabbitmq: epmd did not start on 127.0.0.1:$EPMD_PORT" >&2; exit 1; }
            sleep 0.1
        done
    fi
}

launch() {
    rm -f "$(node_dir "$1")/rabbit.pid"
    (node_env "$1"; close_inherited_fds; rabbitmq_launch "$(node_dir "$1")")
}

# await_node I: until node I has booted (bounded).
await_node() {
    local deadline=$((SECONDS + GROUP_WAIT_S))
    ctl "$1" -q wait --timeout "$GROUP_WAIT_S" "$(node_dir "$1")/rabbit.pid" >/dev/null 2>&1 \
        && ctl "$1" -q await_startup --timeout $((deadline - SECONDS > 1 ? deadline - SECONDS : 1)) >/dev/null 2>&1 \
        || fail_node "$1" "did not start within $GROUP_WAIT_S s"
}

# await_cluster I: until node I sees all the group's nodes running (bounded).
await_cluster() {
    [ "$NODES" -gt 1 ] || return 0
    ctl "$1" -q await_online_nodes "$NODES" --timeout "$GROUP_WAIT_S" >/dev/null 2>&1 \
        || fail_node "$1" "the cluster did not reach $NODES running nodes within $GROUP_WAIT_S s"
}

start_all() {
    prepare
    local i
    # A brand-new cluster forms most reliably around one node that is already up: the others
    # then join it. On existing data all must start together (each waits for its peers).
    if [ "$NODES" -gt 1 ] && [ ! -d "$(node_dir 1)/mnesia/$(node_name 1)" ] && ! node_pid 1 >/dev/null; then
        launch 1
        await_node 1
    fi
    for i in $(seq 1 "$NODES"); do
        node_pid "$i" >/dev/null || launch "$i"
    done
    for i in $(seq 1 "$NODES"); do await_node "$i"; done
    await_cluster 1
    echo "rabbitmq: $NODES node(s) ready: $(urls)"
}

# stop_node I: clean stop (rabbitmqctl stop waits until the VM has exited); SIGTERM, then
# SIGKILL, if that fails.
stop_node() {
    local pid
    if ! pid=$(node_pid "$1"); then
        echo "rabbitmq $(node_name "$1"): not running"
    else
        if ! ctl "$1" -q stop "$(node_dir "$1")/rabbit.pid" >/dev/null 2>&1; then
            echo "rabbitmq $(node_name "$1"): rabbitmqctl stop failed; SIGTERM" >&2
            terminate "$pid"
        fi
        wait_gone "$pid" 5 || true
        echo "rabbitmq $(node_name "$1"): stopped"
    fi
    rm -f "$(node_dir "$1")/rabbit.pid"
}

stop_all() {
    local i pids=()
    # In parallel: each clean stop takes seconds.
    for i in $(seq 1 "$NODES"); do stop_node "$i" & pids+=($!); done
    for i in "${pids[@]}"; do wait "$i"; done
    if port_listening "$EPMD_PORT"; then
        (node_env 1; epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1) \
            || echo "rabbitmq: could not stop epmd on 127.0.0.1:$EPMD_PORT" >&2
    fi
}

kill_node() {
    local pid
    if pid=$(node_pid "$1"); then
        sigkill "$pid"
        rm -f "$(node_dir "$1")/rabbit.pid"
        echo "rabbitmq $(node_name "$1"): killed (pid $pid)"
    else
        echo "rabbitmq $(node_name "$1"): not running"
    fi
}

start_node() {
    [ -d "$(node_dir "$1")/mnesia/$(node_name "$1")" ] || [ "$NODES" = 1 ] \
        || { echo "rabbitmq: group in $DIR was never started: use start" >&2; exit 1; }
    if node_pid "$1" >/dev/null; then
        echo "rabbitmq $(node_name "$1"): already running"
    else
        prepare
        launch "$1"
    fi
    await_node "$1"
    await_cluster "$1"
    echo "rabbitmq $(node_name "$1"): ready on $(amqp_url "$1")"
}

status() {
    local i rc=0 pid
    for i in $(seq 1 "$NODES"); do
        if ! pid=$(node_pid "$i"); then
            echo "node $i $(node_name "$i") $(amqp_url "$i") not running"; rc=1
        elif ctl "$i" -q eval 'rabbit:is_running().' 2>/dev/null | grep -qx true; then
            echo "node $i $(node_name "$i") $(amqp_url "$i") running (pid $pid)"
        else
            echo "node $i $(node_name "$i") $(amqp_url "$i") not running (VM pid $pid up, rabbit app not)"; rc=1
        fi
    done
    return $rc
}

urls() {
    local i out=()
    for i in $(seq 1 "$NODES"); do out+=("$(amqp_url "$i")"); done
    (IFS=,; echo "${out[*]}")
}

case "$COMMAND" in
    start) start_all ;;
    stop) stop_all ;;
    stop-node) stop_node "$NODE" ;;
    kill-node) kill_node "$NODE" ;;
    start-node) start_node "$NODE" ;;
    status) status ;;
    urls) urls ;;
    ctl) ctl "$NODE" "$@" ;;
esac
