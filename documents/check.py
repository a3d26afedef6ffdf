"""The import check of a draft's body: it parses, every name is a source or a loop variable,
every path exists in its source kind's report JSON, and nothing else is reachable.

Over 300 lines as one module: one AST walk of the Jinja2 sandbox's template with its scope
rules; its helpers are the walk's cases.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, nodes

from documents.sandbox import TESTS, environment
from documents.shapes import BOOL, INT, STR, Leaf, ListOf, MapOf, Obj, Shape, shape_of
from documents.signatures import SIGNATURES
from documents.types import LOOP_FIELDS, UNKNOWN, Loop, Pair, Type, Unknown, is_a, nullable, unify

STATEMENTS = "{% if %}, {% elif %}, {% else %}, {% for %}, {% set %}"
FORBIDDEN: dict[type[nodes.Node], str] = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.With: "{% with %}",
    nodes.Block: "{% block %}",
    nodes.Extends: "{% extends %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}",
    nodes.AssignBlock: "{% set %}…{% endset %}",
    nodes.ExprStmt: "{% do %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.Scope: "{% autoescape %}",  # the only core tag that makes a bare Scope
    nodes.OverlayScope: "{% overlay %}",
    nodes.EvalContextModifier: "{% autoescape %}",
}
OPERATORS = {
    nodes.Mul: "*",
    nodes.Div: "/",
    nodes.FloorDiv: "//",
    nodes.Mod: "%",
    nodes.Pow: "**",
}


@dataclass(frozen=True)
class BodyError:
    """One problem of a body: its line (0 for the sources themselves) and what is wrong."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.message}" if self.line else self.message


def check_body(
    body: str, sources: Mapping[str, str], planned: Mapping[str, Obj] | None = None
) -> list[BodyError]:
    """Every problem of a body over sources {name: report kind}; [] when it may be stored."""
    errors = [BodyError(0, m) for m in _source_problems(sources)]
    if errors:
        return errors
    try:
        tree = environment().parse(body)
    except TemplateSyntaxError as exc:
        return [BodyError(exc.lineno or 1, f"cú pháp Jinja sai: {exc.message}")]
    check = Checker({name: shape_of(kind, planned) for name, kind in sources.items()}, sources)
    check.statements(tree.body)
    return sorted(check.errors, key=lambda e: e.line)


def _source_problems(sources: Mapping[str, str]) -> Iterator[str]:
    for name, kind in sources.items():
        if not name.isidentifier() or name.startswith("_") or name == "loop":
            yield f"nguồn “{name}”: tên phải là một định danh như fa, kt (không bắt đầu bằng _)"
        try:
            shape_of(kind)
        except KeyError:
            yield f"nguồn “{name}”: loại báo cáo “{kind}” không có"


class Checker:
    """Walks a parsed body with the shapes of what each name holds, collecting errors."""

    def __init__(self, sources: dict[str, Obj], kinds: Mapping[str, str]) -> None:
        self.kinds = dict(kinds)
        self.scopes: list[dict[str, Type]] = [dict(sources)]
        self.errors: list[BodyError] = []

    # --- helpers ---------------------------------------------------------------------------

    def error(self, node: nodes.Node, message: str) -> Unknown:
        # Jinja gives some nodes no line ({% autoescape %}'s scope): their first child's.
        line = node.lineno or next((n.lineno for n in node.find_all(nodes.Node) if n.lineno), 1)
        self.errors.append(BodyError(line, message))
        return UNKNOWN

    @contextmanager
    def scope(self) -> Iterator[dict[str, Type]]:
        self.scopes.append({})
        try:
            yield self.scopes[-1]
        finally:
            self.scopes.pop()

    def lookup(self, name: str) -> Type | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, target: nodes.Node, value: Type, scope: dict[str, Type]) -> None:
        if isinstance(target, nodes.Name):
            if target.name in self.kinds or target.name == "loop":
                self.error(target, f"không được đặt lại tên “{target.name}” (nguồn hoặc loop)")
            scope[target.name] = value
            return
        if isinstance(target, nodes.Tuple) and all(isinstance(i, nodes.Name) for i in target.items):
            items: list[Type]
            if isinstance(value, Pair) and len(target.items) == 2:
                items = [value.key, value.value]
            else:
                if not isinstance(value, Unknown):
                    self.error(target, "chỉ tách được một cặp khóa, giá trị của |dictsort")
                items = [UNKNOWN] * len(target.items)
            for item, t in zip(target.items, items, strict=True):
                self.bind(item, t, scope)
            return
        if isinstance(target, nodes.NSRef):
            self.error(target, "namespace không được phép")
            return
        self.error(target, "chỉ gán được cho một tên (hoặc một cặp tên trong {% for %})")

    def path(self, node: nodes.Node | None) -> str:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            return f"{self.path(node.node)}.{node.attr}"
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            value = node.arg.value
            return f"{self.path(node.node)}[{value!r}]".replace("'", '"')
        if isinstance(node, nodes.Getitem):
            return f"{self.path(node.node)}[…]"
        if isinstance(node, nodes.Filter):
            return f"{self.path(node.node)}|{node.name}"
        return "…"

    def root(self, node: nodes.Node | None) -> str | None:
        while isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Filter):
            node = node.node
        return node.name if isinstance(node, nodes.Name) else None

    def where(self, node: nodes.Node) -> str:
        root = self.root(node)
        kind = self.kinds.get(root or "")
        return f" trong báo cáo {kind}" if kind and self.lookup(root or "") is not None else ""

    # --- statements ------------------------------------------------------------------------

    def statements(self, body: list[nodes.Node]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.printable(child, self.expr(child))
        elif isinstance(node, nodes.If):
            self.expr(node.test)
            with self.scope():
                self.statements(node.body)
            for branch in node.elif_:
                self.expr(branch.test)
                with self.scope():
                    self.statements(branch.body)
            with self.scope():
                self.statements(node.else_)
        elif isinstance(node, nodes.For):
            self.loop(node)
        elif isinstance(node, nodes.Assign):
            value = self.expr(node.node)
            self.bind(node.target, value, self.scopes[-1])
        else:
            name = FORBIDDEN.get(type(node), type(node).__name__)
            self.error(node, f"câu lệnh {name} không được phép; chỉ dùng {STATEMENTS}")

    def loop(self, node: nodes.For) -> None:
        if node.recursive:
            self.error(node, "vòng lặp đệ quy (recursive) không được phép")
        over = self.expr(node.iter)
        item = self.item_of(over, node.iter)
        with self.scope() as scope:
            self.bind(node.target, item, scope)
            if node.test is not None:
                self.expr(node.test)
            scope["loop"] = Loop()
            self.statements(node.body)
        with self.scope():
            self.statements(node.else_)

    def item_of(self, over: Type, node: nodes.Node) -> Type:
        if isinstance(over, Unknown):
            return UNKNOWN
        if isinstance(over, ListOf):
            return over.item
        if isinstance(over, Obj | MapOf):
            return STR
        return self.error(node, f"“{self.path(node)}” không phải một danh sách để lặp")

    def printable(self, node: nodes.Node, t: Type) -> None:
        if isinstance(t, Unknown) or (isinstance(t, Leaf) and t.type != "bool"):
            return
        what = "một giá trị đúng/sai (dùng {% if %})" if isinstance(t, Leaf) else "một khối"
        self.error(node, f"“{self.path(node)}” là {what}, không in ra được; chọn một giá trị")

    # --- expressions -----------------------------------------------------------------------

    def expr(self, node: nodes.Node) -> Type:
        """The type of an expression; one case per node type, anything else refused."""
        if isinstance(node, nodes.Name):
            found = self.lookup(node.name)
            if found is None:
                names = ", ".join(sorted(self.kinds))
                return self.error(
                    node,
                    f"tên “{node.name}” không phải một nguồn ({names}) hay biến của vòng lặp",
                )
            return found
        if isinstance(node, nodes.Const):
            return self.const_type(node)
        if isinstance(node, nodes.Getattr):
            return self.member(self.expr(node.node), node.attr, node)
        if isinstance(node, nodes.Getitem):
            return self.getitem(node)
        if isinstance(node, nodes.Filter):
            return self.filter(node)
        if isinstance(node, nodes.Test):
            return self.test(node)
        if isinstance(node, nodes.Compare):
            self.expr(node.expr)
            for operand in node.ops:
                self.expr(operand.expr)
            return BOOL
        if isinstance(node, nodes.And | nodes.Or):
            self.expr(node.left)
            self.expr(node.right)
            return BOOL
        if isinstance(node, nodes.Not):
            self.expr(node.node)
            return BOOL
        if isinstance(node, nodes.Neg | nodes.Pos):
            return self.integer(node.node, INT)
        if isinstance(node, nodes.Add | nodes.Sub):
            self.integer(node.left, INT)
            return self.integer(node.right, INT)
        if isinstance(node, nodes.Concat):
            for part in node.nodes:
                self.printable(part, self.expr(part))
            return STR
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test)
            options = [self.expr(node.expr1)]
            options.append(self.expr(node.expr2) if node.expr2 is not None else Leaf("str", True))
            return unify(options) or UNKNOWN
        if isinstance(node, nodes.List | nodes.Tuple):
            items = [self.expr(item) for item in node.items]
            return ListOf(unify(items) or UNKNOWN)  # type: ignore[arg-type]
        if isinstance(node, nodes.Call):
            return self.error(
                node, f"không được gọi hàm hay phương thức (“{self.path(node.node)}(…)”)"
            )
        if type(node) in OPERATORS:
            op = OPERATORS[type(node)]  # type: ignore[index]
            return self.error(node, f"phép toán {op} không được phép; chỉ + và - giữa số nguyên")
        if isinstance(node, nodes.Dict):
            return self.error(node, "không được tạo từ điển trong văn bản")
        if isinstance(node, nodes.NSRef):
            return self.error(node, "namespace không được phép")
        return self.error(node, f"biểu thức {type(node).__name__} không được phép")

    def const_type(self, node: nodes.Const) -> Type:
        value = node.value
        if isinstance(value, bool):
            return BOOL
        if isinstance(value, int):
            return INT
        if isinstance(value, str):
            return STR
        if value is None:
            return Leaf("str", True)
        return self.error(node, f"hằng {value!r} không được phép (số nguyên, chuỗi, true/false)")

    def integer(self, node: nodes.Node, result: Type) -> Type:
        t = self.expr(node)
        if not is_a(t, "int"):
            self.error(node, f"“{self.path(node)}” không phải một số nguyên")
        return result

    def member(self, base: Type, key: object, node: nodes.Node) -> Type:
        path = self.path(node)
        if isinstance(key, str) and key.startswith("_"):
            return self.error(node, f"“{path}”: thuộc tính riêng hay nội bộ (“_”) không được phép")
        if isinstance(base, Unknown):
            return UNKNOWN
        if isinstance(base, Loop):
            if key in LOOP_FIELDS:
                return LOOP_FIELDS[key]
            return self.error(node, f"“{path}”: loop chỉ có {', '.join(LOOP_FIELDS)}")
        if isinstance(base, Pair):
            if key in (0, 1):
                return base.key if key == 0 else base.value
            return self.error(node, f"“{path}”: một cặp của |dictsort chỉ có [0] và [1]")
        found = self.field(base, key, node, path)
        if isinstance(found, Unknown) or not base.nullable:
            return found
        return nullable(found)

    def field(self, base: Shape, key: object, node: nodes.Node, path: str) -> Type:
        if isinstance(base, Obj):
            if isinstance(key, str) and key in base.fields:
                return base.fields[key]
            keys = ", ".join(list(base.fields)[:14]) + (", …" if len(base.fields) > 14 else "")
            return self.error(
                node, f"“{path}” không có{self.where(node)}: không có khóa “{key}” (có: {keys})"
            )
        if isinstance(base, MapOf):
            if isinstance(key, str) and (base.keys is None or key in base.keys):
                return base.value
            keys = ", ".join(base.keys or ())
            return self.error(
                node, f"“{path}” không có{self.where(node)}: không có mã “{key}” (có: {keys})"
            )
        if isinstance(base, ListOf):
            if isinstance(key, int) and not isinstance(key, bool):
                return base.item
            return self.error(
                node, f"“{path}”: một danh sách không có khóa “{key}”; dùng {{% for %}}"
            )
        return self.error(node, f"“{path}”: là một giá trị ({base.type}), không có khóa “{key}”")

    def getitem(self, node: nodes.Getitem) -> Type:
        base = self.expr(node.node)
        if isinstance(node.arg, nodes.Const):
            return self.member(base, node.arg.value, node)
        if isinstance(node.arg, nodes.Slice):
            for part in (node.arg.start, node.arg.stop, node.arg.step):
                if part is not None:
                    self.integer(part, INT)
            if isinstance(base, ListOf | Unknown):
                return base
            return self.error(node, f"“{self.path(node)}”: chỉ cắt được một danh sách")
        key = self.expr(node.arg)
        if isinstance(base, Unknown):
            return UNKNOWN
        if isinstance(base, ListOf) and is_a(key, "int"):
            return base.item
        if isinstance(base, MapOf) and is_a(key, "str"):
            return base.value
        if isinstance(base, Obj) and is_a(key, "str"):
            common = unify(list(base.fields.values()))
            if common is not None:
                return common
        return self.error(node, f"“{self.path(node)}”: khóa động không dùng được ở đây")

    def attribute_path(self, item: Type, text: object, node: nodes.Filter) -> Type:
        """A dotted path given as a filter's argument (map(attribute="recipient.type"))."""
        if not isinstance(text, str) or not text:
            return self.error(node, 'tên thuộc tính phải là một chuỗi viết sẵn, như "no"')
        t = item
        for key in text.split("."):
            key_: object = int(key) if key.isdigit() else key
            if isinstance(t, Unknown):
                return UNKNOWN
            if isinstance(key_, str) and key_.startswith("_"):
                return self.error(node, f"thuộc tính “{text}”: riêng hay nội bộ, không được phép")
            if not isinstance(t, Obj | MapOf | ListOf):
                return self.error(node, f"thuộc tính “{text}” không có trong mỗi phần tử")
            t = self.field(t, key_, node, f"{self.path(node.node)}[].{text}")
        return t

    # --- filters and tests -----------------------------------------------------------------

    def arguments(
        self,
        node: nodes.Filter | nodes.Test,
        positional: tuple[str, ...],
        keywords: tuple[str, ...],
    ) -> dict[str, nodes.Expr]:
        """The arguments by name (positional ones take the first names), errors for the rest."""
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.error(node, f"|{node.name}: không dùng *args hay **kwargs")
        given: dict[str, nodes.Expr] = {}
        if len(node.args) > len(positional):
            self.error(node, f"|{node.name}: nhiều nhất {len(positional)} đối số theo thứ tự")
        for name, arg in zip(positional, node.args, strict=False):
            given[name] = arg
        for keyword in node.kwargs:
            if keyword.key not in (*positional, *keywords):
                allowed = ", ".join((*positional, *keywords)) or "không có"
                self.error(node, f"|{node.name}: không có đối số “{keyword.key}” (có: {allowed})")
            else:
                given[str(keyword.key)] = keyword.value
        return given

    def literal(self, node: nodes.Node, choices: tuple[str, ...] | None = None) -> object:
        if not isinstance(node, nodes.Const):
            self.error(node, "đối số này phải là một giá trị viết sẵn (chuỗi hay số)")
            return None
        if choices is not None and node.value not in choices:
            self.error(node, f"“{node.value}” không có (dùng: {', '.join(choices)})")
        return node.value

    def filter(self, node: nodes.Filter) -> Type:
        if node.node is None:  # only a {% filter %} block's, refused as a statement before
            return UNKNOWN
        base = self.expr(node.node)
        sig = SIGNATURES.get(node.name)
        if sig is None:
            names = ", ".join(sorted(SIGNATURES))
            return self.error(node, f"bộ lọc “{node.name}” không có (các bộ lọc: {names})")
        return sig(self, node, base)

    def test(self, node: nodes.Test) -> Type:
        self.expr(node.node)
        if node.name not in TESTS:
            return self.error(
                node, f"phép thử “{node.name}” không có (các phép thử: {', '.join(TESTS)})"
            )
        for arg in node.args:
            self.expr(arg)
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            self.error(node, f"phép thử “{node.name}” chỉ nhận đối số theo thứ tự")
        return BOOL

    def want(self, node: nodes.Filter, t: Type, *types: str) -> None:
        if not is_a(t, *types):
            got = t.type if isinstance(t, Leaf) else "một khối"
            what = self.path(node.node)
            self.error(node, f"|{node.name}: “{what}” là {got}, cần {' hoặc '.join(types)}")

    def each(self, given: dict[str, nodes.Expr], *skip: str) -> dict[str, Type]:
        return {k: self.expr(v) for k, v in given.items() if k not in skip}
