"""Field types and the base model shared by the dataset's models and its claims."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Frozen(BaseModel):
    """Base of every model: immutable, unknown keys rejected.

    Not ``strict=True``: the loader hands over parsed JSON (lists, enum strings), which strict
    Python-mode validation would refuse; integers are ``StrictInt`` and strings never coerce.
    """

    # why: the schema is built when first needed, so a run served from the cache (cache.py)
    # never builds it
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
