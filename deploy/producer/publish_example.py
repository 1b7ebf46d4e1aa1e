#!/usr/bin/env python3
"""An example producer for the jobhunt worker, hand-written: no producer can be generated from
schemas/asyncapi.yaml (deploy/README.md, "Producing events", says why).

Usage: python3 deploy/producer/publish_example.py [FILE]   (FILE: JSON lines; '-' or none: stdin)

Each non-blank line is one CloudEvents 1.0 envelope in structured JSON mode, as for
`jobhunt-worker publish`. The exchange and each message's routing key are read from
schemas/asyncapi.yaml at start, so a change to the document reaches this script. Each event is
validated against its message's JSON Schema (and the rules beyond the schema) and, if valid,
published persistent, `mandatory`, with publisher confirms.

Settings: AMQP_URL (default amqp://guest:guest@127.0.0.1:5672/%2f; the nodes of a cluster
separated by commas), JOBHUNT_EXCHANGE (default: the exchange of the AsyncAPI document).

Exit status: 0 when every line was published; 1 when a line was rejected (the valid ones are
still published), or when the broker returned (unroutable) or nacked a message, or could not be
reached (then it stops: nothing after that message is sent); 2 when a library is missing;
64 on a usage error.
Needs pika (deploy/install.sh installs it for PYTHONPATH=$JOBHUNT_STATE/python), PyYAML and
jsonschema >= 4.18 (the machine's Python has them; deploy/python-requirements.txt).
"""

from __future__ import annotations

import json
import os
import pathlib
import sys

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent.parent / "schemas"
ASYNCAPI = SCHEMAS / "asyncapi.yaml"
sys.path.insert(0, str(SCHEMAS))

try:
    import pika
    import pika.exceptions
    import yaml
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource

    # The rules no JSON Schema can express (duplicate keys, nesting, body size, ...).
    from check_examples import NotJSON, beyond_schema_problems, parse
except ImportError as error:
    print(f"publish_example: pika, PyYAML and jsonschema (>= 4.18) are required: {error}", file=sys.stderr)
    sys.exit(2)

CONTENT_TYPE = "application/cloudevents+json"
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2f"


class Route:
    """Where one message type goes, and the validator of its payload."""

    def __init__(self, exchange: str, routing_key: str, validator: Draft202012Validator):
        self.exchange = exchange
        self.routing_key = routing_key
        self.validator = validator


def resolve(document: dict, reference: str):
    """What a local `#/...` reference points at, following references to references."""
    node = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return resolve(document, node["$ref"]) if isinstance(node, dict) and "$ref" in node else node


def load_routes() -> dict[str, Route]:
    """Event type (the message's `name`) -> its route, from the `send` operations of the document."""
    document = yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in SCHEMAS.glob("*.schema.json"))
    routes = {}
    for operation in document["operations"].values():
        if operation.get("action") != "send":
            continue
        channel = resolve(document, operation["channel"]["$ref"])
        exchange = channel["bindings"]["amqp"]["exchange"]["name"]
        for reference in operation["messages"]:
            message = resolve(document, reference["$ref"])
            # The payload is a $ref to a schema file beside the document.
            schema_file = pathlib.PurePosixPath(message["payload"]["$ref"]).name
            validator = Draft202012Validator(
                {"$ref": schema_file}, registry=registry, format_checker=FormatChecker())
            routes[message["name"]] = Route(exchange, channel["address"], validator)
    return routes


def problems(raw: bytes, routes: dict[str, Route]) -> tuple[dict | None, Route | None, list[str]]:
    """The parsed event, its route and what is wrong with it (empty when it may be published)."""
    try:
        event = parse(raw)
    except NotJSON as error:
        return None, None, [f"not JSON: {error}"]
    if not isinstance(event, dict):
        return None, None, ["not a JSON object"]
    route = routes.get(event.get("type"))
    if route is None:
        return event, None, [f"type {event.get('type')!r} is none of {', '.join(sorted(routes))}"]
    found = [f"{error.json_path}: {error.message}" for error in route.validator.iter_errors(event)]
    found += [problem for _, problem in beyond_schema_problems(raw)]
    return event, route, found


class Undelivered(Exception):
    """The broker did not take a message: the script stops."""


def connect(url: str) -> pika.adapters.blocking_connection.BlockingChannel:
    try:
        connection = pika.BlockingConnection([pika.URLParameters(node) for node in url.split(",")])
    except pika.exceptions.AMQPError as error:
        raise Undelivered(f"cannot connect to the broker: {error!r}") from None
    channel = connection.channel()
    channel.confirm_delivery()  # basic_publish now waits for the broker's ack, nack or return
    return channel


def publish(channel, exchange: str, route: Route, raw: bytes, what: str) -> None:
    properties = pika.BasicProperties(content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent)
    try:
        channel.basic_publish(exchange, route.routing_key, raw, properties, mandatory=True)
    except pika.exceptions.UnroutableError:
        raise Undelivered(
            f"{what}: unroutable: exchange {exchange!r} has no queue bound for routing key "
            f"{route.routing_key!r} (the broker returned it; is the worker set up on this exchange?)") from None
    except pika.exceptions.NackError:
        raise Undelivered(f"{what}: the broker nacked it (not stored; a full queue refuses publishes)") from None
    except pika.exceptions.ChannelClosedByBroker as error:
        raise Undelivered(f"{what}: the broker closed the channel: {error.reply_code} {error.reply_text}") from None
    except pika.exceptions.AMQPError as error:
        raise Undelivered(f"{what}: not confirmed: {error!r}") from None


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if len(argv) > 1:
        print(f"publish_example: one FILE at most\n{__doc__}", file=sys.stderr)
        return 64
    path = argv[0] if argv and argv[0] != "-" else None
    try:
        data = pathlib.Path(path).read_bytes() if path else sys.stdin.buffer.read()
    except OSError as error:
        print(f"publish_example: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 1
    routes = load_routes()
    override = os.environ.get("JOBHUNT_EXCHANGE")
    url = os.environ.get("AMQP_URL") or DEFAULT_AMQP_URL

    channel = None
    published = rejected = 0
    exchanges = set()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        event, route, found = problems(raw, routes)
        what = f"line {number}" + (f" (event {event.get('id')})" if isinstance(event, dict) and "id" in event else "")
        if found:
            rejected += 1
            for problem in found:
                print(f"publish_example: {what}: rejected: {problem}", file=sys.stderr)
            continue
        exchange = override or route.exchange
        try:
            channel = channel or connect(url)
            publish(channel, exchange, route, raw, what)
        except Undelivered as error:
            print(f"publish_example: {error}; stopped after {published} published", file=sys.stderr)
            return 1
        published += 1
        exchanges.add(exchange)
    if channel is not None:
        channel.connection.close()
    print(f"published {published} of {published + rejected} events to {', '.join(sorted(exchanges)) or '-'}")
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
