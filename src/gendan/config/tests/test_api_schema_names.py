"""The OpenAPI components are named by their schema class: two classes of one name overwrite
each other in /api/docs, and one operation is then checked against the other's answer."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import gendan.api  # noqa: F401  (every router imported, every schema defined)


def subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name():
    # given every schema the API's modules define
    places = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("gendan.") and ".tests" not in schema.__module__:
            places[schema.__name__].add(schema.__module__)
    # then each name is defined in one module only
    assert {name: where for name, where in places.items() if len(where) > 1} == {}
