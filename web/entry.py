"""Data entry for clerks (forms, JSON Lines upload) and report issuing for directors."""

from __future__ import annotations

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

from service.importing.schemas import SCHEMAS
from service.reporting.issuing import Signature
from service.reporting.requests import ReportInputError
from web import spreadsheets
from web.auth import requires
from web.forms import FORM_LIST, FORMS_BY_SLUG, FormInputError, to_command
from web.inspection import REPORT_OPTIONS
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
    """One form: stored and confirmed, or shown again with the errors beside the fields."""
    form = FORMS_BY_SLUG.get(slug) or abort(404)
    kinds = dict(form.kinds)
    values = {k: v for k, v in request.values.items() if k != "csrf_token"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        kind = values.get("kind", form.kinds[0][0])
        if kind not in kinds:
            errors["kind"] = ["loại không hợp lệ cho biểu mẫu này"]
        else:
            try:
                cmd = to_command(form, kind, org, values)
            except FormInputError as exc:
                errors[exc.name] = [str(exc)]
            else:
                outcome = writer().command(current_user, cmd)
                if outcome.ok and outcome.result is not None:
                    ids = ", ".join(f for _n, f in outcome.result.fact_ids) or "—"
                    if outcome.result.added:
                        flash(_("Đã lưu: %(ids)s", ids=ids), "success")
                    else:
                        flash(_("Bản ghi này đã có, không lưu thêm."), "info")
                    if outcome.result.behind:
                        flash(outcome.result.behind, "info")
                    return redirect(url_for("entry.fill", org=org, slug=slug))
                errors = outcome.errors
    status = 422 if errors else 200
    return render_template(
        "entry_form.html", org=org, form=form, values=values, errors=errors
    ), status


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
        return Outcome(total=len(conversion.errors)), conversion.errors[:100]
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
    """Issue a report under a number, signed (directors and administrators)."""
    values = {k: request.form.get(k, "").strip() for k in ISSUE_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        sig = Signature(
            values["number"],
            values["signed_on"],
            values["signer"],
            values["signer_title"] or None,
            values["signing_form"] or None,
            tuple(r.strip() for r in values["recipients"].split(";") if r.strip()),
        )
        try:
            content, details = writer().issue(
                current_user,
                values["kind"],
                org,
                values["period"],
                sig,
                window=values["window"] or "nd09",
                programme=values["programme"] or None,
                as_of=values["as_of"] or None,
                known_by=values["known_by"] or None,
                recorded_by=values["recorded_by"] or None,
            )
        except ReportInputError as exc:
            errors[exc.field if exc.field in ISSUE_FIELDS else "_"] = exc.message
        else:
            flash(
                _(
                    "Đã ban hành %(number)s: %(digest)s",
                    number=values["number"],
                    digest=content["digest"],
                ),
                "success",
            )
            if details.get("views_behind"):
                flash(details["views_behind"], "info")
            year = int(values["signed_on"][:4])
            return redirect(
                url_for("inspection.issued_check", org=org, year=year, number=values["number"])
            )
    return render_template("issue.html", org=org, values=values, errors=errors), (
        422 if errors else 200
    )
