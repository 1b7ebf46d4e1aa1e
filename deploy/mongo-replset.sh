#!/usr/bin/env bash
# A private MongoDB replica set rs0 of 1 or 3 members that fault-injection tests can start, stop,
# kill, restart and make fail over while other tests keep using the shared mongod of services.sh.
# All state lives under DIR; several sets run side by side when their ports differ.
#
#   deploy/mongo-replset.sh --dir DIR --port P [--members 1|3] [--tls-dir TLS] COMMAND
#     start            start every member that is not running (on its data, if any), initiate the
#                      set once, wait until a member is a writable primary and the others are
#                      secondaries (not still in initial sync)
#     stop             SIGTERM every member, wait for the exits (SIGKILL after 30 s)
#     stop-member I    the same for member I
#     kill-member I    SIGKILL member I; returns as soon as it is gone
#     start-member I   start member I on its data, wait until it is back as a secondary (or
#                      primary)
#     stepdown         (3 members) make the primary step down for 10 s, wait for another primary
#     primary          print the number (1-based) of the primary member; exit 1 if there is none
#     uri              print mongodb://127.0.0.1:P,...:P+N-1/?replicaSet=rs0
#     status           one line per member with its state (primary, secondary, other); exit 0
#                      only if all answer
#
# With --tls-dir, members accept TLS only (--tlsMode requireTLS, with TLS/server.pem) from
# clients with a certificate that TLS/ca.pem signed (see lib/group.sh); the URIs printed and
# used carry tls=true&tlsCAFile=TLS/ca.pem&tlsCertificateKeyFile=TLS/client.pem, and mongo-tool
# gets them through JOBHUNT_MONGO_TOOL_URI_OPTIONS for the members it reaches by address.
# Ports: member i listens on 127.0.0.1:P+i-1 (nothing else). Members have the default priority
# and votes: any of them may become primary. When start finds no primary, member 1 is asked to
# step up rather than wait out the 10 s election timeout, so the first primary is usually
# member 1. After a SIGKILL of the primary, the others elect a new one in about 10-12 s (the
# election timeout); after stop-member or stepdown, within a second. Member i's files are in DIR/m<i> (data/,
# mongod.log, mongod.pid, fork.out, its unix socket: DIR must be short enough for a socket
# path, about 80 characters). Uses $JOBHUNT_MONGOD and $JOBHUNT_MONGO_TOOL (deploy/env.sh).
# Exit codes: 0 done, 1 failure (with the tail of the logs), 64 usage error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
source "$here/lib/group.sh"

usage() { echo "usage: $(basename "$0") --dir DIR --port P [--members 1|3] [--tls-dir TLS] start|stop|status|primary|stepdown|uri|stop-member I|kill-member I|start-member I"; }

parse_group_args members "$@"
MEMBERS=$COUNT
set -- "${ARGS[@]+"${ARGS[@]}"}"
check_port_span "$PORT" "$MEMBERS"
check_layout "$DIR" "port=$PORT members=$MEMBERS"
case "$COMMAND" in
    stop-member|kill-member|start-member)
        [ $# -eq 1 ] && is_uint "$1" && [ "$1" -ge 1 ] && [ "$1" -le "$MEMBERS" ] \
            || usage_error "$COMMAND needs a member number 1..$MEMBERS"
        MEMBER=$1 ;;
    stepdown) [ $# -eq 0 ] || usage_error "stepdown takes no argument"
        [ "$MEMBERS" = 3 ] || usage_error "stepdown needs a set of 3 members" ;;
    start|stop|status|primary|uri) [ $# -eq 0 ] || usage_error "$COMMAND takes no argument" ;;
    *) usage_error "unknown command $COMMAND" ;;
esac

member_dir() { echo "$DIR/m$1"; }
member_host() { echo "127.0.0.1:$((PORT + $1 - 1))"; }
member_pid() { owned_pid "$(member_dir "$1")/mongod.pid" cmdline "$(member_dir "$1")/data"; }
all_hosts() { local i; for i in $(seq 1 "$MEMBERS"); do member_host "$i"; done; }
tls_options() { [ -z "$TLS_DIR" ] || echo "tls=true&tlsCAFile=$TLS_DIR/ca.pem&tlsCertificateKeyFile=$TLS_DIR/client.pem"; }
uri() { echo "mongodb://$(all_hosts | paste -sd,)/?replicaSet=rs0${TLS_DIR:+&$(tls_options)}"; }
export JOBHUNT_MONGO_TOOL_URI_OPTIONS="$(tls_options)"

need_binaries() {
    [ -x "$JOBHUNT_MONGOD" ] || { echo "mongodb: no mongod at $JOBHUNT_MONGOD (deploy/install.sh, or set JOBHUNT_MONGOD)" >&2; exit 1; }
    [ -x "$JOBHUNT_MONGO_TOOL" ] || { echo "mongodb: no mongo-tool at $JOBHUNT_MONGO_TOOL (deploy/install.sh, or set JOBHUNT_MONGO_TOOL)" >&2; exit 1; }
}

# fail MESSAGE [MEMBER...]: the message and the tail of the members' logs (all by default).
fail() {
    local message=$1 i members
    shift
    if [ $# -gt 0 ]; then members=("$@"); else mapfile -t members < <(seq 1 "$MEMBERS"); fi
    echo "mongodb rs0 in $DIR: $message" >&2
    for i in "${members[@]}"; do
        log_tail "$(member_dir "$i")/fork.out" "$(member_dir "$i")/mongod.log"
    done
    exit 1
}

# launch I: start member I's mongod (--fork returns once it accepts connections). The flags are
# those of services.sh's start_mongo with a smaller cache and oplog, and a 1 s quiesce period on
# SIGTERM instead of 15 s (a member of a multi-member set would take 15 s to stop; a primary
# still waits up to that 1 s for a secondary to catch up before it steps down and exits).
launch() {
    local d; d=$(member_dir "$1")
    mkdir -p "$d/data"
    (close_inherited_fds; exec "$JOBHUNT_MONGOD" --dbpath "$d/data" --bind_ip 127.0.0.1 --port $((PORT + $1 - 1)) \
        ${TLS_DIR:+--tlsMode requireTLS --tlsCertificateKeyFile "$TLS_DIR/server.pem" --tlsCAFile "$TLS_DIR/ca.pem"} \
        --replSet rs0 --fork --logpath "$d/mongod.log" --pidfilepath "$d/mongod.pid" \
        --unixSocketPrefix "$d" --wiredTigerCacheSizeGB 0.25 --oplogSize 64 \
        --wiredTigerEngineConfigString 'log=(prealloc=false,file_max=20MB)' \
        --setParameter diagnosticDataCollectionEnabled=false \
        --setParameter shutdownTimeoutMillisForSignaledShutdown=1000 </dev/null >"$d/fork.out" 2>&1) \
        || fail "member $1 ($(member_host "$1")) failed to start" "$1"
}

# primary_index: the number of the primary member, if there is one.
primary_index() {
    local host
    host=$("$JOBHUNT_MONGO_TOOL" primary "$(uri)" 2>/dev/null) || return 1
    echo $((${host##*:} - PORT + 1))
}

start_all() {
    need_binaries
    record_layout "$DIR" "port=$PORT members=$MEMBERS"
    local i
    for i in $(seq 1 "$MEMBERS"); do member_pid "$i" >/dev/null || launch "$i"; done
    # shellcheck disable=SC2046
    "$JOBHUNT_MONGO_TOOL" initiate $(all_hosts) >/dev/null 2>"$DIR/initiate.err" \
        || fail "$(cat "$DIR/initiate.err")"
    echo "mongodb: rs0 ready, $MEMBERS member(s), primary member $(primary_index || echo '?'): $(uri)"
}

stop_member() {
    local pid
    if pid=$(member_pid "$1"); then
        terminate "$pid"
        echo "mongodb member $1 ($(member_host "$1")): stopped"
    else
        echo "mongodb member $1 ($(member_host "$1")): not running"
    fi
    rm -f "$(member_dir "$1")/mongod.pid"
}

stop_all() {
    local i pids=()
    for i in $(seq 1 "$MEMBERS"); do stop_member "$i" & pids+=($!); done
    for i in "${pids[@]}"; do wait "$i"; done
}

kill_member() {
    local pid
    if pid=$(member_pid "$1"); then
        sigkill "$pid"
        rm -f "$(member_dir "$1")/mongod.pid"
        echo "mongodb member $1 ($(member_host "$1")): killed (pid $pid)"
    else
        echo "mongodb member $1 ($(member_host "$1")): not running"
    fi
}

start_member() {
    need_binaries
    [ -d "$(member_dir "$1")/data" ] || { echo "mongodb: set in $DIR was never started: use start" >&2; exit 1; }
    if member_pid "$1" >/dev/null; then
        echo "mongodb member $1 ($(member_host "$1")): already running"
    else
        launch "$1"
    fi
    # Answering is not enough: it must be back in the set (recovered, caught up as a secondary,
    # or primary), or it could not take over when a test kills the primary next.
    local deadline=$((SECONDS + GROUP_WAIT_S)) state=""
    until state=$("$JOBHUNT_MONGO_TOOL" state "$(member_host "$1")" 2>/dev/null) \
            && { [ "$state" = primary ] || [ "$state" = secondary ]; }; do
        [ "$SECONDS" -lt "$deadline" ] \
            || fail "member $1 was not back as primary or secondary within $GROUP_WAIT_S s (state: ${state:-no answer})" "$1"
        sleep 0.2
    done
    echo "mongodb member $1 ($(member_host "$1")): up, $state"
}

stepdown() {
    local old new deadline=$((SECONDS + GROUP_WAIT_S))
    old=$(primary_index) || fail "no primary to step down"
    "$JOBHUNT_MONGO_TOOL" stepdown "$(uri)" || fail "member $old did not step down"
    until new=$(primary_index) && [ "$new" != "$old" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "no other member became primary within $GROUP_WAIT_S s after member $old stepped down"
        sleep 0.2
    done
    echo "mongodb: member $old stepped down; member $new is primary"
}

status() {
    local i pid rc=0 state
    for i in $(seq 1 "$MEMBERS"); do
        if ! pid=$(member_pid "$i"); then
            echo "member $i $(member_host "$i") not running"; rc=1
        elif state=$("$JOBHUNT_MONGO_TOOL" state "$(member_host "$i")" 2>/dev/null); then
            echo "member $i $(member_host "$i") running (pid $pid), $state"
        else
            echo "member $i $(member_host "$i") not answering (pid $pid)"; rc=1
        fi
    done
    return $rc
}

case "$COMMAND" in
    start) start_all ;;
    stop) stop_all ;;
    stop-member) stop_member "$MEMBER" ;;
    kill-member) kill_member "$MEMBER" ;;
    start-member) start_member "$MEMBER" ;;
    stepdown) stepdown ;;
    primary) primary_index ;;
    uri) uri ;;
    status) status ;;
esac
