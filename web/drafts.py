"""The draft editor (dự thảo): the markup beside a preview laid out as the document, the sources'
figures to insert, versions and their diff, and "Ban hành" from the draft.

More than 300 lines because it is one blueprint of one journey (list, edit, preview, versions,
issue); it parses, calls `service.reporting.drafting` and the command gateway, and renders."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import escape

from documents.official import Issue
from documents.shapes import paths, shape_of
from documents.standard import STANDARDS, standard_draft
from domain import labels
from domain.drafts import DOCUMENT_TYPES
from domain.periods import PeriodError, parse_period
from domain.text import nfc
from service import queries
from service.importing.schemas import schema_for
from service.reporting.requests import ReportInputError, vn_today
from service.runtime import Runtime
from web.auth import requires
from web.describe import path_words
from web.entry import account_name, account_title, form_signature, signature_problems
from web.formatting import key_label, label, period_words, tr, vn_date
from web.forms import iso_day
from web.writing import Writer, flatten

bp = Blueprint("drafts", __name__)

DRAFT_FIELDS = ("id", "period", "type", "title", "addressees", "sources", "body", "reason")
ISSUE_FIELDS = (
    "as_of",
    "known_by",
    "recorded_by",
    "number",
    "signed_on",
    "signer",
    "signer_title",
    "signing_form",
    "recipients",
)
SOURCE_KEYS = ("programme", "window", "period")
# A step of a shapes.paths path: `.key` or `['a.b']` (lists `[]` and open mappings `['*']` are
# taken apart before a path is resolved).
STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\['([^']*)'\]")
# The preview is a document of its own: its inline style allowed, framed only by this site.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def runtime() -> Runtime:
    """The service of this application."""
    return current_app.extensions["ngoaivu"]


def writer() -> Writer:
    """The application's single writer."""
    return current_app.extensions["ngoaivu_writer"]


# -- the form <-> a document.drafted command ---------------------------------------------------


def sources_text(sources: dict[str, Any]) -> str:
    """Sources as the form writes them: one a line, `fa: foreign-affairs programme=P`."""
    lines = []
    for name, spec in sorted(sources.items()):
        extra = "".join(f" {k}={spec[k]}" for k in SOURCE_KEYS if k in spec)
        lines.append(f"{name}: {spec.get('report', '')}{extra}")
    return "\n".join(lines)


def parse_sources(text: str) -> tuple[dict[str, Any], str | None]:
    """The form's source lines as the `sources` object, or the first line's problem."""
    sources: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, rest = line.partition(":")
        words = rest.split()
        if not colon or not name.strip() or not words:
            return sources, f"dòng {number}: viết TÊN: LOẠI_BÁO_CÁO, ví dụ fa: foreign-affairs"
        spec: dict[str, Any] = {"report": words[0]}
        for word in words[1:]:
            key, equals, value = word.partition("=")
            if not equals or key not in SOURCE_KEYS:
                return sources, f"dòng {number}: {word!r}: chỉ có {', '.join(SOURCE_KEYS)}=…"
            spec[key] = value
        sources[name.strip()] = spec
    return sources, None


def form_values(source: Any) -> dict[str, str]:
    """The editor's fields from a request form (NFC, as every write is)."""
    return {k: nfc(source.get(k, "")).replace("\r\n", "\n") for k in DRAFT_FIELDS}


def fact_form(values: dict[str, Any], draft_id: str) -> dict[str, str]:
    """The editor's fields from a stored version (or a standard draft line)."""
    return {
        "id": draft_id,
        "period": values.get("period", ""),
        "type": values.get("type", ""),
        "title": values.get("title", ""),
        "addressees": "\n".join(values.get("addressees") or []),
        "sources": sources_text(values.get("sources") or {}),
        "body": values.get("body", ""),
        "reason": "",
    }


def command(org: str, form: dict[str, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The `document.drafted` command of the form, and what the form itself gets wrong."""
    sources, problem = parse_sources(form["sources"])
    cmd: dict[str, Any] = {
        "kind": "document.drafted",
        "org": org,
        "id": form["id"].strip(),
        "period": form["period"].strip(),
        "sources": sources,
        "type": form["type"],
        "title": form["title"].strip(),
        "addressees": [a.strip() for a in form["addressees"].split("\n") if a.strip()],
        "body": form["body"],
    }
    if form["reason"].strip():
        cmd["reason"] = form["reason"].strip()
    return cmd, ({"sources": [problem]} if problem else {})


def field_errors(errors: dict[str, list[str]]) -> dict[str, str]:
    """Errors by the form's field (`sources.fa.report` is the sources field's)."""
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        name = key.split(".")[0]
        if name not in DRAFT_FIELDS:
            name = "_"
        prefix = f"{key}: " if key != name and name != "_" else ""
        out.setdefault(name, []).extend(prefix + m for m in messages)
    return {k: "; ".join(v) for k, v in out.items()}


def check_command(cmd: dict[str, Any]) -> dict[str, list[str]]:
    """The import's own check of a `document.drafted` (schema and body check), nothing stored."""
    messages = schema_for("document.drafted").validate(nfc(cmd))
    return flatten(messages) if messages else {}


# -- the sources' figures ----------------------------------------------------------------------


def resolve(report: Any, path: str) -> Any:
    """The value at a shapes path (without list or open-mapping steps) in a report's JSON."""
    value = report
    for match in STEP.finditer(path):
        key = match.group(1) or match.group(2)
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def expression(name: str, path: str) -> str:
    """The body's expression of a path: `fa.outbound.delegations`, `fa.activity["x.y"].value`."""
    jinja = re.sub(r"\['([^']*)'\]", r'["\1"]', path)
    return f"{name}{jinja}" if jinja.startswith("[") else f"{name}.{jinja}"


def figures(name: str, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each path of the source's kind with its current value: a list once (its length and its
    items' keys), an open mapping by its keys present."""
    rows: list[dict[str, Any]] = []
    lists: dict[str, list[str]] = {}
    for path in paths(shape_of(str(report["report"]))):
        if "[]" in path:
            head, _sep, item = path.partition("[]")
            lists.setdefault(head, []).append(item.lstrip(".") or "(giá trị)")
            continue
        if "['*']" in path:  # an open mapping (notes): the keys it has now
            head, _sep, rest = path.partition("['*']")
            mapping = resolve(report, head)
            keys = sorted(mapping) if isinstance(mapping, dict) else []
            for key in keys:
                concrete = f"{head}['{key}']{rest}"
                rows.append(row(name, concrete, resolve(report, concrete)))
            if not keys:
                rows.append({**row(name, head, "{}"), "items": _("(chưa có mục nào)")})
            continue
        rows.append(row(name, path, resolve(report, path)))
    for head, items in lists.items():
        value = resolve(report, head)
        size = len(value) if isinstance(value, list) else None
        rows.append(
            {
                "expr": expression(name, head),
                "insert": "{{ " + expression(name, head) + "|length }}",
                "value": ngettext("%(num)s mục", "%(num)s mục", size) if size is not None else None,
                "items": ", ".join(dict.fromkeys(items)),
                "words": figure_words(head),
            }
        )
    return rows


def row(name: str, path: str, value: Any) -> dict[str, Any]:
    """One figure: its expression, what inserting it writes, its value now."""
    expr = expression(name, path)
    return {
        "expr": expr,
        "insert": "{{ " + expr + " }}",
        "value": value,
        "items": "",
        "words": figure_words(path),
    }


def figure_words(path: str) -> str:
    """What a figure is, in words: `activity['translation.pages'].value` → "Hoạt động ›
    Biên dịch (trang) › Giá trị" (the expression itself is the template's code)."""
    return " › ".join(path_words(re.sub(r"\['([^']*)'\]", r".\1", path)))


def source_figures(org: str, form: dict[str, str]) -> tuple[dict[str, list[Any]], str | None]:
    """The figures of the form's sources for its period (as of today), or why there are none."""
    from service.reporting.drafting import preview_sources

    sources, problem = parse_sources(form["sources"])
    if problem or not sources:
        return {}, problem
    try:
        parse_period(form["period"].strip())
        _cut, _label, built = preview_sources(runtime(), org, form["period"].strip(), sources)
    except (ReportInputError, PeriodError, KeyError, ValueError) as exc:
        return {}, str(exc)
    return {name: figures(name, report) for name, report in built.items()}, None


# -- pages -------------------------------------------------------------------------------------


def editor(
    org: str,
    form: dict[str, str],
    *,
    existing: bool,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    """The editor page: fields, figures, preview frame."""
    found, figures_problem = source_figures(org, form)
    return render_template(
        "draft_edit.html",
        org=org,
        form=form,
        existing=existing,
        errors=errors or {},
        figures=found,
        figures_problem=figures_problem,
        types=DOCUMENT_TYPES,
        kinds=list(STANDARDS),
        can_write=current_user.can("write", org),
        can_issue=current_user.can("issue", org),
    ), status


@bp.route("/o/<org>/drafts")
@requires("read")
def index(org: str) -> Any:
    """The department's drafts, the latest version of each."""
    from service.reporting.drafting import draft_list

    return render_template(
        "drafts.html",
        org=org,
        drafts=draft_list(runtime(), org),
        kinds=list(STANDARDS),
        types=DOCUMENT_TYPES,
        can_write=current_user.can("write", org),
    )


@bp.route("/o/<org>/drafts/new")
@requires("write")
def new(org: str) -> Any:
    """ "Soạn từ mẫu": the editor filled with a kind's standard draft (stored only when saved)."""
    kind = request.args.get("kind", "")
    period = request.args.get("period", "").strip()
    if kind not in STANDARDS:
        abort(404)
    try:
        parse_period(period)
    except PeriodError as exc:
        flash(f"{_('Kỳ')}: {exc}", "error")
        return redirect(url_for("drafts.index", org=org))
    draft_id = request.args.get("id", "").strip() or f"{kind}-{period}"
    line = standard_draft(kind, org, period, vn_today().isoformat(), id=draft_id)
    return editor(org, fact_form(line, draft_id), existing=False)


def stored_versions(org: str, draft_id: str) -> list[dict[str, Any]]:
    """The draft's versions today (store order), each with its number, who, when and why, and
    its values with their corrections applied; [] when there is no such draft or it was voided."""
    from service.reporting.drafting import draft_versions

    rt = runtime()
    try:
        facts = {f.fact_id: f.values for f in draft_versions(rt, org, draft_id)}
    except ReportInputError:
        return []
    events = queries.record_history(rt, org, f"draft:{draft_id}")
    versions = []
    for event in events:
        if event["kind"] != "document.drafted" or event["fact_id"] not in facts:
            continue
        event["number"] = int(event["fact_id"].rpartition("#")[2])
        event["data"] = facts[event["fact_id"]]
        versions.append(event)
    return versions


@bp.route("/o/<org>/drafts/<draft_id>", methods=["GET", "POST"])
@requires("read")
def edit(org: str, draft_id: str) -> Any:
    """A draft's latest version (or `?version=N`) in the editor; POST stores the next version."""
    versions = stored_versions(org, draft_id)
    if request.method == "GET":
        if not versions:
            abort(404)
        chosen = versions[-1]
        if request.args.get("version"):
            wanted = [v for v in versions if str(v["number"]) == request.args["version"]]
            if not wanted:
                abort(404)
            chosen = wanted[0]
        form = fact_form(chosen["data"], draft_id)
        template = request.args.get("template")
        if template in STANDARDS:  # "Soạn từ mẫu" over an existing draft: its id and period kept
            line = standard_draft(template, org, form["period"], vn_today().isoformat())
            form.update({k: v for k, v in fact_form(line, draft_id).items() if k != "period"})
        return editor(org, form, existing=True)
    if not current_user.can("write", org):
        abort(403)
    form = form_values(request.form)
    form["id"] = draft_id if versions else form["id"].strip() or draft_id
    cmd, errors = command(org, form)
    if versions and not form["reason"].strip():
        errors.setdefault("reason", []).append("cần lý do của phiên bản mới")
    if not errors:
        outcome = writer().command(current_user, cmd)
        if outcome.ok:
            number = len(stored_versions(org, cmd["id"]))
            flash(
                _("Đã lưu phiên bản %(n)s của dự thảo %(id)s.", n=number, id=cmd["id"]), "success"
            )
            return redirect(url_for("drafts.edit", org=org, draft_id=cmd["id"]))
        errors = outcome.errors
    shown = field_errors(errors)
    return editor(org, form, existing=bool(versions), errors=shown, status=422)


@bp.route("/o/<org>/drafts/new", methods=["POST"])
@requires("write")
def create(org: str) -> Any:
    """The first version of a new draft (its id from the form)."""
    form = form_values(request.form)
    draft_id = form["id"].strip()
    if draft_id and stored_versions(org, draft_id):
        shown = {"id": _("Mã dự thảo đã có; mở dự thảo đó để lưu phiên bản mới.")}
        return editor(org, form, existing=False, errors=shown, status=422)
    cmd, errors = command(org, form)
    if not errors:
        outcome = writer().command(current_user, cmd)
        if outcome.ok:
            flash(_("Đã lưu phiên bản %(n)s của dự thảo %(id)s.", n=1, id=cmd["id"]), "success")
            return redirect(url_for("drafts.edit", org=org, draft_id=cmd["id"]))
        errors = outcome.errors
    return editor(org, form, existing=False, errors=field_errors(errors), status=422)


def framed(html: bytes | str, status: int = 200) -> Response:
    """A page shown inside the editor's preview frame."""
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def problems_page(errors: dict[str, str]) -> Response:
    """The preview frame when the form is refused: each field and why (nothing stored)."""
    items = "".join(f"<li><b>{escape(k)}</b>: {escape(v)}</li>" for k, v in errors.items())
    title = escape(_("Chưa xem trước được: vui lòng sửa các lỗi sau."))
    page = (
        '<!doctype html><html lang="vi"><meta charset="utf-8">'
        f'<body style="font-family: sans-serif"><p role="alert">{title}</p><ul>{items}</ul>'
    )
    return framed(page, 422)


@bp.route("/o/<org>/drafts/preview", methods=["POST"])
@requires("read")
def preview(org: str) -> Any:
    """The form's draft laid out as the document (as of `as_of`, default today), not stored."""
    from service.reporting.drafting import preview_document

    form = form_values(request.form)
    cmd, errors = command(org, form)
    if not cmd["id"]:
        cmd["id"] = "xem-truoc"
    errors = errors or check_command(cmd)
    if errors:
        return problems_page(field_errors(errors))
    try:
        html = preview_document(
            runtime(), org, cmd, "html", request.form.get("as_of", "").strip() or None
        )
    except ReportInputError as exc:
        return problems_page({exc.field: exc.message})
    return framed(html)


@bp.route("/o/<org>/drafts/<draft_id>/versions")
@requires("read")
def versions(org: str, draft_id: str) -> Any:
    """Every version with who, when and why; a diff between two (`from`, `to`)."""
    from service.reporting.drafting import diff_versions

    found = stored_versions(org, draft_id)
    if not found:
        abort(404)
    numbers = [v["number"] for v in found]

    def number(name: str, default: int) -> int:
        text = request.args.get(name, "")
        return int(text) if text.isdigit() and int(text) in numbers else default

    new_ = number("to", numbers[-1])
    old = number("from", numbers[-2] if len(numbers) > 1 else numbers[-1])
    diff = diff_versions(runtime(), org, draft_id, old, new_, head=heading_words)
    lines = diff.split("\n") if diff else []
    return render_template(
        "draft_versions.html",
        org=org,
        draft_id=draft_id,
        versions=found,
        old=old,
        new=new_,
        # the ---/+++ lines name the versions by fact id: the table above names them in words
        diff_lines=[line for line in lines if not line.startswith(("---", "+++"))],
    )


def heading_words(values: dict[str, Any]) -> list[str]:
    """A version's heading in words, to compare: "Loại văn bản: Báo cáo", a source as "fa:
    Công tác đối ngoại (kỳ tháng 3/2021)"."""
    kind = "document.drafted"
    sources = []
    for name, spec in sorted((values.get("sources") or {}).items()):
        report = labels.REPORT_KINDS.get(str(spec.get("report")), str(spec.get("report")))
        extra = [
            f"{labels.field(k).lower()} {period_words(v) if k == 'period' else label(v, k)}"
            for k, v in sorted(spec.items())
            if k != "report"
        ]
        sources.append(f"{name}: {tr(report)}" + (f" ({', '.join(extra)})" if extra else ""))
    return [
        f"{key_label('type', kind)}: {label(values.get('type'), 'document_type')}",
        f"{key_label('title', kind)}: {values.get('title')}",
        f"{key_label('addressees', kind)}: {'; '.join(values.get('addressees') or [])}",
        f"{key_label('period', kind)}: {period_words(values.get('period'))}",
        f"{key_label('sources', kind)}: {'; '.join(sources)}",
    ]


def cut_off_options(values: dict[str, str]) -> dict[str, str | None]:
    """The form's cut-offs for `document_request`: dates read as dd/mm/yyyy, as-of by default
    the signing day (as `issue document`), the others left to the service when empty."""
    signed = iso_day(values["signed_on"])
    return {
        "as_of": iso_day(values["as_of"]) or signed or None,
        "known_by": iso_day(values["known_by"]) or None,
        "recorded_by": values["recorded_by"] or None,
    }


def issue_field(exc: ReportInputError) -> str:
    """The form field a service error names (`_` when the form has none of that name)."""
    return exc.field if exc.field in ISSUE_FIELDS else "_"


@bp.route("/o/<org>/drafts/<draft_id>/issue", methods=["GET", "POST"])
@requires("issue")
def issue(org: str, draft_id: str) -> Any:
    """ "Ban hành", as the report's issue form: the cut-offs (a 2022 draft issued with the
    figures of 2022) and the signature, then a preview and a confirmation naming number, date
    and signer, then the same issue as `ngoaivu issue document`."""
    from service.reporting.drafting import document_request, issue_document

    versions_ = stored_versions(org, draft_id)
    if not versions_:
        abort(404)
    values = {k: nfc(request.form.get(k, "")).strip() for k in ISSUE_FIELDS}
    errors: dict[str, str] = {}
    step = "form"
    if request.method == "GET":  # the signer of the account, signing today
        values["signer"] = account_name(current_user)
        values["signer_title"] = account_title(current_user)
        values["signed_on"] = vn_date(vn_today())
    elif request.form.get("confirm") != "0":  # "Sửa lại": the form again, as it was filled
        errors = signature_problems(values)
        options = cut_off_options(values)
        if not errors:
            try:  # the cut-offs checked before the preview: a red field, not a broken frame
                document_request(runtime(), org, draft_id, **options)
            except ReportInputError as exc:
                errors[issue_field(exc)] = exc.message
        if not errors and request.form.get("confirm") == "1":
            try:
                with writer().lock:
                    _req, content, _details = issue_document(
                        runtime(),
                        org,
                        draft_id,
                        form_signature(values),
                        actor=current_user.username,
                        **options,
                    )
            except ReportInputError as exc:
                errors[issue_field(exc)] = exc.message
            else:
                flash(
                    _(
                        "Đã ban hành %(number)s: %(digest)s",
                        number=values["number"],
                        digest=content["digest"],
                    ),
                    "success",
                )
                year = int(iso_day(values["signed_on"])[:4])
                return redirect(
                    url_for("inspection.issued_check", org=org, year=year, number=values["number"])
                )
        elif not errors:
            step = "confirm"
    return render_template(
        "draft_issue.html",
        org=org,
        draft_id=draft_id,
        version=versions_[-1],
        values=values,
        errors=errors,
        step=step,
        signed_day=iso_day(values["signed_on"]),
    ), (422 if errors else 200)


@bp.route("/o/<org>/drafts/<draft_id>/preview")
@requires("read")
def saved_preview(org: str, draft_id: str) -> Any:
    """The draft's latest stored version laid out as the document, as of today (as `report
    document` without options)."""
    from service.reporting.drafting import composed_document, document_request, run_document

    rt = runtime()
    try:
        req = document_request(rt, org, draft_id)
        content = run_document(rt, req)
    except ReportInputError as exc:
        return problems_page({exc.field: exc.message})
    return framed(composed_document(rt, req, content, None, "html"))


@bp.route("/o/<org>/drafts/<draft_id>/issue/preview")
@requires("issue")
def issue_preview(org: str, draft_id: str) -> Any:
    """The document as it would be issued: its cut-offs, number, signing day, signer and
    recipients (Nơi nhận ending with "Lưu: VT" as the issue stores it)."""
    from service.reporting.drafting import composed_document, document_request, run_document

    values = {k: nfc(request.args.get(k, "")).strip() for k in ISSUE_FIELDS}
    errors = signature_problems(values)
    if errors:
        return problems_page(errors)
    sig = form_signature(values)
    rt = runtime()
    try:
        req = document_request(rt, org, draft_id, **cut_off_options(values))
        content = run_document(rt, req)
    except ReportInputError as exc:
        return problems_page({exc.field: exc.message})
    issue_ = Issue(
        sig.number,
        date.fromisoformat(sig.signed_on),
        sig.signer,
        sig.signer_title,
        sig.signing_form,
        sig.recipients,
        *rt.chain.head(),  # the head the issue would record if confirmed now
    )
    return framed(composed_document(rt, req, content, issue_, "html"))
