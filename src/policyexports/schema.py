"""The dataset format as JSON Schema, for people who write datasets of their own."""

from __future__ import annotations

from typing import Any

from policyexports import __version__
from policyexports.prebuilt import prebuilt_json_schema

SCHEMA_ID = "https://policyexports.invalid/schema/dataset-1.json"


def dataset_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of a dataset file, in the form the loader accepts: as pydantic
    makes it, written down once (``prebuilt.py``), and titled with this version."""
    schema = prebuilt_json_schema() or made_by_pydantic()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"policyexports dataset (format 1, policyexports {__version__})",
        **{key: item for key, item in schema.items() if key != "title"},
    }


def made_by_pydantic() -> dict[str, Any]:
    """The JSON Schema pydantic makes of a dataset, with what the loader accepts besides."""
    from policyexports.basetypes import adapter
    from policyexports.models import Dataset

    schema: dict[str, Any] = adapter(Dataset).json_schema(mode="validation")
    # why: the loader also accepts a figure's value as written by hand ("KRW 644.5 billion")
    figure = schema["$defs"]["Figure"]["properties"]
    written = {
        "type": "string",
        "description": "The figure as the article writes it, e.g. 'KRW 644.5 billion'",
    }
    figure["value"] = {
        "anyOf": [{"$ref": "#/$defs/Quantity"}, written],
        **{key: item for key, item in figure["value"].items() if key == "description"},
    }
    return schema
