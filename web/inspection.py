"""Read-only pages: records' timelines, reports under three cut-offs, issued reports, search.

Over 300 lines as one module: one blueprint, a thin view per page (each parses, calls the
service or `service.queries`, renders); splitting it would split the URL map, not a job.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from domain import labels
from domain.canonical import canonical_bytes
from projections.reports import BUILDERS, ReportRequest
from service import queries
from service.reporting.issuing import find_issued, reprint
from service.reporting.requests import ReportInputError, make_request, run_report, vn_today
from service.runtime import Runtime
from web import spreadsheets
from web.auth import check, requires, same_site
from web.cache import cached_report, lru, store_head
from web.describe import cause_words, describe_target, path_words, target_kind_word
from web.forms import as_typed, iso_day
from web.locale import N_

bp = Blueprint("inspection", __name__)
REPORT_OPTIONS = ("kind", "period", "window", "programme", "as_of", "known_by", "recorded_by")


def runtime() -> Runtime:
    """The service of this application."""
    return current_app.extensions["ngoaivu"]


def org_names() -> dict[str, str]:
    """Every registered department's slug and name."""
    return queries.org_names(runtime())


@bp.app_template_global()
def org_name(slug: str) -> str:
    """A department's registered name (its slug when it has none): the names are read once per
    store head (the request has already caught the read models up)."""
    if "org_names" not in g:
        try:
            rt = runtime()
            g.org_names = lru("org_names", 8).get(store_head(rt), lambda: queries.org_names(rt))
        except Exception:  # the read models do not answer (a halt, a lost server): the slug
            g.org_names = {}
    return g.org_names.get(slug, slug)


def my_orgs() -> dict[str, str]:
    """The departments the logged-in user may see, with their names."""
    names = org_names()
    return {slug: name for slug, name in names.items() if current_user.sees(slug)}


@bp.app_context_processor
def _context() -> dict[str, Any]:
    org = (request.view_args or {}).get("org")
    return {
        "current_org": org,
        "report_kinds": list(BUILDERS),
        "nav_html": nav_html,
        "chrome": chrome(),
        "org_name": org_name,
        "describe_target": describe_target,
        "path_words": path_words,
        "cause_words": cause_words,
        "target_kind_word": target_kind_word,
    }


def chrome() -> dict[str, str]:
    """What every page's frame shows that depends only on the language: built once."""
    locale = str(get_locale())

    def build() -> dict[str, str]:
        return {
            "css": url_for("static", filename="app.css"),
            "js": url_for("static", filename="app.js"),
            "icon": url_for("static", filename="favicon.svg"),
            "home": url_for("inspection.home"),
            "logout": url_for("auth.logout"),
            "lang_vi": url_for("inspection.language", code="vi") + "?next=",
            "lang_en": url_for("inspection.language", code="en") + "?next=",
            "brand": _("Hồ sơ Sở Ngoại vụ"),
            "logout_label": _("Đăng xuất"),
            "footer": _("Mọi thay đổi là một sự kiện không thể sửa xóa. Giờ Việt Nam (UTC+07:00)."),
        }

    return lru("chrome", 8).get(locale, build)


def nav_html() -> Markup:
    """The department's links (the same for every user with the same abilities there)."""
    org = (request.view_args or {}).get("org")
    if not org or not current_user.is_authenticated:
        return Markup("")
    abilities = (
        current_user.can("write", org),
        current_user.can("issue", org),
        current_user.can("manage", org),
        any(g.role == "inspector" for g in current_user.grants_in(org)),
    )
    return lru("nav", 512).get(
        (org, *abilities, str(get_locale())),
        lambda: Markup(render_template("_nav.html", current_org=org)),
    )


# A report's list (by its key) → the record kind of its rows, named by their `id`.
ROW_KINDS = {"awards": "award", "proposed": "award", "movements": "movement"}


@bp.app_template_global()
def row_history(key: Any, row: Any) -> str | None:
    """The history page of a report row's record (tasks by programme and number, awards and
    movements by id), or None."""
    org = (request.view_args or {}).get("org")
    if not isinstance(org, str) or not isinstance(row, dict):
        return None
    if key == "tasks" and "no" in row:
        programme = row.get("programme") or g.get("report_programme")
        if not programme:
            return None
        target = f"task:{programme}/{row['no']}"
    elif key in ROW_KINDS and "id" in row:
        target = f"{ROW_KINDS[key]}:{row['id']}"
    else:
        return None
    # A report lists hundreds of rows: the page's address built once per request and department,
    # the target added as url_for adds a query argument (werkzeug.urls._urlencode).
    prefixes = g.setdefault("history_prefixes", {})
    prefix = prefixes.get(org)
    if prefix is None:
        prefix = prefixes[org] = url_for("inspection.record_history", org=org)
    return f"{prefix}?{urlencode({'target': target}, safe=URL_SAFE)}"


URL_SAFE = "!$'()*,/:;?@"  # what url_for leaves unquoted in a query argument


@bp.route("/")
@login_required
def home() -> Any:
    """The user's departments; straight to the dashboard when there is one."""
    orgs = my_orgs()
    if len(orgs) == 1:
        return redirect(url_for("dashboard.show", org=next(iter(orgs))))
    return render_template("home.html", orgs=orgs)


@bp.route("/lang/<code>")
def language(code: str) -> Any:
    """Switch between Vietnamese and English."""
    if code in ("vi", "en"):
        session["lang"] = code
    return redirect(same_site(request.args.get("next", ""), "/"))


@bp.route("/o/<org>/history")
@requires("read")
def record_history(org: str) -> Any:
    """Every version of one record, with its three times, actor, reason and document."""
    target = request.args.get("target", "").strip()
    events: list[dict[str, Any]] = []
    if target:
        events = queries.record_history(runtime(), org, target)
        if not events:
            abort(404)
    crumbs: list[tuple[str, str | None]] = [(_("Tổng quan"), url_for("dashboard.show", org=org))]
    recent: list[tuple[str, str]] = []
    page, pages = 1, 1
    if target:
        crumbs += [
            (_("Lịch sử bản ghi"), url_for("inspection.record_history", org=org)),
            (describe_target(target), None),
        ]
    else:
        from web.pickers import recent_page

        crumbs.append((_("Lịch sử bản ghi"), None))
        # A page of the latest changed records: one indexed grouping, this page's records
        # folded (not the picker's 300).
        recent, page, pages = recent_page(org, page_number())
    return render_template(
        "history.html",
        org=org,
        target=target,
        events=events,
        recent=recent,
        page=page,
        pages=pages,
        crumbs=crumbs,
    )


@bp.route("/o/<org>/search")
@requires("read")
def search(org: str) -> Any:
    """Records whose texts or reasons hold every word, ignoring case and diacritics: filtered by
    kind and dates, sorted, a page at a time."""

    text = request.args.get("q", "").strip()
    args = {k: request.args.get(k, "").strip() for k in ("kind", "from", "to", "sort")}
    found = None
    if text:
        rt = runtime()
        store_head(rt)  # where the read models are (one query): the worker keeps them level
        options = (args["kind"], iso_day(args["from"]), iso_day(args["to"]), args["sort"])
        page = page_number()

        def search_now() -> Any:
            return queries.search_page(
                rt,
                org,
                text,
                kind=options[0],
                since=options[1],
                until=options[2],
                sort=options[3] or "date",
                page=page,
            )

        # Kept until the store moves on: a search asked again (the next page, a filter) is free.
        found = lru("search", 64).get((org, text, options, page, store_head(rt)), search_now)
    return render_template(
        "search.html",
        org=org,
        q=text,
        args=args,
        found=found,
        crumbs=[(_("Tổng quan"), url_for("dashboard.show", org=org)), (_("Tìm kiếm"), None)],
    )


def page_number() -> int:
    """The `page` argument (1 when absent or not a small number)."""
    text = request.args.get("page", "")
    return int(text) if text.isdigit() and len(text) < 6 else 1


def build_report(org: str, options: dict[str, str]) -> dict[str, Any]:
    """A report from the page's options (ReportInputError names the option at fault)."""
    rt = runtime()
    return run_report(rt, page_request(rt, org, options, options.get("recorded_by") or None))


def page_request(
    rt: Runtime, org: str, options: dict[str, str], recorded_by: str | None
) -> ReportRequest:
    """The report request of the page's options, at a recorded-by cut-off."""
    return make_request(
        rt,
        options["kind"],
        org,
        options["period"],
        window=options.get("window") or "nd09",
        programme=options.get("programme") or None,
        as_of=options.get("as_of") or None,
        known_by=options.get("known_by") or None,
        recorded_by=recorded_by,
    )


def report_content(org: str, options: dict[str, str]) -> dict[str, Any]:
    """`build_report`, kept until the store moves on (web.cache)."""
    return cached_report(runtime(), org, options, lambda: build_report(org, options))


def report_json(content: dict[str, Any]) -> bytes:
    """The report's canonical JSON, written once per digest (equal digests: equal content)."""
    return lru("report_json").get(content["digest"], lambda: canonical_bytes(content))


@bp.route("/o/<org>/reports")
@requires("read")
def report(org: str) -> Any:
    """Any report for any period under the three cut-offs, as a page or as JSON."""
    options = {k: request.args.get(k, "").strip() for k in REPORT_OPTIONS}
    for name in ("as_of", "known_by"):  # typed dd/mm/yyyy, read as the store's dates
        options[name] = iso_day(options[name])
    content, error = None, None
    if options["kind"] and options["period"]:
        try:
            content = report_content(org, options)
        except ReportInputError as exc:
            error = exc
    if request.args.get("format") == "json":
        if content is None:
            return {"error": str(error) if error else "cần kind và period"}, 422
        return Response(report_json(content), mimetype="application/json")
    if request.args.get("format") == "xlsx" and content is not None:
        return xlsx_response(spreadsheets.report_workbook(content), report_filename(content))
    if request.args.get("format") in DOCUMENT_FORMATS and content is not None:
        return draft_response(org, options, content, request.args["format"])
    if request.args.get("format") == "html":
        return document_frame(org, options, content, error)
    status = 422 if request.args.get("format") == "xlsx" else 200

    def page() -> Markup:
        if content is not None:
            g.report_programme = (
                content.get("programme") if isinstance(content.get("programme"), str) else None
            )
        return Markup(
            render_template(
                "_report_main.html",
                org=org,
                options=options,
                content=content,
                error=field_error(error) if error else None,
                knowledge=knowledge(org, options, content) if content else None,
            )
        )

    if content is not None and options["known_by"].lower() != "now":
        # What the page shows is the URL (its options), the content (its digest) and the
        # language: kept by these.
        key = (org, request.full_path, content["digest"], str(get_locale()))
        main = lru("report_pages").get(key, page)
    else:
        main = page()
    issue_url = None
    if content is not None and current_user.can("issue", org):
        issue_url = url_for("entry.issue", org=org, **{k: v for k, v in options.items() if v})  # type: ignore[arg-type]
    return render_template("report.html", org=org, main=main, issue_url=issue_url), status


def field_error(exc: ReportInputError) -> tuple[str, str]:
    """A report error as (the field's words, message), without command-line option names; a
    date as the user typed it."""
    name, message = exc.field, as_typed(exc.message, request.args.get(exc.field, ""))
    words = labels.field(name) if name in REPORT_OPTIONS else ""
    if name == "kind":
        words = labels.field("report")
    from web.messages import said

    return words, said(message)


def knowledge(org: str, options: dict[str, str], content: dict[str, Any]) -> dict[str, Any]:
    """Whether the report is as known on its as-of day (or on another day) or as known today,
    and the link that shows it the other way."""
    known = str(content.get("known_by") or "")
    today = vn_today().isoformat()
    as_of = str(content["as_of"])
    is_today = options.get("known_by", "").lower() == "now" or known[:10] >= today
    other = dict(options)
    if is_today:
        other["known_by"] = ""
    else:
        other["known_by"] = "now"
    return {
        "today": is_today,
        "day": known[:10] if not is_today else today,
        "as_of": as_of,
        "same_day": known[:10] == as_of,
        "switch": url_for(
            "inspection.report",
            org=org,
            **{k: v for k, v in other.items() if v},  # type: ignore[arg-type]
        ),
    }


DOCUMENT_FORMATS = ("docx", "pdf")


def draft_response(org: str, options: dict[str, str], content: dict[str, Any], fmt: str) -> Any:
    """The report as the official document (Nghị định 30/2020), unissued: a blank number."""
    from service.reporting.documents import (
        draft,  # renderers load only when a document is asked for
    )

    rt = runtime()
    request_ = page_request(rt, org, options, content["recorded_by"])  # the content shown
    name = report_filename(content).removesuffix(".xlsx") + f".{fmt}"
    return document_response(draft(rt, request_, content, fmt), fmt, name)


def document_frame(
    org: str, options: dict[str, str], content: dict[str, Any] | None, error: Any
) -> Response:
    """The report laid out as the official document, for the frame of the report page: the
    HTML `ngoaivu report --format html` writes (`service.reporting.documents.draft`), kept by
    URL and content."""
    from service.reporting.documents import draft
    from web.drafts import framed, problems_page

    if content is None:
        name, message = field_error(error) if error else ("", _("cần loại báo cáo và kỳ"))
        return problems_page({name or _("Báo cáo"): message})
    rt = runtime()

    def render() -> bytes:
        return draft(rt, page_request(rt, org, options, content["recorded_by"]), content, "html")

    return framed(
        lru("report_documents", 64).get((org, request.full_path, content["digest"]), render)
    )


def document_response(data: bytes, fmt: str, filename: str) -> Response:
    """A DOCX or PDF as a download."""
    from documents.render import MEDIA_TYPES

    safe = "".join(c if c.isalnum() or c in "-._" else "-" for c in filename)
    return Response(
        data,
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


def report_filename(content: dict[str, Any]) -> str:
    """bao-cao-key-tasks-ha-tinh-2020-den-2020-12-11.xlsx"""
    period = str(content["period"]["label"])
    return f"bao-cao-{content['report']}-{content['org']}-{period}-den-{content['as_of']}.xlsx"


def xlsx_response(data: bytes, filename: str) -> Response:
    """A workbook as a download."""
    safe = "".join(c if c.isalnum() or c in "-._" else "-" for c in filename)
    return Response(
        data,
        mimetype=spreadsheets.XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


@bp.route("/o/<org>/issued")
@requires("read")
def issued_list(org: str) -> Any:
    """The department's issued reports."""
    rows = queries.issued_register(runtime(), org)
    if request.args.get("format") == "xlsx":
        register = [
            {
                "number": r.number,
                "year": r.year,
                "kind": r.kind,
                "signed_on": r.signed_on,
                "digest": r.digest,
                "stored_at": f"@{r.pos}",
            }
            for r in rows
        ]
        data = spreadsheets.register_workbook("Văn bản đã ban hành", register)
        return xlsx_response(data, f"van-ban-da-ban-hanh-{org}.xlsx")
    sort = request.args.get("sort", "-signed_on")
    keys = {
        "signed_on": lambda r: (r.signed_on, r.pos),
        "number": lambda r: (r.number, r.year),
        "kind": lambda r: (r.kind, r.signed_on),
        "year": lambda r: (r.year, r.signed_on),
    }
    field = sort.lstrip("-")
    if field in keys:
        rows = sorted(rows, key=keys[field], reverse=sort.startswith("-"))
    size = 25
    pages = max(1, -(-len(rows) // size))
    page = min(page_number(), pages)
    return render_template(
        "issued.html",
        org=org,
        rows=rows[(page - 1) * size : page * size],
        total=len(rows),
        page=page,
        pages=pages,
        sort=sort,
    )


@bp.route("/o/<org>/issued/<int:year>/<path:number>")
@requires("read")
def issued_check(org: str, year: int, number: str) -> Any:
    """Reprint an issued report with its own cut-offs, check its digest, show today's changes."""
    if not 1 <= year <= 9999:  # the URL's int converter takes any length; a store column does not
        abort(404)
    rt = runtime()
    try:
        record = find_issued(rt, org, number, year)
    except ReportInputError:
        abort(404)
    if request.args.get("format") in DOCUMENT_FORMATS:
        from service.reporting.documents import DocumentError, original

        fmt = request.args["format"]
        try:  # the signed document exactly as kept at issue (its SHA-256 is checked)
            data = original(rt, record, fmt)
        except DocumentError:
            abort(404)
        return document_response(data, fmt, f"{record.number}-{record.year}.{fmt}")
    content, matches = reprint(rt, record)
    from service.reporting.diffing import diff_issued

    diff = diff_issued(rt, org, number, year)
    return render_template(
        "issued_check.html",
        crumbs=[
            (_("Văn bản đã ban hành"), url_for("inspection.issued_list", org=org)),
            (record.number, None),
        ],
        org=org,
        record=record,
        details=record.details,
        content=content,
        matches=matches,
        diff=diff,
    )


# The read models in the inspector's words (the command line names the tables themselves).
READ_MODEL_WORDS = {
    "rm_facts": N_("các sự kiện đã chiếu"),
    "rm_task_versions": N_("phiên bản nhiệm vụ"),
    "rm_fa_versions": N_("phiên bản hoạt động đối ngoại"),
    "rm_fa_counts": N_("số liệu hoạt động hằng tháng"),
    "rm_fa_details": N_("số liệu chi tiết hằng tháng"),
    "rm_award_versions": N_("phiên bản hồ sơ khen thưởng"),
    "rm_search": N_("chỉ mục tìm kiếm"),
    "rm_issued": N_("danh sách báo cáo đã ban hành"),
    "rm_halts": N_("các điểm dừng chiếu"),
    "rm_tracking": N_("vị trí đã chiếu"),
}


def _records_of(differences: list[Any]) -> list[str]:
    """The records of differing read-model rows, in words, each once."""
    found: dict[str, None] = {}
    for difference in differences:
        row = difference.kept if difference.kept is not None else difference.derived
        if row.get("target"):
            found[describe_target(row["target"])] = None
    return list(found)


# One whole rebuild at a time per process: each takes minutes and a copy as large as the models.
_comparing = threading.Lock()


@bp.route("/o/<org>/verify")
@requires("read")
def verify(org: str) -> Any:
    """The same verification as `ngoaivu verify`, for this department's issued reports: the
    hash chain recomputed, its head and this department's, each issued report reprinted and the
    DOCX/PDF kept for it re-hashed; with `?read_models=1` (`verify --read-models`; inspectors
    and administrators, one at a time), this department's read-model rows compared with a copy
    rebuilt from the events, each differing table named in words."""
    from service.integrity.read_models import SHOWN
    from service.integrity.verification import verify_installation

    rt = runtime()
    rt.alarms.check()  # links nothing: an unlinked event raises the alarm and is named below
    compare = request.args.get("read_models") == "1"
    if compare:
        check("inspect", org)
    busy = compare and not _comparing.acquire(blocking=False)
    try:
        found = verify_installation(rt, org=org, read_models=compare and not busy)
    finally:
        if compare and not busy:
            _comparing.release()
    problems, tables = found.problems, []
    if found.read_models is not None and not found.read_models.equal:
        problems = problems[: len(problems) - len(found.read_models.problems())]
        tables = [
            (
                _(READ_MODEL_WORDS.get(t.table, t.table)),
                len(t.differences),
                t.more,
                _records_of(t.differences[:SHOWN]),
            )
            for t in found.read_models.compared
            if t.differences or t.more
        ]
    return render_template(
        "verify.html",
        org=org,
        found=found,
        problems=problems,
        tables=tables,
        busy=busy,
        moving=found.moving,
        check=found.check,
        org_head=found.check.heads.get(org),
    )
