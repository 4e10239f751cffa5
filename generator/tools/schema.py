"""The JSON Schema of a story record (`storygen schema`)."""

from __future__ import annotations

from typing import Any

_SPAN = {"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}}
_LABELS = ["PERSON", "PRONOUN", "AGE", "GPE", "LOC", "NORP", "FAC", "INSTRUMENT", "GENRE", "WORK_OF_ART", "EVENT"]


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": sorted(properties),
            "additionalProperties": False, **extra}


def record_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one JSONL / JSON record."""
    string_map = {"type": "object", "additionalProperties": {"type": "string"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://storygen.invalid/schema/record-1.json",
        "title": "storygen story record",
        "description": "One generated story with gold annotations; every span indexes `text` (text[start:end]).",
        **_object({
            "id": {"type": "string", "pattern": "^[0-9]+-[0-9]+$", "description": "'<seed>-<index>'"},
            "seed": {"type": "integer", "minimum": 0},
            "index": {"type": "integer", "minimum": 0},
            "text": {"type": "string", "minLength": 1},
            "pronouns": {"enum": ["he", "she", "they"]},
            "arc": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "cast": {"type": "object", "additionalProperties": string_map},
            "slots": string_map,
            "entities": {"type": "array", "items": _object({
                **_SPAN,
                "label": {"enum": _LABELS},
                "slot": {"type": "string"},
                "entity": {"type": "string", "description": "shared by every mention of one entity, pronouns included"},
            })},
            "sentences": {"type": "array", "minItems": 1, "items": _object({
                **_SPAN,
                "phase": {"type": "string"},
                "template": {"type": "string", "description": "id of the sentence template"},
                "source": {"type": "string", "description": "seed file the template was learned from"},
            })},
            "phases": {"type": "array", "minItems": 1, "items": _object({**_SPAN, "phase": {"type": "string"}})},
            "meta": _object({
                "engine": {"type": "string"},
                "record_version": {"const": 1},
                "grammar": {"type": "string"},
                "grammar_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "culture": {"type": "string"},
            }),
        }),
    }
