"""JSON API `/api/v1`: commands (as import lines) and reports, bearer token or session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from projections.queries import find, history
from service.accounts import Account
from service.reporting.requests import ReportInputError
from web.auth import store
from web.bodies import BodyError, loads
from web.inspection import report_content, report_json, runtime
from web.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def api_user() -> Account:
    """The bearer token's account, else the session's; 401 without either."""
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization", "")
    user: Account | None = None
    if header.startswith("Bearer "):
        user = store().by_token(header[7:].strip())
        g.api_token = True
    elif current_user.is_authenticated:
        user = current_user._get_current_object()  # type: ignore[attr-defined]
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            from web import csrf

            try:
                csrf.protect()  # a session-authenticated write needs the X-CSRFToken header
            except CSRFError:
                abort(400)
    if user is None:
        abort(401)
    g.api_user = user
    return user


def readable(org: str) -> Account:
    """The user, when it may read this department (404 otherwise)."""
    user = api_user()
    if not user.sees(org) or not user.can("read", org):
        abort(404)
    return user


@bp.errorhandler(401)
def _unauthorized(_e: Any) -> Any:
    response = jsonify({"error": "cần đăng nhập hoặc mã truy cập (Authorization: Bearer …)"})
    response.headers["WWW-Authenticate"] = "Bearer"
    return response, 401


@bp.route("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3 document, generated from the command schemas."""
    return jsonify(openapi_document())


@bp.route("/me")
def me() -> Any:
    """Who is calling, with their roles."""
    user = api_user()
    return {"username": user.username, "grants": [g.as_dict() for g in user.grants]}


@bp.route("/commands", methods=["POST"])
def command() -> Any:
    """One command, with the same keys as an import line: 201 and its fact id, or 422."""
    user = api_user()
    if not request.is_json:
        return {"errors": {"_": ["thân yêu cầu phải là một đối tượng JSON"]}}, 422
    try:  # not request.get_json: a deep body raised RecursionError through it (500)
        body = loads(request.get_data(cache=False))
    except BodyError as exc:
        return {"errors": {exc.field: [str(exc)]}}, 422
    if not isinstance(body, dict):
        return {"errors": {"_": ["thân yêu cầu phải là một đối tượng JSON"]}}, 422
    org = body.get("org")
    if isinstance(org, str) and not user.sees(org):
        abort(404)
    if isinstance(org, str) and not user.can("write", org):
        abort(403)
    outcome = current_app.extensions["ngoaivu_writer"].command(user, body)
    if not outcome.ok:
        return {"errors": outcome.errors}, 422
    result = outcome.result
    body = {
        "fact_ids": [f for _n, f in result.fact_ids],
        "added": result.added,
        "skipped": result.skipped,
        "position": result.position,
        "recorded_at": result.recorded_at.isoformat(timespec="microseconds")
        if result.recorded_at
        else None,
    }
    if result.behind is not None:  # stored: a success, with the views' lag said
        body["note"] = result.behind
    return body, (201 if result.added else 200)


@bp.route("/orgs/<org>/reports/<kind>")
def report(org: str, kind: str) -> Any:
    """A report under the three cut-offs (query: period, window, programme, as_of, known_by,
    recorded_by)."""
    readable(org)
    options = {k: request.args.get(k, "").strip() for k in request.args}
    options["kind"] = kind
    if not options.get("period"):
        return {"errors": {"period": ["thiếu trường bắt buộc"]}}, 422
    try:
        content = report_content(org, options)
    except ReportInputError as exc:
        return {"errors": {exc.field: [exc.message]}}, 422
    return Response(report_json(content), mimetype="application/json")


@bp.route("/orgs/<org>/documents/<draft>")
def document(org: str, draft: str) -> Any:
    """A composed document (`report document`): the draft's version recorded by T, its sources
    under the three cut-offs (query: as_of, known_by, recorded_by)."""
    from service.reporting.drafting import document_request, run_document

    readable(org)
    options = {k: request.args.get(k, "").strip() or None for k in request.args}
    rt = runtime()
    try:
        content = run_document(
            rt,
            document_request(
                rt,
                org,
                draft,
                as_of=options.get("as_of"),
                known_by=options.get("known_by"),
                recorded_by=options.get("recorded_by"),
            ),
        )
    except ReportInputError as exc:
        return {"errors": {exc.field: [exc.message]}}, 422
    return Response(report_json(content), mimetype="application/json")


@bp.route("/orgs/<org>/history")
def record_history(org: str) -> Any:
    """Every event of one record (`target`), in store order."""
    readable(org)
    target = request.args.get("target", "")
    rt = runtime()
    rt.ready()
    with rt.models.reading() as conn:
        events = history(conn, org, target)
    if not events:
        abort(404)
    return _warned(jsonify(events), org)


def _warned(response: Response, org: str) -> Response:
    """A read of a halted department: what its read model holds, with a Warning header."""
    halt = runtime().halt_of(org)
    if halt is not None:
        note = f"read model of {halt.org} halted at @{halt.position}"
        response.headers["Warning"] = f'199 ngoaivu "{note}"'
    return response


@bp.route("/orgs/<org>/search")
def search(org: str) -> Any:
    """Records matching every word, ignoring case and diacritics."""
    readable(org)
    rt = runtime()
    rt.ready()
    with rt.models.reading() as conn:
        found = find(conn, org, request.args.get("q", ""))
    return _warned(jsonify(found), org)
