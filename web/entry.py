"""Data entry for clerks (forms, JSON Lines upload) and report issuing for directors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from service.issuing import Signature, issue_report
from service.reporting import ReportInputError
from web.auth import requires
from web.forms import FORM_LIST, FORMS_BY_SLUG, FormInputError, to_command
from web.inspection import REPORT_OPTIONS, runtime
from web.writing import Writer

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
                    return redirect(url_for("entry.fill", org=org, slug=slug))
                errors = outcome.errors
    status = 422 if errors else 200
    return render_template(
        "entry_form.html", org=org, form=form, values=values, errors=errors
    ), status


@bp.route("/o/<org>/entry/upload", methods=["GET", "POST"])
@requires("write")
def upload(org: str) -> Any:
    """A JSON Lines file under the CLI's import rules: all or nothing, errors per line."""
    outcome = None
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            flash(_("Chưa chọn tệp."), "error")
            return render_template("upload.html", org=org, outcome=None), 422
        chunks = iter(lambda: file.stream.read(1 << 20), b"")
        outcome = writer().upload(current_user, chunks, backfill=bool(request.form.get("backfill")))
        if outcome.ok:
            flash(_("Đã nhập tệp."), "success")
        else:
            return render_template("upload.html", org=org, outcome=outcome), 422
    return render_template("upload.html", org=org, outcome=outcome)


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
            with writer().lock:
                content, _details = issue_report(
                    runtime(),
                    values["kind"],
                    org,
                    values["period"],
                    sig,
                    actor=current_user.username,
                    window=values["window"] or "nd09",
                    programme=values["programme"] or None,
                    as_of=values["as_of"] or None,
                    known_by=values["known_by"] or None,
                    recorded_by=values["recorded_by"] or None,
                )
        except ReportInputError as exc:
            name = exc.option.lstrip("-").replace("-", "_").lower()
            errors[name if name in ISSUE_FIELDS else "_"] = str(exc).split(": ", 1)[-1]
        else:
            flash(
                _(
                    "Đã ban hành %(number)s: %(digest)s",
                    number=values["number"],
                    digest=content["digest"],
                ),
                "success",
            )
            year = int(values["signed_on"][:4])
            return redirect(
                url_for("inspection.issued_check", org=org, year=year, number=values["number"])
            )
    return render_template("issue.html", org=org, values=values, errors=errors), (
        422 if errors else 200
    )
