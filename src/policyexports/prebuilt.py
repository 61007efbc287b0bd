"""The dataset's validator, from a core schema written down once instead of built every run.

For pydantic to build its validator of ``models.Dataset``, it imports its schema machinery
and walks every model, field and annotation: about 70 ms, most of what a first run does
beyond importing Typer and pydantic, where validating the bundled dataset takes 2 ms. What
it builds is a core schema: plain data that pydantic-core turns into a validator in under a
millisecond. ``data/core-schema.json`` is that schema, as pydantic built it, in JSON:

- classes, enum members and functions as ``{"$py": "module:qualified.name"}`` (found again
  only in this package's modules);
- tuples as ``{"$tuple": [...]}``;
- references between its parts named without the ``:`` and number (an object's id) that
  pydantic adds, which differ from run to run;
- without the ``metadata`` only JSON Schema reads.

It is used only under the pydantic and pydantic-core versions it was written with, and only
while each model has the fields it lists; otherwise pydantic builds the validator as before.
A test keeps it equal to the schema pydantic builds now. After changing a model (in
``models.py``, ``claims.py``, ``basetypes.py`` or ``quantities.py``) or upgrading pydantic,
write it again with ``python -m policyexports.prebuilt``.
"""

from __future__ import annotations

import enum
import os
import re
import sys
from typing import TYPE_CHECKING, Any, cast

from policyexports.cache import CORE_SCHEMA

if TYPE_CHECKING:
    from policyexports.models import Dataset

_PY, _TUPLE = "$py", "$tuple"
FILE = CORE_SCHEMA
JSON_SCHEMA_FILE = "json-schema.json"
_PACKAGE = "policyexports"
_REF_KEYS = {"ref", "schema_ref"}
_VALIDATORS: list[Any] = []


def validate_dataset(data: object) -> Dataset:
    """``data`` (parsed JSON) as a ``Dataset``; raises pydantic's ``ValidationError``."""
    if not _VALIDATORS:
        _VALIDATORS.append(_validator())
    return cast("Dataset", _VALIDATORS[0].validate_python(data))


def _validator() -> Any:
    from pydantic_core import SchemaValidator

    schema = prebuilt_schema()
    if schema is not None:
        try:
            return SchemaValidator(schema)
        except Exception:  # why: a file pydantic-core refuses; pydantic builds it anew
            pass
    from policyexports.basetypes import adapter
    from policyexports.models import Dataset

    return adapter(Dataset).validator


def dumped(field: str, item: object) -> Any:
    """An item of the dataset's ``field`` ("figures", say) as the dataset's JSON writes it,
    without its empty fields: ``adapter(type(item)).dump_python(item, mode="json",
    exclude_none=True)``. why: building that adapter for a figure took 80 ms, most of
    ``explain``'s time, for a serialiser the core schema already has."""
    return _item(field, type(item))[1].to_python(item, mode="json", exclude_none=True)


def item_validator(field: str, kind: Any) -> Any:
    """The validator of one item of the dataset's ``field`` (``"source"``: of its value), of
    type ``kind``: what ``adapter(kind).validator`` is, without building it (80 ms)."""
    return _item(field, kind)[0]


_ITEMS: dict[str, tuple[Any, Any]] = {}


def _item(field: str, kind: Any) -> tuple[Any, Any]:
    """pydantic-core's validator and serialiser of one item of ``field``, made from its part
    of the core schema; pydantic's adapter's of ``kind`` when the core schema cannot be used."""
    found = _ITEMS.get(field)
    if found is None:
        found = _ITEMS[field] = _from_part(field) or _built(kind)
    return found


def _from_part(field: str) -> tuple[Any, Any] | None:
    from pydantic_core import SchemaSerializer, SchemaValidator

    schema = prebuilt_schema()
    try:
        part = _item_schema(schema["schema"], field)
        whole = {"type": "definitions", "schema": part, "definitions": schema["definitions"]}
        return SchemaValidator(whole), SchemaSerializer(whole)
    except Exception:  # why: no core schema, or not of the shape known here: build it anew
        return None


def _item_schema(dataset: dict[str, Any], field: str) -> dict[str, Any]:
    """The schema of one item of the dataset's field ``field``, in the dataset's schema.
    Raises ``LookupError`` (or ``TypeError``) where pydantic lays it out otherwise."""
    if dataset["type"] != "dataclass" or dataset["schema"]["type"] != "dataclass-args":
        raise LookupError("not the dataset's schema")
    (node,) = (item["schema"] for item in dataset["schema"]["fields"] if item["name"] == field)
    if node["type"] == "default":
        node = node["schema"]
    if node["type"] == "tuple":  # why: a field of many items, tuple[X, ...]
        (node,) = node["items_schema"]
    return cast("dict[str, Any]", node)


def _built(kind: Any) -> tuple[Any, Any]:
    from policyexports.basetypes import adapter

    built = adapter(kind)
    return built.validator, built.serializer


def versions() -> dict[str, str]:
    """The versions the core schema depends on: pydantic's, which builds it, and
    pydantic-core's, which reads it."""
    import pydantic_core

    return {"pydantic": pydantic_version(), "pydantic-core": pydantic_core.__version__}


_VERSION_LINE = re.compile(r"^VERSION = '([^'\\\n]+)'$", re.MULTILINE)


def pydantic_version() -> str:
    """``pydantic.VERSION``, read where pydantic writes it, in its ``version.py``.

    why: ``import pydantic`` takes about 7 ms, as long as the rest of a run from the cache,
    and nothing else in a run needs it (the validator is pydantic-core's). The file read is
    the one an import would run: ``find_spec`` looks where ``import`` looks. When pydantic
    is imported already, or the file has no one line ``VERSION = '...'``, it is imported.
    """
    if "pydantic" not in sys.modules:
        found = _VERSION_LINE.findall(_version_file())
        if len(found) == 1:
            return str(found[0])
    import pydantic

    return pydantic.VERSION


def _version_file() -> str:
    """The text of pydantic's ``version.py``, or ``""`` if it cannot be found or read."""
    from importlib.util import find_spec

    try:
        spec = find_spec("pydantic")
        if spec is None or spec.origin is None:
            return ""
        with open(os.path.join(os.path.dirname(spec.origin), "version.py"), "rb") as handle:
            return handle.read().decode()
    except (ImportError, ValueError, OSError):  # why: UnicodeDecodeError is a ValueError
        return ""


def prebuilt_schema() -> Any:
    """The core schema in ``data/core-schema.json``, or ``None`` when it was written under
    other versions of pydantic, lists other fields than a model has, or cannot be read."""
    from policyexports.jsontext import loads
    from policyexports.loading import _bundled_file

    try:
        # why: decoded as it is parsed, each object once, not walked again after
        document = loads(_bundled_file(FILE).decode(), object_hook=_decoded_object)
        if document["versions"] != versions():
            return None
        return document["schema"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # why: the validator pydantic builds is the same, only slower to build


def document() -> dict[str, Any]:
    """What ``data/core-schema.json`` holds: the core schema pydantic builds now, and the
    versions it was built with."""
    from policyexports.basetypes import adapter
    from policyexports.models import Dataset

    schema = _encoded(adapter(Dataset).core_schema)
    refs = [ref for ref in _refs(schema) if ref]
    if len(set(refs)) != len(refs):
        raise ValueError(f"two parts of the core schema share a name: {sorted(refs)}")
    return {"versions": versions(), "schema": schema}


def _refs(node: Any) -> list[str]:
    """The names the schema's parts are defined under."""
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    if isinstance(node, dict):
        return [node.get("ref", "")] + [ref for item in node.values() for ref in _refs(item)]
    return []


def _decoded_object(node: dict[str, Any]) -> Any:
    """One JSON object of the file as the schema holds it (its contents already are)."""
    if len(node) == 1 and _PY in node:
        return _named(node[_PY])
    if len(node) == 1 and _TUPLE in node:
        return tuple(node[_TUPLE])
    if node.get("type") == "dataclass" and node["fields"] != list(node["cls"].__field_names__):
        # why: a model changed since the file was written (the test that says so not yet run)
        raise ValueError(f"the core schema is stale for {node['cls'].__name__}")
    return node


def _named(name: str) -> Any:
    module, _, qualified = name.partition(":")
    if module.partition(".")[0] != _PACKAGE or not qualified:
        raise ValueError(f"{name!r} is not a name in this package")
    __import__(module)
    found: Any = sys.modules[module]
    for part in qualified.split("."):
        found = getattr(found, part)
    return found


def _encoded(node: Any) -> Any:
    if isinstance(node, dict):
        if _PY in node or _TUPLE in node:
            raise ValueError(f"a key of the core schema is {_PY!r} or {_TUPLE!r}")
        return {
            key: _stable(item) if key in _REF_KEYS else _encoded(item)
            for key, item in node.items()
            if key != "metadata"
        }
    if isinstance(node, list):
        return [_encoded(item) for item in node]
    if isinstance(node, tuple):
        return {_TUPLE: [_encoded(item) for item in node]}
    if isinstance(node, enum.Enum):  # why: before str, which a StrEnum's members also are
        kind = type(node)
        return _name(node, f"{kind.__module__}:{kind.__qualname__}.{node.name}")
    if node is None or isinstance(node, bool | int | str):
        return node
    if isinstance(node, type) or callable(node):
        return _name(node, f"{node.__module__}:{node.__qualname__}")
    raise TypeError(f"cannot write {node!r} in the core schema")


def _stable(ref: str) -> str:
    """``ref`` without the object id pydantic appends (``module.Class:140231``)."""
    name, _, number = ref.rpartition(":")
    return name if name and number.isdigit() else ref


def _name(node: Any, name: str) -> dict[str, str]:
    if _named(name) is not node:
        raise ValueError(f"{name!r} does not name {node!r}")
    return {_PY: name}


def json_schema_document() -> dict[str, Any]:
    """What ``data/json-schema.json`` holds: the JSON Schema pydantic makes of a dataset now,
    and the versions it was made with."""
    from policyexports.basetypes import adapter
    from policyexports.models import Dataset

    return {"versions": versions(), "schema": adapter(Dataset).json_schema(mode="validation")}


def prebuilt_json_schema() -> dict[str, Any] | None:
    """The JSON Schema in ``data/json-schema.json``, or ``None`` when it was written under
    other versions of pydantic, with the core schema stale, or cannot be read.

    why: pydantic makes it in about 100 ms, most of them building its adapter of a dataset;
    ``policyexports schema`` took 1.7 times as long as importing Typer, pydantic and rich.
    Both files are written together, so the core schema's check of every model's fields
    stands for this one too.
    """
    from policyexports.jsontext import loads
    from policyexports.loading import _bundled_file

    try:
        document = loads(_bundled_file(JSON_SCHEMA_FILE).decode())
        if document["versions"] != versions() or prebuilt_schema() is None:
            return None
        schema = document["schema"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return schema if isinstance(schema, dict) else None


def write() -> None:
    """Write ``data/core-schema.json`` and ``data/json-schema.json`` from what pydantic
    builds now."""
    import json
    from pathlib import Path

    for name, made in ((FILE, document()), (JSON_SCHEMA_FILE, json_schema_document())):
        path = Path(__file__).parent / "data" / name
        path.write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.name}")


if __name__ == "__main__":
    from policyexports.prebuilt import write as write_as_imported  # why: not __main__'s copy

    write_as_imported()
