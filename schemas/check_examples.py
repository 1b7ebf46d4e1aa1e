#!/usr/bin/env python3
"""Checks every example under schemas/examples against the JSON Schemas in schemas/.

Usage: python3 schemas/check_examples.py [-v]

Needs the `jsonschema` library (4.18 or later, which brings `referencing`).

What is checked (see README.md, "Examples"):
- examples/<type>/valid/*.json validate against <type>.schema.json, envelope.schema.json and
  event.schema.json, and break none of the rules beyond the schema;
- examples/<type>/invalid/schema_invalid--*.json and unknown_type--*.json fail <type>.schema.json
  (an unknown_type example fails only at /type);
- examples/<type>/invalid/malformed--*.json are not JSON at all (not UTF-8, not RFC 8259) or not
  a JSON object;
- examples/<type>/invalid-beyond-schema/<reason>--*.json PASS <type>.schema.json (that is the
  point of that folder) and break exactly the rules beyond the schema that give <reason>;
- a few cases too big to commit (bodies around 1 MiB, strings and arrays at their limits) are
  generated here, and by Tests/JobHuntEventsTests/SchemaExamplesTests.swift, the same way.

`beyond_schema_problems` is a reference implementation of the rules a JSON Schema cannot
express; producers may copy it.

Prints one line per mismatch and a summary; exits 1 on any mismatch, 2 on a setup problem.
"""

from __future__ import annotations

import datetime
import json
import math
import pathlib
import re
import sys

try:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover
    print(f"schemas: the jsonschema library (>= 4.18) is required: {error}", file=sys.stderr)
    sys.exit(2)

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
TYPE_SCHEMAS = {
    "job-posted": ("JobPosted", "job-posted.schema.json"),
    "match-computed": ("MatchComputed", "match-computed.schema.json"),
    "interaction-recorded": ("InteractionRecorded", "interaction-recorded.schema.json"),
}
REASONS = ("malformed", "schema_invalid", "unknown_type")

# The worker's limits that no JSON Schema keyword can express (EventLimits.swift).
MAX_BODY_BYTES = 1 << 20
MAX_NESTING_DEPTH = 32  # the envelope is level 1
# Instants in milliseconds since 0001-01-01 minus one day (date.toordinal() counts from 1).
EARLIEST_MS = datetime.date(1, 1, 1).toordinal() * 86_400_000
LATEST_MS = (datetime.date(9999, 12, 31).toordinal() + 1) * 86_400_000 - 1
DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})\Z")
INT64 = range(-(2**63), 2**63)


# ------------------------------------------------------------------------------ schemas

def load_registry() -> Registry:
    """Every *.schema.json in this folder, checked against the 2020-12 metaschema, under its
    file name (the schemas have no $id and refer to each other by relative file name)."""
    registry = Registry()
    for path in sorted(HERE.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        registry = registry.with_resource(path.name, Resource(schema, DRAFT202012))
    return registry


def validator(registry: Registry, schema_file: str) -> Draft202012Validator:
    """A validator for `schema_file` that also checks `format` (date-time)."""
    return Draft202012Validator({"$ref": schema_file}, registry=registry, format_checker=FormatChecker())


def schema_errors(v: Draft202012Validator, document) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in v.iter_errors(document)]


# ------------------------------------------------------------------------------ parsing

class NotJSON(Exception):
    """The body is not UTF-8 or not RFC 8259 JSON: the worker says `malformed`."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def parse(raw: bytes):
    """Parses like any RFC 8259 parser: strict UTF-8, no BOM, no NaN/Infinity.

    Like most parsers (and unlike the worker) it accepts duplicate keys (the last wins),
    lone surrogate escapes, numbers beyond a double's range and any nesting depth: those
    are checked by `beyond_schema_problems`.
    """
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise NotJSON(str(error)) from None


def beyond_schema_problems(raw: bytes) -> list[tuple[str, str]]:
    """The rules the worker enforces that the JSON Schemas cannot, as (reason, problem) pairs.

    `raw` must be UTF-8 JSON (see `parse`). Reasons are the worker's dead-letter reasons.
    """
    problems: list[tuple[str, str]] = []
    if len(raw) > MAX_BODY_BYTES:
        problems.append(("malformed", f"body is {len(raw)} bytes, over {MAX_BODY_BYTES}"))

    def pairs(items):
        keys = [key for key, _ in items]
        if len(keys) != len(set(keys)):
            problems.append(("malformed", "an object has the same key twice"))
        return dict(items)

    def number(literal: str):
        value = int(literal) if all(c in "-0123456789" for c in literal) else None
        if value is not None and value in INT64:
            return value
        as_double = float(literal)
        if math.isinf(as_double):
            problems.append(("malformed", "a number is beyond the range of a double"))
        return as_double

    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=pairs, parse_int=number,
                              parse_float=number, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise NotJSON(str(error)) from None

    def walk(value, depth: int):
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                problems.append(("malformed", "a string has a lone UTF-16 surrogate escape"))
        elif isinstance(value, (list, dict)):
            if depth > MAX_NESTING_DEPTH:
                problems.append(("malformed", f"nesting deeper than {MAX_NESTING_DEPTH} levels"))
                return
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                walk(key, depth)
                walk(item, depth + 1)

    walk(document, 1)
    if not isinstance(document, dict):
        return problems
    data = document.get("data")

    def utc_out_of_range(text) -> bool:
        """True for a date-time the pattern accepts whose instant in UTC is outside the years
        0001..9999 (the worker keeps milliseconds: further fraction digits are truncated)."""
        match = DATE_TIME.match(text) if isinstance(text, str) else None
        if match is None:
            return False  # not a date-time at all: the schema reports it
        year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
        milliseconds = int((match[7] or "0").ljust(3, "0")[:3])
        try:
            days = datetime.date(year, month, day).toordinal()
        except ValueError:
            return False  # not a calendar date: the schema reports it
        offset = 0 if match[8] in "Zz" else int(match[8][0] + "1") * (int(match[8][1:3]) * 60 + int(match[8][4:6]))
        instant = (((days * 24 + hour) * 60 + minute - offset) * 60 + second) * 1000 + milliseconds
        return not EARLIEST_MS <= instant <= LATEST_MS

    if utc_out_of_range(document.get("time")):
        problems.append(("schema_invalid", "time is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z in UTC"))
    if document.get("type") == "JobPosted" and isinstance(data, dict):
        if utc_out_of_range(data.get("posted_date")):
            problems.append(("schema_invalid", "data.posted_date is outside years 1..9999 in UTC"))
        salary = data.get("salary_range")
        if isinstance(salary, dict):
            low, high = salary.get("min"), salary.get("max")
            numeric = (int, float)
            if isinstance(low, numeric) and isinstance(high, numeric) \
                    and not isinstance(low, bool) and not isinstance(high, bool):
                below = high < low if isinstance(low, int) and isinstance(high, int) else float(high) < float(low)
                if below:
                    problems.append(("schema_invalid", "data.salary_range.max is less than min"))
    return problems


# ------------------------------------------------------------------------------ generated cases

def generated_cases() -> list[tuple[str, str, str, bytes]]:
    """(folder, kind, name, body) for examples too big to commit; kind is "valid", "invalid"
    or "invalid-beyond-schema", name starts with the reason for the invalid kinds.
    SchemaExamplesTests.swift generates the same bodies."""
    def job(**data) -> bytes:
        envelope = {"specversion": "1.0", "id": "evt-generated", "source": "scraper/generated", "type": "JobPosted",
                    "time": "2026-11-24T10:15:00Z",
                    "data": {"external_id": "generated:1", "title": "Generated", "company": "Generated", **data}}
        return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def padded(size: int) -> bytes:
        body = job()
        return body[:-1] + b" " * (size - len(body)) + b"}"

    return [
        ("job-posted", "valid", "description-100000-characters", job(description="é" * 100_000)),
        ("job-posted", "valid", "processed-text-100000-characters-and-keyword-vector-65536-numbers",
         job(ml_features={"processed_text": "p" * 100_000, "keyword_vector": [0.5] * 65_536})),
        ("job-posted", "valid", "body-exactly-1-MiB", padded(MAX_BODY_BYTES)),
        ("job-posted", "invalid", "schema_invalid--description-100001-characters", job(description="é" * 100_001)),
        ("job-posted", "invalid", "schema_invalid--processed-text-100001-characters",
         job(ml_features={"processed_text": "p" * 100_001})),
        ("job-posted", "invalid", "schema_invalid--keyword-vector-65537-numbers",
         job(ml_features={"keyword_vector": [1] * 65_537})),
        ("job-posted", "invalid-beyond-schema", "malformed--body-1-MiB-plus-1-byte", padded(MAX_BODY_BYTES + 1)),
    ]


# ------------------------------------------------------------------------------ checking

def check(folder: str, kind: str, name: str, raw: bytes, validators, envelope_validator, event_validator) -> list[str]:
    """The mismatches for one example (empty if it behaves as its name says)."""
    type_name, _ = TYPE_SCHEMAS[folder]
    type_validator = validators[folder]
    reason = name.split("--", 1)[0] if kind != "valid" else None
    if kind != "valid" and ("--" not in name or reason not in REASONS):
        return [f"name must be <reason>--<what-is-wrong>, reason one of {', '.join(REASONS)}"]
    if kind == "invalid-beyond-schema" and reason == "unknown_type":
        return ["unknown_type is expressible by the schema: move it to invalid/"]

    try:
        document = parse(raw)
    except NotJSON as error:
        if reason == "malformed" and kind == "invalid":
            return []
        return [f"is not JSON ({error}); only invalid/malformed--* examples may be"]

    if kind == "invalid" and reason == "malformed":
        if isinstance(document, dict):
            return ["invalid/malformed--* must not be JSON, or not a JSON object (use invalid-beyond-schema/)"]
        if not schema_errors(type_validator, document):
            return ["the schema accepts a body that is not an object"]
        return []

    mismatches = []
    errors = schema_errors(type_validator, document)
    if kind == "valid":
        mismatches += [f"schema rejects a valid example: {error}" for error in errors]
        mismatches += [f"envelope.schema.json rejects it: {error}" for error in schema_errors(envelope_validator, document)]
        mismatches += [f"event.schema.json rejects it: {error}" for error in schema_errors(event_validator, document)]
        if isinstance(document, dict) and document.get("type") != type_name:
            mismatches.append(f"type is not {type_name}")
        mismatches += [f"breaks a rule beyond the schema: {p}" for _, p in beyond_schema_problems(raw)]
    elif kind == "invalid":
        if not errors:
            mismatches.append(f"the schema accepts an example the worker rejects as {reason}")
        if reason == "unknown_type":
            others = [e for e in schema_errors(envelope_validator, document) if not e.startswith("$.type:")]
            mismatches += [f"unknown_type example has another problem: {error}" for error in others]
        if (extra := beyond_schema_problems(raw)):
            mismatches.append(f"also breaks a rule beyond the schema (wrong in two ways): {extra}")
    else:  # invalid-beyond-schema
        mismatches += [f"the schema must accept invalid-beyond-schema examples: {error}" for error in errors]
        problems = beyond_schema_problems(raw)
        if not problems:
            mismatches.append("breaks no rule beyond the schema (is it valid?)")
        elif {r for r, _ in problems} != {reason}:
            mismatches.append(f"beyond-schema rules give {sorted({r for r, _ in problems})}, the name says {reason}")
    return mismatches


def main(argv: list[str]) -> int:
    verbose = "-v" in argv[1:]
    try:
        registry = load_registry()
    except Exception as error:  # a broken schema file
        print(f"schemas: cannot load the schemas: {error}", file=sys.stderr)
        return 2
    validators = {folder: validator(registry, file) for folder, (_, file) in TYPE_SCHEMAS.items()}
    envelope_validator = validator(registry, "envelope.schema.json")
    event_validator = validator(registry, "event.schema.json")

    cases = []
    for path in sorted(EXAMPLES.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(EXAMPLES)
        parts = relative.parts
        if len(parts) != 3 or parts[0] not in TYPE_SCHEMAS or parts[1] not in ("valid", "invalid", "invalid-beyond-schema") \
                or path.suffix != ".json":
            cases.append((str(relative), ["unexpected file: examples are <type>/<valid|invalid|invalid-beyond-schema>/<name>.json"]))
            continue
        mismatches = check(parts[0], parts[1], path.stem, path.read_bytes(), validators, envelope_validator, event_validator)
        cases.append((str(relative), mismatches))
    for folder, kind, name, raw in generated_cases():
        mismatches = check(folder, kind, name, raw, validators, envelope_validator, event_validator)
        cases.append((f"(generated) {folder}/{kind}/{name}", mismatches))

    failed = [(name, mismatches) for name, mismatches in cases if mismatches]
    for name, mismatches in cases:
        if mismatches:
            for mismatch in mismatches:
                print(f"MISMATCH {name}: {mismatch}")
        elif verbose:
            print(f"ok       {name}")
    print(f"schemas: {len(cases)} examples checked, {len(failed)} mismatches")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
