"""The filters' signatures for the body check: each checks its input and its arguments (paths
named in them included) and gives the type of its result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from jinja2 import nodes

from documents import filters as vf
from documents.labels import LABELS, PHRASES, SAME_CODES
from documents.sandbox import TESTS
from documents.shapes import INT, STR, Leaf, ListOf, MapOf, Obj
from documents.types import UNKNOWN, Loop, Pair, Type, Unknown, is_a, unify

if TYPE_CHECKING:
    from documents.check import Checker

Signature = Callable[["Checker", nodes.Filter, Type], Type]


def _number(keywords: tuple[str, ...] = ()) -> Signature:
    def sig(ck: Checker, node: nodes.Filter, base: Type) -> Type:
        ck.each(ck.arguments(node, (), keywords))
        ck.want(node, base, "int")
        return STR

    return sig


def _text(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.each(ck.arguments(node, (), ()))
    ck.want(node, base, "str", "date")
    return STR


def _money(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, (), ("round", "unit", "currency", "approx"))
    ck.want(node, base, "int")
    if "unit" in given:
        ck.literal(given["unit"], tuple(vf.UNITS))
    for key in ("round", "currency", "approx"):
        if key in given:
            ck.expr(given[key])
    return STR


def _date(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("style",), ("pad",))
    ck.want(node, base, "date", "str")
    if "style" in given:
        ck.literal(given["style"], vf.DATE_STYLES)
    if "pad" in given:
        ck.literal(given["pad"], vf.PADS)
    return STR


def _period_like(ck: Checker, node: nodes.Node, t: Type) -> None:
    if isinstance(t, Obj) and "label" in t.fields:
        return
    if not is_a(t, "str", "date", "int"):
        ck.error(node, "cần một kỳ báo cáo (như fa.period) hoặc một nhãn kỳ (2021-H1)")


def _year(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.arguments(node, (), ())
    _period_like(ck, node, base)
    return INT


def _period(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, (), ("shift",))
    _period_like(ck, node, base)
    if "shift" in given:
        ck.integer(given["shift"], INT)
    return STR


def _ints(ck: Checker, node: nodes.Node, t: Type) -> None:
    if isinstance(t, ListOf):
        t = t.item
    if not is_a(t, "int"):
        ck.error(node, "|compare: cần một số nguyên hay một danh sách số nguyên")


def _compare(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("previous", "unit", "period"), ("cung_ky", "pad", "percent"))
    _ints(ck, node, base)
    if "previous" not in given:
        return ck.error(node, "|compare: thiếu giá trị kỳ trước (previous)")
    _ints(ck, given["previous"], ck.expr(given["previous"]))
    if "period" in given:
        _period_like(ck, given["period"], ck.expr(given["period"]))
    ck.each(given, "previous", "period")
    return STR


def _since(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, (), ("cung_ky",))
    _period_like(ck, node, base)
    ck.each(given)
    return STR


def _breakdown(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("family", "unit"), ("sep", "last"))
    if "family" not in given:
        return ck.error(node, f"|breakdown: cần nhóm, một trong: {', '.join(PHRASES)}")
    family = ck.literal(given["family"], tuple(PHRASES))
    if isinstance(base, Obj) and isinstance(family, str) and family in PHRASES:
        foreign = [c for c in base.fields if c != "unknown" and c not in PHRASES[family]]
        if foreign or not all(is_a(t, "int") for t in base.fields.values()):
            what = ck.path(node.node)
            ck.error(node, f"|breakdown: “{what}” không phải bảng đếm của nhóm “{family}”")
    elif not isinstance(base, Obj | Unknown):
        ck.error(node, f"|breakdown: “{ck.path(node.node)}” không phải một bảng đếm")
    ck.each(given, "family")
    return STR


def _grouped(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    if node.kwargs or node.dyn_args or node.dyn_kwargs or not node.args:
        ck.error(node, '|grouped: các khóa là chuỗi viết sẵn như "grantor", "recipient.type"')
    items = _list_of(ck, node, base)
    item = _item(items)
    for arg in node.args:
        key = ck.literal(arg)
        if isinstance(key, str):
            ck.attribute_path(item, key, node)
    if isinstance(item, Unknown | Loop | Pair):
        return UNKNOWN
    return ListOf(Obj({"first": item, "items": ListOf(item)}))


def _wrap(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.each(ck.arguments(node, ("before", "after"), ()))
    ck.want(node, base, "str")
    return STR


def _label(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("family",), ())
    if "family" not in given:
        return ck.error(node, f"|label: cần nhóm mã, một trong: {', '.join(LABELS)}")
    family = ck.literal(given["family"], tuple(LABELS))
    codes_of = SAME_CODES.get(str(family), family)
    if isinstance(base, Leaf) and base.family and family and base.family != codes_of:
        what = ck.path(node.node)
        ck.error(node, f"|label: “{what}” là mã nhóm “{base.family}”, không phải “{family}”")
    ck.want(node, base, "str")
    return STR


def _table(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    if node.kwargs or node.dyn_args or node.dyn_kwargs or not node.args:
        ck.error(node, '|table: các cột là chuỗi viết sẵn như "no:Số TT", "status|status:Kết quả"')
    if not isinstance(base, ListOf | Unknown):
        return ck.error(node, f"|table: “{ck.path(node.node)}” không phải một danh sách")
    item = base.item if isinstance(base, ListOf) else UNKNOWN
    for arg in node.args:
        spec = ck.literal(arg)
        if not isinstance(spec, str):
            continue
        path, _, family = (spec.rpartition(":")[0] or spec).partition("|")
        ck.attribute_path(item, path, node)
        if family and family not in LABELS:
            ck.error(node, f"|table: nhóm mã “{family}” không có (dùng: {', '.join(LABELS)})")
    return STR


def _list_of(ck: Checker, node: nodes.Filter, base: Type) -> ListOf | Unknown:
    if isinstance(base, ListOf | Unknown):
        return base
    ck.error(node, f"|{node.name}: “{ck.path(node.node)}” không phải một danh sách")
    return UNKNOWN


def _item(base: ListOf | Unknown) -> Type:
    return base.item if isinstance(base, ListOf) else UNKNOWN


def _join(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("d",), ("attribute",))
    items = _list_of(ck, node, base)
    item = _item(items)
    if "attribute" in given:
        item = ck.attribute_path(item, ck.literal(given["attribute"]), node)
    ck.each(given, "attribute")
    if not isinstance(item, Unknown | Leaf):
        ck.error(node, "|join: các phần tử phải là giá trị; dùng |map(attribute=…) trước")
    return STR


def _map(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, (), ("attribute", "default"))
    items = _list_of(ck, node, base)
    if "attribute" not in given:
        return ck.error(node, '|map: chỉ dùng map(attribute="…")')
    field = ck.attribute_path(_item(items), ck.literal(given["attribute"]), node)
    ck.each(given, "attribute")
    return ListOf(field) if not isinstance(field, Unknown | Loop | Pair) else UNKNOWN


def _selectattr(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("attribute", "test", "value"), ())
    items = _list_of(ck, node, base)
    if "attribute" not in given:
        return ck.error(node, f"|{node.name}: cần tên thuộc tính")
    ck.attribute_path(_item(items), ck.literal(given["attribute"]), node)
    if "test" in given:
        ck.literal(given["test"], TESTS)
    if "value" in given:
        ck.expr(given["value"])
    return items


def _select(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("test", "value"), ())
    items = _list_of(ck, node, base)
    if "test" in given:
        ck.literal(given["test"], TESTS)
    if "value" in given:
        ck.expr(given["value"])
    return items


def _length(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.arguments(node, (), ())
    if not isinstance(base, ListOf | MapOf | Obj | Unknown) and not is_a(base, "str"):
        ck.error(node, f"|length: “{ck.path(node.node)}” không có độ dài")
    return INT


def _first(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.arguments(node, (), ())
    return _item(_list_of(ck, node, base))


def _sort(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("reverse",), ("attribute", "case_sensitive"))
    items = _list_of(ck, node, base)
    if "attribute" in given:
        ck.attribute_path(_item(items), ck.literal(given["attribute"]), node)
    ck.each(given, "attribute")
    return items


def _dictsort(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.each(ck.arguments(node, (), ("reverse",)))
    if isinstance(base, Unknown):
        return UNKNOWN
    if isinstance(base, MapOf):
        return ListOf(Pair(STR, base.value))  # type: ignore[arg-type]
    if isinstance(base, Obj):
        common = unify(list(base.fields.values()))
        if common is not None:
            return ListOf(Pair(STR, common))  # type: ignore[arg-type]
    return ck.error(node, f"|dictsort: “{ck.path(node.node)}” không phải một bảng mã cùng kiểu")


def _sum(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, (), ("attribute", "start"))
    item = _item(_list_of(ck, node, base))
    if "attribute" in given:
        item = ck.attribute_path(item, ck.literal(given["attribute"]), node)
    ck.each(given, "attribute")
    if not is_a(item, "int"):
        ck.error(node, "|sum: các phần tử phải là số nguyên")
    return INT


def _list(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.arguments(node, (), ())
    if isinstance(base, Obj | MapOf):
        return ListOf(STR)
    return _list_of(ck, node, base)


def _default(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    given = ck.arguments(node, ("default_value", "boolean"), ())
    other = ck.expr(given["default_value"]) if "default_value" in given else STR
    ck.each(given, "default_value")
    kept = base if isinstance(base, Unknown) else replace(base, nullable=False)
    return unify([kept, other]) or UNKNOWN


def _case(ck: Checker, node: nodes.Filter, base: Type) -> Type:
    ck.arguments(node, (), ())
    ck.want(node, base, "str")
    return STR


SIGNATURES: dict[str, Signature] = {
    "count": _number(("pad",)),
    "number": _number(),
    "words": _number(),
    "percent": _number(),
    "roman": _number(),
    "money": _money,
    "date": _date,
    "year": _year,
    "period": _period,
    "compare": _compare,
    "since": _since,
    "breakdown": _breakdown,
    "grouped": _grouped,
    "wrap": _wrap,
    "label": _label,
    "lowerfirst": _text,
    "upperfirst": _text,
    "markup": _text,
    "table": _table,
    "join": _join,
    "map": _map,
    "selectattr": _selectattr,
    "rejectattr": _selectattr,
    "select": _select,
    "reject": _select,
    "length": _length,
    "first": _first,
    "last": _first,
    "sort": _sort,
    "dictsort": _dictsort,
    "sum": _sum,
    "list": _list,
    "default": _default,
    "lower": _case,
    "upper": _case,
}
