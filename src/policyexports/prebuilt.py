"""The dataset's validators and serialisers, and its JSON Schema, from what pydantic builds,
written down once instead of built every run.

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
Its parts give the validator of one item of a field (to report every problem of an invalid
dataset) and its serialiser (``explain``'s figure), as pydantic's adapter of that item's
type would. ``data/json-schema.json`` is the JSON Schema pydantic makes of a dataset, as
``policyexports schema`` prints it; its descriptions are the models' docstrings, which the
core schema does not keep, so it is used only while the modules it was made from
(``MODEL_MODULES``) are byte for byte the same, and under the same versions.

Tests keep both equal to what pydantic builds now. After changing a model (in
``models.py``, ``claims.py``, ``basetypes.py`` or ``quantities.py``) or upgrading pydantic,
write them again with ``python -m policyexports.prebuilt``.
"""

from __future__ import annotations

import enum
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from policyexports.cache import CORE_SCHEMA

if TYPE_CHECKING:
    from policyexports.models import Dataset

_PY, _TUPLE = "$py", "$tuple"
FILE = CORE_SCHEMA
JSON_SCHEMA_FILE = "json-schema.json"
MODEL_MODULES = ("basetypes.py", "claims.py", "models.py", "quantities.py")
_PACKAGE = "policyexports"
_REF_KEYS = {"ref", "schema_ref"}
_VALIDATOR, _SERIALIZER = "validator", "serializer"
_MADE: dict[tuple[str, str | None], Any] = {}  # why: each made once a run, when first needed
_CORE: list[Any] = []  # the core schema, read once a run


def validate_dataset(data: object) -> Dataset:
    """``data`` (parsed JSON) as a ``Dataset``; raises pydantic's ``ValidationError``."""
    return cast("Dataset", _made(_VALIDATOR, None).validate_python(data))


def item_validator(field: str) -> Any:
    """The validator of one item of the dataset's ``field`` ("figures"; "source": of its
    value): what ``adapter(item_type(field)).validator`` is, without building that (80 ms)."""
    return _made(_VALIDATOR, field)


def dumped(field: str, item: object) -> Any:
    """An item of the dataset's ``field`` as the dataset's JSON writes it, without its empty
    fields: ``adapter(item_type(field)).dump_python(item, mode="json", exclude_none=True)``.
    why: building that adapter for a figure took 80 ms, most of ``explain``'s time."""
    return _made(_SERIALIZER, field).to_python(item, mode="json", exclude_none=True)


def item_type(field: str | None) -> Any:
    """The type of one item of the dataset's ``field``; of the dataset for ``None``."""
    from policyexports.claims import Claim
    from policyexports.models import City, Country, Dataset, Figure, Organization, Sector, Source

    if field is None:
        return Dataset
    return {
        "source": Source,
        "countries": Country,
        "cities": City,
        "organizations": Organization,
        "sectors": Sector,
        "figures": Figure,
        "claims": Claim,
    }[field]


def _made(what: str, field: str | None) -> Any:
    """pydantic-core's validator or serialiser of the dataset (``None``) or of one item of a
    field: from the core schema, or pydantic's adapter's when that cannot be used."""
    key = (what, field)
    found = _MADE.get(key)
    if found is None:
        found = _MADE[key] = _from_core_schema(what, field) or _from_adapter(what, field)
    return found


def _from_core_schema(what: str, field: str | None) -> Any:
    from pydantic_core import SchemaSerializer, SchemaValidator

    if not _CORE:
        _CORE.append(prebuilt_schema())
    schema = _CORE[0]
    if schema is None:
        return None
    try:
        if field is not None:
            part = _item_schema(schema["schema"], field)
            schema = {"type": "definitions", "schema": part, "definitions": schema["definitions"]}
        return SchemaValidator(schema) if what == _VALIDATOR else SchemaSerializer(schema)
    except Exception:  # why: a schema of another shape, or one pydantic-core refuses
        return None


def _from_adapter(what: str, field: str | None) -> Any:
    from policyexports.basetypes import adapter

    built = adapter(item_type(field))
    return built.validator if what == _VALIDATOR else built.serializer


def _item_schema(dataset: dict[str, Any], field: str) -> dict[str, Any]:
    """The schema of one item of the dataset's field ``field``, in the dataset's schema.
    Raises ``LookupError`` or ``ValueError`` where pydantic lays it out otherwise."""
    if dataset["type"] != "dataclass" or dataset["schema"]["type"] != "dataclass-args":
        raise LookupError("not the dataset's schema")
    (node,) = (item["schema"] for item in dataset["schema"]["fields"] if item["name"] == field)
    if node["type"] == "default":
        node = node["schema"]
    if node["type"] == "tuple":  # why: a field of many items, tuple[X, ...]
        (node,) = node["items_schema"]
    return cast("dict[str, Any]", node)


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
    # why: decoded as it is parsed, each object once, not walked again after
    document = _written(FILE, object_hook=_decoded_object)
    return None if document is None else document.get("schema")


def _written(name: str, **options: Any) -> dict[str, Any] | None:
    """The document in ``data/name`` if it was written under the versions used now."""
    from policyexports.jsontext import loads
    from policyexports.loading import _bundled_file

    try:
        document = loads(_bundled_file(name).decode(), **options)
        return document if document["versions"] == versions() else None
    except (OSError, ValueError, LookupError, TypeError, AttributeError, ImportError):
        return None  # why: what pydantic builds is the same, only slower to build


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
    """What ``data/json-schema.json`` holds: the JSON Schema of a dataset as ``policyexports
    schema`` prints it (but its title), the versions and the modules it was made from."""
    from policyexports.schema import made_by_pydantic

    return {"versions": versions(), "modules": modules_digest(), "schema": made_by_pydantic()}


def prebuilt_json_schema() -> dict[str, Any] | None:
    """The JSON Schema in ``data/json-schema.json``, or ``None`` when it was made under other
    versions or from other modules, or cannot be read.

    why: pydantic makes it in about 100 ms, most of them building its adapter of a dataset;
    ``policyexports schema`` took 1.7 times as long as importing Typer, pydantic and rich.
    """
    document, modules = _written(JSON_SCHEMA_FILE), modules_digest()
    if document is None or modules is None or document.get("modules") != modules:
        return None
    schema = document.get("schema")
    return schema if isinstance(schema, dict) else None


def modules_digest() -> str | None:
    """A digest of the text of ``MODEL_MODULES``, or ``None`` if one cannot be read."""
    from policyexports.cache import digest

    try:
        texts = [(Path(__file__).parent / name).read_bytes() for name in MODEL_MODULES]
    except OSError:  # why: not installed as files; pydantic makes the schema instead
        return None
    return digest(b"\0".join(texts).decode("utf-8", "replace")).hex()


def write() -> None:
    """Write ``data/core-schema.json`` and ``data/json-schema.json`` from what pydantic
    builds now."""
    import json

    for name, made in ((FILE, document()), (JSON_SCHEMA_FILE, json_schema_document())):
        path = Path(__file__).parent / "data" / name
        path.write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.name}")


if __name__ == "__main__":
    from policyexports.prebuilt import write as write_as_imported  # why: not __main__'s copy

    write_as_imported()
