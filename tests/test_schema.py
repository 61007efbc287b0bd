"""The printed JSON Schema accepts the bundled dataset and rejects broken ones (jsonschema)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from builders import bundled_text
from policyexports.cli import app


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_the_bundled_dataset(validator: jsonschema.Draft202012Validator) -> None:
    assert list(validator.iter_errors(json.loads(bundled_text()))) == []


def test_schema_accepts_values_written_by_hand(validator: jsonschema.Draft202012Validator) -> None:
    data = json.loads(bundled_text())
    for item in data["figures"]:
        item["value"] = item["value"]["written"]
    assert list(validator.iter_errors(data)) == []


def _drop_figures(data: dict[str, Any]) -> None:
    del data["figures"]


def _unknown_key(data: dict[str, Any]) -> None:
    data["figures"][0]["colour"] = "red"


def _bad_kind(data: dict[str, Any]) -> None:
    data["figures"][0]["kind"] = "profit"


def _bad_claim_type(data: dict[str, Any]) -> None:
    data["claims"][0]["type"] = "vibes"


def _bad_number(data: dict[str, Any]) -> None:
    data["figures"][0]["value"]["value"] = "lots"


def _bad_country_code(data: dict[str, Any]) -> None:
    data["countries"][0]["code"] = "Colombia"


def _bad_id(data: dict[str, Any]) -> None:
    data["figures"][0]["id"] = "Has Spaces"


def _empty_readings(data: dict[str, Any]) -> None:
    data["claims"][1]["readings"] = []


@pytest.mark.parametrize(
    "breaks",
    [
        _drop_figures,
        _unknown_key,
        _bad_kind,
        _bad_claim_type,
        _bad_number,
        _bad_country_code,
        _bad_id,
        _empty_readings,
    ],
)
def test_schema_rejects_broken_variants(
    validator: jsonschema.Draft202012Validator, breaks: Callable[[dict[str, Any]], None]
) -> None:
    data = json.loads(bundled_text())
    breaks(data)
    assert list(validator.iter_errors(data)) != []
