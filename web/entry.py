"""Data entry for clerks (forms, JSON Lines upload) and report issuing for directors.

One module of more than 300 lines because it is one blueprint: each view parses a request,
calls the command gateway (through `web.writing.Writer`) and renders; what the forms are is in
`web.forms`, the pickers in `web.pickers`."""

from __future__ import annotations

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
from flask_login import current_user

from domain import labels
from domain.issuance import recipients_of, with_archive
from domain.metrics import CATALOGUE
from service.importing.schemas import SCHEMAS
from service.reporting.issuing import Signature
from service.reporting.requests import ReportInputError, vn_today
from web import corrections, pickers, spreadsheets
from web.auth import requires, store
from web.describe import describe_target, late_entry_note, record_target
from web.formatting import vn_date
from web.forms import (
    FORM_LIST,
    FORMS_BY_SLUG,
    Form,
    FormInputError,
    as_typed,
    echo_typed,
    iso_day,
    to_command,
)
from web.inspection import REPORT_OPTIONS, report_content
from web.locale import english_mode
from web.messages import said, said_all
from web.writing import Outcome, Writer

bp = Blueprint("entry", __name__)
ISSUE_FIELDS = (
    *REPORT_OPTIONS,
    "number",
    "signed_on",
    "signer",
    "signer_title",
    "signing_form",
    "recipients",
)


def writer() -> Writer:
    """The application's writer (serialised imports as the logged-in user)."""
    return current_app.extensions["ngoaivu_writer"]


@bp.route("/o/<org>/entry/")
@requires("write")
def index(org: str) -> Any:
    """The forms a clerk can fill in."""
    return render_template("entry_index.html", org=org, forms=FORM_LIST)


@bp.route("/o/<org>/entry/<slug>", methods=["GET", "POST"])
@requires("write")
def fill(org: str, slug: str) -> Any:
    """One form: stored and confirmed, or shown again with every error beside its field."""
    form = FORMS_BY_SLUG.get(slug) or abort(404)
    kinds = dict(form.kinds)
    values = {k: v for k, v in request.values.items() if k != "csrf_token"}
    errors: dict[str, list[str]] = {}
    # "Hiện các trường để sửa": the picked record's boxes shown, nothing written
    picking = form.slug == "correction" and bool(values.pop("pick", None))
    if request.method == "POST" and not picking:
        kind = values.get("kind", form.kinds[0][0])
        if kind not in kinds:
            errors["kind"] = [_("loại không hợp lệ cho biểu mẫu này")]
        else:
            try:
                cmd = to_command(form, kind, org, values)
                if form.slug == "correction":  # the changed boxes, the typed words as codes
                    corrections.correction_set(org, kind, values, cmd)
            except FormInputError as exc:
                errors[exc.name] = [str(exc)]
            else:
                outcome = writer().command(current_user, cmd)
                if outcome.ok and outcome.result is not None:
                    recorded(org, cmd, outcome)
                    return redirect(url_for("entry.fill", org=org, slug=slug))
                typed = echo_typed(form, values, outcome.errors)  # 31/02/2021, as typed
                said = said_all(typed)
                if form.slug == "correction":  # a value's error beside its box
                    said = corrections.beside_boxes(pick_of(org, values), values, said)
                errors = beside_fields(form, said)
    units = current_user.units_in(org)  # a unit-limited clerk picks only what they may write
    picks = {
        f.name: pickers.for_account(org, f.source, units)
        for f in form.fields
        if f.source and f.widget == "select"
    }
    if picking:  # the boxes show the record as it is now, not as last shown
        values = {k: v for k, v in values.items() if not k.startswith(("set-", "was-"))}
    if request.method == "GET":
        for f in form.fields:
            if f.source.endswith("_code") and not values.get(f.name):
                values[f.name] = pickers.suggestion(org, f.source)
    status = 422 if errors else 200
    return render_template(
        "entry_form.html",
        org=org,
        form=form,
        values=values,
        errors=errors,
        picks=picks,
        units=units,
        pick=pick_of(org, values) if slug == "correction" else None,
        metrics=CATALOGUE,
        crumbs=[
            (_("Nhập liệu"), url_for("entry.index", org=org)),
            (_(form.title), None),
        ],
    ), status


def pick_of(org: str, values: dict[str, str]) -> corrections.Picked | None:
    """The correction form's picked record with its boxes."""
    return corrections.picked(org, values.get("target", ""))


def beside_fields(form: Form, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Errors moved onto the field that shows them: the task picker's programme and number, a
    table's rows (members.0.name), a sub-count (detail.certified)."""
    names = {f.name for f in form.fields}
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        head = key.split(".")[0]
        if key in names:
            name = key
        elif key in ("programme", "no") and "task" in names:
            name = "task"
        elif head in names and head != key:
            name = head
            detail = key[len(head) + 1 :]
            messages = [f"{detail_words(detail)}: {m}" for m in messages]
        else:
            name = key
        out.setdefault(name, []).extend(messages)
    return out


def detail_words(path: str) -> str:
    """members.0.name → "dòng 1, Tên"; certified → its label."""
    parts = path.split(".")
    words = []
    for part in parts:
        if part.isdigit():
            words.append(_("dòng %(n)s", n=int(part) + 1))
        else:
            words.append(labels.SUBCOUNTS.get(part) or labels.field(part))
    return ", ".join(words)


def recorded(org: str, cmd: dict[str, Any], outcome: Outcome) -> None:
    """The success message in words, with a link to the record's history; for a late entry,
    where it shows."""
    result = outcome.result
    assert result is not None
    fact_ids = [f for _n, f in result.fact_ids]
    target = fact_ids[0].partition("#")[0] if fact_ids else record_target(cmd)
    what = labels.KINDS.get(cmd["kind"], cmd["kind"])
    if english_mode():
        what = labels.english(what)
    name = describe_target(target)
    if result.added:
        text = _("Đã ghi nhận: %(what)s — %(name)s.", what=what, name=name)
    else:
        text = _("Bản ghi này đã có (%(name)s), không lưu thêm.", name=name)
    link = url_for("inspection.record_history", org=org, target=target) if target else ""
    flash(f"{text}\n{link}", "recorded")
    late = late_entry_note(cmd)
    if late:
        flash(late, "info")
    if result.behind:
        flash(result.behind, "info")


@bp.route("/o/<org>/entry/upload", methods=["GET", "POST"])
@requires("write")
def upload(org: str) -> Any:
    """A JSON Lines file or a filled .xlsx template under the CLI's import rules: all or
    nothing, errors per line (per sheet, row and column for a workbook)."""
    outcome, cells = None, None
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            flash(_("Chưa chọn tệp."), "error")
            return render_template("upload.html", org=org, outcome=None, cells=None), 422
        backfill = bool(request.form.get("backfill"))
        if is_workbook(file.stream, file.filename):
            outcome, cells = upload_workbook(org, file.stream, backfill)
        else:
            chunks = iter(lambda: file.stream.read(1 << 20), b"")
            outcome = writer().upload(current_user, chunks, backfill=backfill)
        if outcome.ok:
            flash(_("Đã nhập tệp."), "success")
            if outcome.result is not None and outcome.result.behind:
                flash(outcome.result.behind, "info")
        else:
            return render_template("upload.html", org=org, outcome=outcome, cells=cells), 422
    return render_template("upload.html", org=org, outcome=outcome, cells=cells)


def is_workbook(stream: Any, filename: str) -> bool:
    """An .xlsx (a zip archive) rather than JSON Lines, by its first bytes or its name."""
    head = stream.read(4)
    stream.seek(0)
    return head == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def upload_workbook(
    org: str, stream: Any, backfill: bool
) -> tuple[Outcome, list[spreadsheets.CellError]]:
    """A filled template: its rows as import lines through the writer; errors by cell."""
    try:
        conversion = spreadsheets.convert(stream, org)
    except spreadsheets.SheetFormatError as exc:
        return Outcome(errors={"_": [str(exc)]}), []
    if conversion.errors:  # the layout itself (a column that is not the kind's): nothing read
        shown = conversion.errors[:100]
        return Outcome(total=len(conversion.errors), listed=len(shown)), shown
    if not conversion.lines:
        message = "bảng tính không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 3)"
        return Outcome(errors={"_": [message]}), []
    outcome = writer().upload(current_user, conversion.lines, backfill=backfill)
    cells = [conversion.locate(e.line, e.field, e.message) for e in outcome.lines]
    return outcome, cells


@bp.route("/o/<org>/entry/xlsx-template")
@requires("write")
def xlsx_template(org: str) -> Any:
    """The import workbook: one sheet per kind (`?kind=` repeated for only some)."""
    kinds = [k for k in request.args.getlist("kind") if k in SCHEMAS] or None
    if request.args.getlist("kind") and not kinds:
        abort(404)
    name = "mau-nhap-lieu.xlsx" if kinds is None or len(kinds) > 1 else f"mau-{kinds[0]}.xlsx"
    return Response(
        spreadsheets.template(kinds),
        mimetype=spreadsheets.XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/o/<org>/issue", methods=["GET", "POST"])
@requires("issue")
def issue(org: str) -> Any:
    """Issue a report in three steps: the options (carried from the report page), a preview with
    a confirmation naming number, date and signer, then the issue itself."""
    source = request.form if request.method == "POST" else request.args
    values = {k: source.get(k, "").strip() for k in ISSUE_FIELDS}
    if request.method == "GET":
        values["signer"] = values["signer"] or account_name(current_user)
        values["signer_title"] = values["signer_title"] or account_title(current_user)
        values["signed_on"] = values["signed_on"] or vn_date(vn_today())
        values["window"] = values["window"] or "nd09"
    errors: dict[str, str] = {}
    preview = None
    if request.method == "POST":
        errors = issue_problems(values)
        if not errors:
            try:
                preview = report_content(org, cut_offs(values))
            except ReportInputError as exc:
                name, message = option_error(exc, values)
                errors[name] = message
        if not errors and request.form.get("confirm") == "1":
            done = issue_now(org, values, errors)
            if done is not None:
                return done
            preview = None
    page = "issue_confirm.html" if preview is not None and not errors else "issue.html"
    return render_template(
        page,
        org=org,
        values=values,
        errors=errors,
        content=preview,
        signed_day=iso_day(values["signed_on"]),
        report_link=url_for(
            "inspection.report",
            org=org,
            **report_args(values),  # type: ignore[arg-type]
        ),
        crumbs=[(_("Báo cáo"), url_for("inspection.report", org=org)), (_("Ban hành"), None)],
    ), (422 if errors else 200)


def account_name(user: Any) -> str:
    """The signer's name from the account (its full name when it has one)."""
    return store().profile(user.username)[0] or user.username


def account_title(user: Any) -> str:
    """The signer's title from the account, when it has one."""
    return store().profile(user.username)[1] or ""


def report_args(values: dict[str, str]) -> dict[str, str]:
    """The report page's query for these options (empty ones left out)."""
    return {k: v for k, v in cut_offs(values).items() if v}


def cut_offs(values: dict[str, str]) -> dict[str, str]:
    """The report options of the issue form, dates read as dd/mm/yyyy."""
    options = {k: values.get(k, "") for k in REPORT_OPTIONS}
    for name in ("as_of", "known_by"):
        options[name] = iso_day(options[name])
    options["as_of"] = options["as_of"] or iso_day(values.get("signed_on", ""))
    return options


def issue_problems(values: dict[str, str]) -> dict[str, str]:
    """Every problem of the form at once: missing fields, a signing date not a day or in the
    future, an as-of date after it."""
    errors = {
        name: _("thiếu trường bắt buộc") for name in ("kind", "period") if not values.get(name)
    }
    return {**errors, **signature_problems(values)}


def signature_problems(values: dict[str, str]) -> dict[str, str]:
    """The signature's problems, shared by the report and the draft issue forms: number, signing
    day and signer required, the day dd/mm/yyyy and not in the future, and the figures not
    counted past it (an as-of date after the signing day reports what the signer could not
    know)."""
    errors = {}
    for name in ("number", "signed_on", "signer"):
        if not values.get(name):
            errors[name] = _("thiếu trường bắt buộc")
    signed = iso_day(values.get("signed_on", ""))
    if signed:
        try:
            day = date.fromisoformat(signed)
        except ValueError:
            errors["signed_on"] = _("không phải ngày dạng dd/mm/yyyy")
        else:
            if day > vn_today():
                errors["signed_on"] = _(
                    "ngày ký %(day)s ở tương lai: chỉ ban hành văn bản đã ký", day=vn_date(day)
                )
            as_of = iso_day(values.get("as_of", ""))
            try:
                counted = date.fromisoformat(as_of) if as_of else day
            except ValueError:
                errors["as_of"] = _("không phải ngày dạng dd/mm/yyyy")
            else:
                if counted > day:
                    errors["as_of"] = _(
                        "ngày tính đến %(as_of)s sau ngày ký %(day)s",
                        as_of=vn_date(counted),
                        day=vn_date(day),
                    )
    return errors


def form_signature(values: dict[str, str]) -> Signature:
    """The signature of an issue form (signing day dd/mm/yyyy); Nơi nhận ends with "Lưu: VT"
    as the preview showed it."""
    return Signature(
        values["number"],
        iso_day(values["signed_on"]),
        values["signer"],
        values["signer_title"] or None,
        values["signing_form"] or None,
        with_archive(recipients_of(values["recipients"])),
    )


def option_error(exc: ReportInputError, values: dict[str, str]) -> tuple[str, str]:
    """A report error as (field, message): service errors name fields, not options; a date
    as the user typed it (the as-of day, when left empty, is the signing day)."""
    typed = values.get(exc.field, "")
    if exc.field == "as_of" and not typed:
        typed = values.get("signed_on", "")
    return (exc.field if exc.field in ISSUE_FIELDS else "_"), said(as_typed(exc.message, typed))


def issue_now(org: str, values: dict[str, str], errors: dict[str, str]) -> Any:
    """Issue (errors named by field are put in `errors`); the redirect to the issued document."""
    signed_on = iso_day(values["signed_on"])
    options = cut_offs(values)
    sig = form_signature(values)
    try:
        content, details = writer().issue(  # the gateway: its DOCX and PDF kept, as the CLI
            current_user,
            options["kind"],
            org,
            options["period"],
            sig,
            window=options["window"] or "nd09",
            programme=options["programme"] or None,
            as_of=options["as_of"] or None,
            known_by=options["known_by"] or None,
            recorded_by=options["recorded_by"] or None,
        )
    except ReportInputError as exc:
        name, message = option_error(exc, values)
        errors[name] = message
        return None
    flash(
        _(
            "Đã ban hành văn bản số %(number)s ngày %(day)s, người ký %(signer)s. "
            "Mã băm %(digest)s",
            number=values["number"],
            day=vn_date(signed_on),
            signer=values["signer"],
            digest=content["digest"],
        ),
        "success",
    )
    if details.get("views_behind"):
        flash(details["views_behind"], "info")
    year = int(signed_on[:4])
    return redirect(url_for("inspection.issued_check", org=org, year=year, number=values["number"]))
