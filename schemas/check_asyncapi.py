#!/usr/bin/env python3
"""Checks schemas/asyncapi.yaml: its structure, and that each of its messages accepts the valid
examples of its event type and rejects the invalid ones.

Usage: python3 schemas/check_asyncapi.py

Each message's payload is a `$ref` to one of the JSON Schemas beside this file (one source of
truth for producers). The examples are validated against the schema that the document's
reference resolves to, with the same `jsonschema` library and registry as check_examples.py,
so a wrong or missing reference, or a message bound to the wrong routing key, fails here.
(asyncapi-payload-validator from PyPI was tried: it resolves no reference to another file and
does not implement JSON Schema 2020-12's `const`, `if`/`then` or `$ref` beside other keywords,
so it rejected every valid example.)

Prints one line per problem and a summary; exits 1 on any problem, 2 on a setup problem.
"""

from __future__ import annotations

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

try:
    import yaml
    from check_examples import load_registry, parse, validator
except ImportError as error:  # pragma: no cover
    print(f"schemas: PyYAML and jsonschema (>= 4.18) are required: {error}", file=sys.stderr)
    sys.exit(2)

# The example folder, message and routing key of each event type, as the contract gives them.
EVENTS = {
    "JobPosted": ("job-posted", "job.posted"),
    "MatchComputed": ("match-computed", "match.computed"),
    "InteractionRecorded": ("interaction-recorded", "interaction.recorded"),
}


def resolve(document: dict, reference: str):
    """What a `#/...` reference points at, following references that point at references."""
    node = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return resolve(document, node["$ref"]) if isinstance(node, dict) and "$ref" in node else node


def structure_problems(spec: dict) -> list[str]:
    problems = []
    if spec.get("asyncapi") != "3.0.0":
        problems.append("asyncapi must be 3.0.0")
    routed = {}
    for name, channel in spec.get("channels", {}).items():
        binding = channel.get("bindings", {}).get("amqp", {})
        if binding.get("is") != "routingKey" or binding.get("exchange", {}).get("type") != "topic":
            problems.append(f"channel {name}: not an AMQP routing key on a topic exchange")
        for message in channel.get("messages", {}).values():
            routed[resolve(spec, message["$ref"])["name"]] = channel.get("address")
    for event, (_, routing_key) in EVENTS.items():
        if routed.get(event) != routing_key:
            problems.append(f"{event}: routed by {routed.get(event)!r}, the contract says {routing_key!r}")
    for name, operation in spec.get("operations", {}).items():
        channel = resolve(spec, operation["channel"]["$ref"])
        for message in operation.get("messages", []):
            if resolve(spec, message["$ref"]) not in [resolve(spec, m["$ref"]) for m in channel["messages"].values()]:
                problems.append(f"operation {name}: a message that is not its channel's")
    return problems


def main() -> int:
    spec = yaml.safe_load((HERE / "asyncapi.yaml").read_text(encoding="utf-8"))
    problems = structure_problems(spec)
    registry = load_registry()
    checked = 0
    for event, (folder, _) in EVENTS.items():
        message = spec["components"]["messages"][event]
        schema_file = message["payload"]["$ref"].removeprefix("./")
        check = validator(registry, schema_file)
        for kind, should_pass in (("valid", True), ("invalid", False)):
            for example in sorted((HERE / "examples" / folder / kind).glob("*.json")):
                if kind == "invalid" and example.name.startswith("malformed--"):
                    continue  # not JSON: nothing to hold against a schema
                checked += 1
                try:
                    passes = not list(check.iter_errors(parse(example.read_bytes())))
                except ValueError:
                    passes = False
                if passes != should_pass:
                    problems.append(f"{example.relative_to(HERE)}: {'rejected' if should_pass else 'accepted'} by {event} ({schema_file})")
    for problem in problems:
        print(problem)
    print(f"asyncapi: {checked} examples checked against the messages of asyncapi.yaml, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
