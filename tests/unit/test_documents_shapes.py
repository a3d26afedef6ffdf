"""Report shapes as data: conformance of JSON values, paths, and planned keys merged in."""

from __future__ import annotations

from documents.planned import PLANNED
from documents.shapes import INT, STR, ListOf, MapOf, conform, merge, obj, paths, shape_of

SHAPE = obj(
    {
        "count": INT,
        "previous": obj({"count": INT}, nullable=True),
        "items": ListOf(obj({"no": INT, "title": STR})),
        "notes": MapOf(STR),
    }
)


def test_a_value_of_the_shape_conforms():
    value = {"count": 1, "previous": None, "items": [{"no": 1, "title": "A"}], "notes": {"x": "y"}}
    assert conform(value, SHAPE) == []


def test_every_unknown_key_wrong_type_and_null_is_named():
    value = {"count": "1", "previous": {"count": None}, "items": [{"no": 1, "x": 2}], "extra": 0}
    assert conform(value, SHAPE) == [
        "count: '1' không phải int",
        "previous.count: null nhưng khuôn không cho phép",
        "items[0].x: khóa không có trong khuôn",
        "extra: khóa không có trong khuôn",
    ]


def test_bools_are_not_counts():
    assert conform({"count": True}, obj({"count": INT})) == ["count: True không phải int"]


def test_paths_list_lists_and_dotted_keys():
    shape = obj({"a": ListOf(obj({"b": INT})), "activity": obj({"x.y": obj({"value": INT})})})
    assert paths(shape) == ["a[].b", "activity['x.y'].value"]


def test_planned_keys_merge_into_the_kinds_shape_without_losing_any():
    extra = {"foreign-affairs": obj({"activity": obj({"x.planned": obj({"value": INT})})})}
    today = shape_of("foreign-affairs")
    planned = shape_of("foreign-affairs", extra)
    assert set(paths(today)) < set(paths(planned))
    assert "activity['x.planned'].value" in paths(planned)
    assert "inbound.by_funding.state_budget" in paths(planned)
    # Issue 14 made every key of documents/SEED_FIGURES.md real: nothing is planned any more.
    assert shape_of("foreign-affairs", PLANNED) == today
    assert "activity['ngo.registrations'].value" in paths(today)


def test_merge_goes_into_list_items():
    merged = merge(obj({"t": ListOf(obj({"no": INT}))}), obj({"t": ListOf(obj({"ref": STR}))}))
    assert paths(merged) == ["t[].no", "t[].ref"]
