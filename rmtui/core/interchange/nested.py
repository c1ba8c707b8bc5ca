"""Records a book file holds inside others: a household's members, in its `members` list.

The book keeps them as rows of their own (`household_members`); the file writes each under
its household as `{"client", "role"}`, as PRODUCT.md's format has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rmtui.core.interchange.schema import Problem, item_label
from rmtui.core.translation import _


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
            problems.append(flat_list_problem(nested))
        parents = data.get(nested.parent)
        if not isinstance(parents, list):
            continue
        children: list[dict[str, Any]] = []
        flat[nested.parent] = []
        for position, parent in enumerate(parents, 1):
            alone, inside, found = taken_apart(nested, parent, position)
            flat[nested.parent].append(alone)
            children += inside
            problems += found
        flat[nested.entity] = children
    return flat, problems


def flat_list_problem(nested: Nested) -> Problem:
    """What is wrong with a file listing the records of `nested` at its top level."""
    message = _("is not part of the rmtui-book format: list them in {list}").format(
        list=nested.parent
    )
    return Problem(nested.entity, "", "", message)


def taken_apart(
    nested: Nested, parent: Any, position: int
) -> tuple[Any, list[dict[str, Any]], list[Problem]]:
    """`parent` (at `position` of its list) without its nested list, the records of that
    list as records of their own, and what is wrong with the list."""
    if not isinstance(parent, Mapping) or nested.key not in parent:
        return parent, [], []
    inside = parent[nested.key]
    parent_id = parent.get("id")
    label = parent_id if isinstance(parent_id, int) else item_label(position)
    alone = {name: value for name, value in parent.items() if name != nested.key}
    if not isinstance(inside, list) or not all(isinstance(item, Mapping) for item in inside):
        problem = Problem(nested.parent, label, nested.key, _("must be a list of records"))
        return alone, [], [problem]
    if inside and not isinstance(parent_id, int):
        needed = _("is needed to list {list}").format(list=nested.key)
        return alone, [], [Problem(nested.parent, label, "id", needed)]
    return alone, [{**item, nested.link: parent_id} for item in inside], []
