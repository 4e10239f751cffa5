"""The JSON Schema of a story record (`storygen schema`), read off the record layout."""

from __future__ import annotations

from typing import Any

from ..model.record import RECORD, RECORD_VERSION, Field


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    """An object with exactly these fields, every one required."""
    properties = {field.name: _value(field) for field in fields}
    return {"type": "object", "properties": properties, "required": sorted(properties), "additionalProperties": False}


def _value(field: Field) -> dict[str, Any]:
    """The schema of one field's value: its own schema, with its objects' fields if it has them."""
    schema = dict(field.schema)
    if field.fields:
        objects = _object(field.fields)
        schema.update({"items": objects} if schema.get("type") == "array" else objects)
    if field.description:
        schema["description"] = field.description
    return schema


def record_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one JSONL / JSON record."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://storygen.invalid/schema/record-{RECORD_VERSION}.json",
        "title": "storygen story record",
        "description": "One generated story with gold annotations; every span indexes `text` (text[start:end]).",
        **_object(RECORD),
    }
