"""The prebuilt core schema and JSON Schema: the ones pydantic builds, used only under the
versions (and modules) they were written with, and validating, serialising and printing
exactly as pydantic's own validators, serialisers and JSON Schema do."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from pydantic_core import SchemaValidator, ValidationError

from builders import bundled_json
from policyexports import loading, prebuilt
from policyexports.basetypes import adapter
from policyexports.models import Dataset, Figure
from policyexports.schema import dataset_schema


def _written() -> dict[str, Any]:
    text = resources.files("policyexports").joinpath("data", prebuilt.FILE).read_text("utf-8")
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


def test_the_written_schema_is_the_one_pydantic_builds_now() -> None:
    # why: a model changed without writing the file again would be validated by the old one
    assert _written()["schema"] == prebuilt.document()["schema"], (
        "data/core-schema.json is stale: run python -m policyexports.prebuilt"
    )


def _written_json_schema() -> dict[str, Any]:
    text = resources.files("policyexports").joinpath("data", prebuilt.JSON_SCHEMA_FILE)
    document = json.loads(text.read_text("utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_written_json_schema_is_the_one_pydantic_makes_now() -> None:
    # why: its descriptions are the models' docstrings; a changed one must be written again
    made = prebuilt.json_schema_document()
    written = _written_json_schema()
    assert (written["schema"], written["modules"]) == (made["schema"], made["modules"]), (
        "data/json-schema.json is stale: run python -m policyexports.prebuilt"
    )


def _usable_json_schema() -> None:
    if _written_json_schema()["versions"] != prebuilt.versions():
        pytest.skip("written under other versions: run python -m policyexports.prebuilt")
    assert prebuilt.prebuilt_json_schema() is not None


def test_the_schema_command_prints_the_same_made_by_pydantic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _usable_json_schema()
    printed = dataset_schema()
    monkeypatch.setattr(loading, "_bundled_file", lambda name: b"not json")
    assert prebuilt.prebuilt_json_schema() is None
    assert dataset_schema() == printed


@pytest.mark.parametrize(
    "stale",
    [
        ("versions", lambda: {"pydantic": "0", "pydantic-core": "0"}),
        ("modules_digest", lambda: "0" * 64),  # a docstring changed since it was written
        ("modules_digest", lambda: None),  # the modules cannot be read
    ],
)
def test_the_json_schema_is_not_used_when_stale(
    monkeypatch: pytest.MonkeyPatch, stale: tuple[str, Callable[[], object]]
) -> None:
    _usable_json_schema()
    monkeypatch.setattr(prebuilt, *stale)
    assert prebuilt.prebuilt_json_schema() is None


def test_a_json_schema_without_its_digest_is_not_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prebuilt, "_written", lambda name: {"schema": {"type": "object"}})
    monkeypatch.setattr(prebuilt, "modules_digest", lambda: None)
    assert prebuilt.prebuilt_json_schema() is None


def test_every_module_the_schemas_name_is_digested() -> None:
    named = {
        name.partition(":")[0]
        for name in re.findall(r'"\$py": "([^"]+)"', json.dumps(prebuilt.document()))
    }
    assert named
    assert {f"{module.rpartition('.')[2]}.py" for module in named} <= set(prebuilt.MODEL_MODULES)


def test_the_dataset_is_validated_by_the_written_schema() -> None:
    _usable()
    prebuilt._MADE.clear()
    assert isinstance(prebuilt._made("validator", None), SchemaValidator)
    assert prebuilt._made("validator", None) is not adapter(Dataset).validator


@pytest.mark.parametrize(
    "schema", [None, {"type": "no such type"}], ids=["other versions", "refused"]
)
def test_else_pydantic_builds_the_validators(
    monkeypatch: pytest.MonkeyPatch, schema: object
) -> None:
    monkeypatch.setattr(prebuilt, "_CORE", [schema])
    monkeypatch.setattr(prebuilt, "_MADE", {})
    assert prebuilt._made("validator", None) is adapter(Dataset).validator
    assert prebuilt.item_validator("figures") is adapter(Figure).validator
    figure = loading.load(None).dataset.figures[0]
    wanted = adapter(Figure).dump_python(figure, mode="json", exclude_none=True)
    assert prebuilt.dumped("figures", figure) == wanted


def test_under_other_versions_the_written_schema_is_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prebuilt, "versions", lambda: {"pydantic": "0", "pydantic-core": "0"})
    assert prebuilt.prebuilt_schema() is None


def _usable() -> Any:
    if _written()["versions"] != prebuilt.versions():
        pytest.skip("written under other versions: run python -m policyexports.prebuilt")
    schema = prebuilt.prebuilt_schema()
    assert schema is not None
    return schema


def test_a_model_with_other_fields_than_the_file_lists_is_not_validated_by_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _usable()
    text = json.dumps(_written()).replace('"format_version",', "", 1)
    monkeypatch.setattr(loading, "_bundled_file", lambda name: text.encode())
    assert prebuilt.prebuilt_schema() is None


def test_decoding_finds_the_same_objects_again() -> None:
    schema = _usable()
    assert schema["schema"]["cls"] is Dataset
    assert schema.keys() == adapter(Dataset).core_schema.keys() - {"metadata"}


@pytest.mark.parametrize(
    "name",
    ["os:system", "builtins:eval", "policyexports", "policyexports.models:", "policyexport:x"],
)
def test_only_names_in_this_package_are_found(name: str) -> None:
    with pytest.raises(ValueError, match="not a name in this package"):
        prebuilt._named(name)


def test_a_core_schema_with_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot write"):
        prebuilt._encoded({"type": "float", "default": 1.5})
    with pytest.raises(ValueError, match="'\\$py'"):
        prebuilt._encoded({"$py": "policyexports.models:Dataset"})
    plain = {"a": (1, [None, True]), "b": Dataset}
    written = json.dumps(prebuilt._encoded(plain))
    assert json.loads(written, object_hook=prebuilt._decoded_object) == plain


def _outcome(validator: Any, data: object) -> Any:
    try:
        return validator.validate_python(data)
    except ValidationError as error:
        return json.loads(error.json(include_url=False))  # why: ctx holds exceptions


def _broken() -> list[object]:
    cases: list[object] = [None, [], {}, bundled_json()]
    changes: list[Callable[[Any], object]] = [
        lambda data: data.update(extra=1),
        lambda data: data["figures"][0].update(kind="profit"),
        lambda data: data["figures"][0].update(value="KRW lots"),
        lambda data: data["figures"][1].pop("quote"),
        lambda data: data["claims"][0].update(type="guess"),
        lambda data: data["claims"][2].update(parts=[]),
        lambda data: data["countries"][0].update(code="Korea"),
        lambda data: data["source"].update(sha256=7),
    ]
    for change in changes:
        data = bundled_json()
        change(data)
        cases.append(data)
    return cases


@pytest.mark.parametrize("data", _broken())
def test_it_validates_as_pydantics_own_validator_does(data: object) -> None:
    schema = _usable()
    assert _outcome(SchemaValidator(schema), data) == _outcome(adapter(Dataset).validator, data)


_FIELDS = ("source", "countries", "cities", "organizations", "sectors", "figures", "claims")


def test_an_item_is_dumped_as_pydantic_dumps_it() -> None:
    _usable()
    dataset = loading.load(None).dataset
    for field in _FIELDS:
        kind = prebuilt.item_type(field)
        assert prebuilt._from_core_schema("serializer", field) is not None
        value = getattr(dataset, field)
        for item in value if isinstance(value, tuple) else [value]:
            wanted = adapter(kind).dump_python(item, mode="json", exclude_none=True)
            assert prebuilt.dumped(field, item) == wanted, item


_CHANGES: list[tuple[str, Callable[[Any], object]]] = [
    ("figures", lambda item: {**item, "kind": "profit"}),
    ("figures", lambda item: {**item, "value": "KRW lots"}),
    ("figures", lambda item: {key: v for key, v in item.items() if key != "quote"}),
    ("claims", lambda item: {**item, "type": "guess"}),
    ("claims", lambda item: {**item, "parts": []}),
    ("countries", lambda item: {**item, "code": "Korea"}),
    ("cities", lambda item: {**item, "extra": 1}),
    ("source", lambda item: {**item, "sha256": 7}),
    ("source", lambda item: None),
]


@pytest.mark.parametrize(
    ("field", "change"), [(field, lambda item: item) for field in _FIELDS] + _CHANGES
)
def test_an_item_is_validated_as_pydantic_validates_it(
    field: str, change: Callable[[Any], object]
) -> None:
    _usable()
    value = bundled_json()[field]
    kind = prebuilt.item_type(field)
    assert prebuilt._from_core_schema("validator", field) is not None
    for item in value if isinstance(value, list) else [value]:
        data = change(item)
        wanted = _outcome(adapter(kind).validator, data)
        assert _outcome(prebuilt.item_validator(field), data) == wanted


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "int"},
        {"type": "dataclass", "schema": {"type": "dataclass-args", "fields": []}},
    ],
)
def test_a_schema_of_another_shape_has_no_items(schema: dict[str, Any]) -> None:
    with pytest.raises((LookupError, ValueError)):
        prebuilt._item_schema(schema, "figures")


def _in_a_fresh_process(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_pydantics_version_is_read_without_importing_it() -> None:
    # why: importing pydantic took about 7 ms of every run, and nothing else needs it
    out = _in_a_fresh_process(
        "import sys\n"
        "from policyexports.prebuilt import pydantic_version\n"
        "read = pydantic_version()\n"
        "print('pydantic' in sys.modules)\n"
        "import pydantic\n"
        "print(read == pydantic.VERSION, pydantic_version() == pydantic.VERSION)\n"
    )
    assert out == ["False", "True", "True"]


@pytest.mark.parametrize(
    "text", ["", "VERSION = '1'\nVERSION = '2'\n", "VERSION = make()\n", "VERSION = '2'  # why\n"]
)
def test_pydantic_is_imported_for_its_version_when_the_file_does_not_say(text: str) -> None:
    out = _in_a_fresh_process(
        "import sys\n"
        "from policyexports import prebuilt\n"
        f"prebuilt._version_file = lambda: {text!r}\n"
        "read = prebuilt.pydantic_version()\n"
        "import pydantic\n"
        "print('pydantic' in sys.modules, read == pydantic.VERSION)\n"
    )
    assert out == ["True", "True"]


def test_the_version_file_found_is_pydantics() -> None:
    import pydantic

    assert prebuilt._VERSION_LINE.findall(prebuilt._version_file()) == [pydantic.VERSION]
