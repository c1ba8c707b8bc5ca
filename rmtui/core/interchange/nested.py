"""Records a book file holds inside others: a household's members, in its `members` list.

The book keeps them as rows of their own (`household_members`); the file writes each under
its household as `{"client", "role"}`, as PRODUCT.md's format has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rmtui.core.interchange.schema import Problem


@dataclass(frozen=True)
class Nested:
    """Records of `entity` written inside records of `parent`, in the list `key`; `link` is
    the field of each that names its parent."""

    entity: str
    parent: str
    key: str
    link: str


NESTED = {"household_members": Nested("household_members", "households", "members", "household")}
"""The entities a book file holds inside another, by entity."""
NESTED_IN = {nested.parent: nested for nested in NESTED.values()}


def with_nested(
    nested: Nested, parents: Iterable[dict[str, Any]], children: Iterable[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """`parents` (by id) each with its `children` (by parent, then id) in its list, less the
    fields the file leaves out (their own id and the parent's)."""
    pending = iter(children)
    child = next(pending, None)
    for parent in parents:
        inside: list[dict[str, Any]] = []
        while child is not None and child[nested.link] <= parent["id"]:
            if child[nested.link] == parent["id"]:
                inside.append(_inner(nested, child))
            child = next(pending, None)
        yield {**parent, nested.key: inside}


def _inner(nested: Nested, child: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in child.items() if name not in ("id", nested.link)}


def unnested(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """`data` with every nested list taken out of its parents into records of its own."""
    flat = dict(data)
    problems: list[Problem] = []
    for nested in NESTED.values():
        if nested.entity in data:
            message = f"is not part of the rmtui-book format: list them in {nested.parent}"
            problems.append(Problem(nested.entity, "", "", message))
        parents = data.get(nested.parent)
        if not isinstance(parents, list):
            continue
        children: list[dict[str, Any]] = []
        flat[nested.parent] = [
            _taken_apart(nested, parent, position, children, problems)
            for position, parent in enumerate(parents, 1)
        ]
        flat[nested.entity] = children
    return flat, problems


def _taken_apart(
    nested: Nested,
    parent: Any,
    position: int,
    children: list[dict[str, Any]],
    problems: list[Problem],
) -> Any:
    """`parent` without its nested list, whose records are added to `children`."""
    if not isinstance(parent, Mapping) or nested.key not in parent:
        return parent
    inside = parent[nested.key]
    parent_id = parent.get("id")
    label = parent_id if isinstance(parent_id, int) else f"item {position}"
    if not isinstance(inside, list) or not all(isinstance(item, Mapping) for item in inside):
        problems.append(Problem(nested.parent, label, nested.key, "must be a list of records"))
    elif inside and not isinstance(parent_id, int):
        problems.append(Problem(nested.parent, label, "id", f"is needed to list {nested.key}"))
    else:
        children += [{**item, nested.link: parent_id} for item in inside]
    return {name: value for name, value in parent.items() if name != nested.key}
