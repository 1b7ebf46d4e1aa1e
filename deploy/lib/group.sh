# Sourced by deploy/rabbitmq-nodes.sh and deploy/mongo-replset.sh: process and port helpers for
# private server groups that run side by side with the shared services and with each other.
# Processes are found through their PID files only, never by name.

GROUP_WAIT_S=60   # every wait for a server is bounded by this

# usage_error MESSAGE: exits 64 (EX_USAGE) with the message and the script's usage.
usage_error() { echo "$(basename "$0"): $1" >&2; usage >&2; exit 64; }

# is_uint VALUE
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# proc_alive PID: the process exists and is not a zombie (kill -0 succeeds on zombies, which an
# init that reaps slowly may leave behind; a zombie holds no ports).
proc_alive() {
    local state
    state=$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# owned_pid PIDFILE cmdline|environ ENTRY: prints the pid written in PIDFILE when that process is
# alive and ENTRY is one of the NUL-separated entries of its /proc/PID/cmdline (or environ), so
# that a stale PID file whose pid was reused by another process is never taken for our server.
owned_pid() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(tr -dc '0-9' < "$1")
    [ -n "$pid" ] && proc_alive "$pid" || return 1
    tr '\0' '\n' < "/proc/$pid/$2" 2>/dev/null | grep -qxF -- "$3" || return 1
    echo "$pid"
}

# wait_gone PID SECONDS: returns 0 as soon as the process is gone, 1 if still alive after SECONDS.
wait_gone() {
    local deadline=$((SECONDS + $2))
    while proc_alive "$1"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# terminate PID: SIGTERM, wait for the exit, SIGKILL after 30 s.
terminate() {
    kill -TERM "$1" 2>/dev/null || return 0
    wait_gone "$1" 30 && return 0
    echo "$(basename "$0"): pid $1 still alive 30 s after SIGTERM: SIGKILL" >&2
    kill -KILL "$1" 2>/dev/null || true
    wait_gone "$1" 5 || true
}

# sigkill PID: SIGKILL, then wait (milliseconds) until the process is gone, so that its ports
# are closed when this returns.
sigkill() {
    kill -KILL "$1" 2>/dev/null || return 0
    wait_gone "$1" 5 || echo "$(basename "$0"): pid $1 survived SIGKILL for 5 s" >&2
}

# close_inherited_fds: closes the descriptors above 2 that this (sub)shell inherited, so that a
# server started from it keeps none of them: a caller that reads our output through a pipe it
# also passed as another descriptor would otherwise wait for the server to exit. Bash's own
# descriptors are close-on-exec anyway.
close_inherited_fds() {
    local path fd flags
    for path in /proc/"$BASHPID"/fd/*; do
        fd=${path##*/}
        [ "$fd" -gt 2 ] || continue
        flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$BASHPID/fdinfo/$fd" 2>/dev/null) || continue
        [ -n "$flags" ] && [ $((8#$flags & 8#2000000)) -eq 0 ] || continue   # O_CLOEXEC: leave it
        eval "exec $fd>&-" 2>/dev/null || true
    done
}

# port_listening PORT: something listens on 127.0.0.1:PORT (or on all interfaces).
port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# check_port_span P SPAN: exits 64 unless P..P+SPAN-1 is a range of unprivileged ports that
# holds none of the shared services' ports (deploy/env.sh), the system defaults, or
# rabbitmqctl's default distribution range.
check_port_span() {
    local first=$1 last=$(($1 + $2 - 1)) port
    [ "$first" -ge 1024 ] && [ "$last" -le 65535 ] || usage_error "--port $first: ports $first-$last must lie within 1024-65535"
    for port in 4369 5672 15672 25672 27017 "$JOBHUNT_AMQP_PORT" "$JOBHUNT_RABBIT_DIST_PORT" \
        "$JOBHUNT_EPMD_PORT" "$JOBHUNT_MONGO_PORT" $(seq 35672 35682); do
        if [ "$port" -ge "$first" ] && [ "$port" -le "$last" ]; then
            usage_error "--port $first: ports $first-$last would include $port, which the shared or system services use"
        fi
    done
}

# check_layout DIR LAYOUT: a group's layout ("port=P nodes=N") is recorded in DIR/layout when it
# first starts (record_layout); every later call must give the same one (a group started with
# 3 nodes and stopped as 1 would leak two).
check_layout() {
    [ -f "$1/layout" ] || return 0
    [ "$(cat "$1/layout")" = "$2" ] || usage_error "$1 holds a group with layout '$(cat "$1/layout")', not '$2'"
}
record_layout() { check_layout "$1" "$2"; mkdir -p "$1"; [ -f "$1/layout" ] || echo "$2" > "$1/layout"; }

# layout_value DIR KEY: the value of KEY in DIR/layout, if recorded.
layout_value() { sed -n "s/.*\b$2=\([0-9]*\).*/\1/p" "$1/layout" 2>/dev/null || true; }

# log_tail FILE...: the last 20 lines of each existing file, to stderr.
log_tail() {
    local f
    for f in "$@"; do
        [ -s "$f" ] || continue
        echo "--- last lines of $f" >&2
        tail -n 20 "$f" >&2
    done
}

# Parses the arguments every group script takes:
#   --dir DIR --port P [--NAME 1|3] [--tls-dir TLS] COMMAND [ARG...]
# where NAME is `nodes` or `members`. Sets DIR (absolute), PORT, COUNT (the flag, else the
# recorded layout, else 1), TLS_DIR (absolute, or empty), COMMAND and ARGS (what follows the
# command). TLS holds PEM files: ca.pem (the CA that signed the others), server.crt and
# server.key (for 127.0.0.1 and localhost), server.pem (the two in one file), client.pem (a
# client certificate and its key in one file). Exits 64 on a mistake.
parse_group_args() {
    local name=$1
    shift
    DIR="" PORT="" COUNT="" TLS_DIR=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --dir) [ $# -ge 2 ] || usage_error "--dir needs a value"; DIR=$2; shift 2 ;;
            --port) [ $# -ge 2 ] || usage_error "--port needs a value"; PORT=$2; shift 2 ;;
            --tls-dir) [ $# -ge 2 ] || usage_error "--tls-dir needs a value"; TLS_DIR=$(realpath -e -- "$2" 2>/dev/null) \
                && [ -f "$TLS_DIR/ca.pem" ] || usage_error "--tls-dir $2: no ca.pem there"; shift 2 ;;
            "--$name") [ $# -ge 2 ] || usage_error "--$name needs a value"; COUNT=$2; shift 2 ;;
            -h|--help) usage; exit 0 ;;
            -*) usage_error "unknown option $1" ;;
            *) break ;;
        esac
    done
    [ -n "$DIR" ] || usage_error "--dir is required"
    case "$TLS_DIR" in *[[:space:]\&]*) usage_error "--tls-dir must not contain spaces or &" ;; esac
    is_uint "$PORT" || usage_error "--port P is required (a number)"
    DIR=$(realpath -m -- "$DIR")
    COUNT=${COUNT:-$(layout_value "$DIR" "$name")}
    COUNT=${COUNT:-1}
    [ "$COUNT" = 1 ] || [ "$COUNT" = 3 ] || usage_error "--$name must be 1 or 3"
    COMMAND=${1:-}
    [ -n "$COMMAND" ] || usage_error "no command"
    shift
    ARGS=("$@")
}

