# Sourced by deploy/services.sh and deploy/rabbitmq-nodes.sh: how to run one RabbitMQ node by
# hand, isolated in a folder of its own (the only place that knows the node's environment).
#
# A node's folder NODE_DIR holds rabbit.pid, rabbitmq.conf, advanced.config, enabled_plugins,
# rabbitmq-env.conf, erl_crash.dump, mnesia/ and log/ (log/stdout.log: the server's output).
# HOME holds the Erlang cookie; the nodes of one cluster share one HOME (one cookie).

RABBITMQCTL=/usr/lib/rabbitmq/bin/rabbitmqctl        # not the /usr/sbin wrapper: it switches user
RABBITMQ_SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server  # and cookie

# rabbitmq_node_env NODE_DIR HOME NODENAME AMQP_PORT DIST_PORT EPMD_PORT [CTL_DIST_PORT]
# Exports everything a rabbitmq-server or rabbitmqctl call needs to reach this node and no other
# (without ERL_EPMD_PORT, rabbitmqctl would start a stray epmd on 4369).
# With CTL_DIST_PORT, the node's distribution listener binds 127.0.0.1 only (instead of all
# interfaces), and the Erlang node that each rabbitmqctl call runs listens on 127.0.0.1 within
# CTL_DIST_PORT..CTL_DIST_PORT+10 (instead of rabbitmq-env's default 35672-35682).
rabbitmq_node_env() {
    local dir=$1
    export HOME="$2"
    export RABBITMQ_NODENAME="$3"
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$4"
    export RABBITMQ_DIST_PORT="$5"
    export ERL_EPMD_PORT="$6"
    export ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_MNESIA_BASE="$dir/mnesia"
    export RABBITMQ_LOG_BASE="$dir/log"
    export RABBITMQ_PID_FILE="$dir/rabbit.pid"
    export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
    export ERL_CRASH_DUMP="$dir/erl_crash.dump"
    if [ -n "${7:-}" ]; then
        local loopback='-kernel inet_dist_use_interface {127,0,0,1}'
        export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$loopback"
        export RABBITMQ_CTL_ERL_ARGS="$loopback"
        export RABBITMQ_CTL_DIST_PORT_MIN="$7"
        export RABBITMQ_CTL_DIST_PORT_MAX="$(($7 + 10))"
    fi
}

# rabbitmq_write_config NODE_DIR AMQP_PORT [CONFIG_LINE...]
# Creates the node's folders and (re)writes its configuration files: an AMQP listener on
# 127.0.0.1:AMQP_PORT, guest allowed from loopback, warnings and worse to the log file only,
# plus the extra lines given (e.g. peer discovery).
rabbitmq_write_config() {
    local dir=$1 port=$2
    shift 2
    mkdir -p "$dir/mnesia" "$dir/log"
    {
        echo "listeners.tcp.default = 127.0.0.1:$port"
        echo "loopback_users = none"
        echo "log.file.level = warning"
        echo "log.console = false"
        local line
        for line in "$@"; do echo "$line"; done
    } > "$dir/rabbitmq.conf"
    echo "[]." > "$dir/advanced.config"   # an empty file stops the boot
    echo "[]." > "$dir/enabled_plugins"
    : > "$dir/rabbitmq-env.conf"
}

# rabbitmq_launch NODE_DIR: starts the node in the background (after rabbitmq_node_env) and
# returns at once. Its output goes to NODE_DIR/log/stdout.log; it keeps none of the caller's
# descriptors (a caller reading our output through a pipe would otherwise wait for the node).
rabbitmq_launch() {
    nohup "$RABBITMQ_SERVER" </dev/null >"$1/log/stdout.log" 2>&1 &
}
