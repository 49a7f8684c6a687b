"""The check decorator and the explicit list of checks.

A check is a small function `fn(ctx) -> Iterable[Raw]` in its factor's module, declared with a
stable id (never renamed: scan history and fingerprints depend on it). Its docstring is the
user-facing documentation: what it looks for, why it matters, how to fix it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .context import Context, Raw
from .model import FACTOR_BY_NUMBER, CheckSpec

CheckFn = Callable[[Context], Iterable[Raw]]


@dataclass(frozen=True)
class Check:
    spec: CheckSpec
    fn: CheckFn


_REGISTRY: dict[str, Check] = {}


def check(
    id: str, *, factor: int, title: str, remediation: str, repository_wide: bool = False
) -> Callable[[CheckFn], CheckFn]:
    """Declare a check. The id is `<factor id>.<name>` and must be unique."""
    prefix = FACTOR_BY_NUMBER[factor].id + "."
    if not id.startswith(prefix):
        raise ValueError(f"check {id!r} of factor {factor} must start with {prefix!r}")

    def register(fn: CheckFn) -> CheckFn:
        if id in _REGISTRY:
            raise ValueError(f"duplicate check id {id!r}")
        doc = inspect.cleandoc(fn.__doc__ or "")
        if not doc:
            raise ValueError(f"check {id!r} needs a docstring: it is the user-facing documentation")
        _REGISTRY[id] = Check(CheckSpec(id, factor, title, remediation, doc, repository_wide), fn)
        return fn

    return register


def registered() -> list[Check]:
    """Every registered check in factor order; `scoring.factors` imports the factor modules."""
    return sorted(_REGISTRY.values(), key=lambda c: (c.spec.factor, c.spec.id))
