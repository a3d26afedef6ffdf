"""Accounts in the UI: administrators create users, set roles, units, names and titles, reset
passwords and disable accounts; every change is logged, and inspectors read the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from domain.times import VN
from service.accounts import ROLES, AccountError, AccountStore, Grant, check_grant
from web.auth import requires, store
from web.messages import said

bp = Blueprint("admin", __name__)
PAGE_SIZE = 50


def can_read_log(org: str) -> bool:
    """Administrators and inspectors of the department read the account log."""
    return current_user.can("manage", org) or any(
        g.role == "inspector" for g in current_user.grants_in(org)
    )


def members(accounts: AccountStore, org: str) -> list[dict[str, Any]]:
    """The department's users: name, full name, title, roles there, enabled."""
    out = []
    for account in accounts.all():
        here = [g for g in account.grants if g.org == org]
        if not here:
            continue
        full_name, title = accounts.profile(account.username)
        out.append(
            {
                "username": account.username,
                "full_name": full_name,
                "title": title,
                "grants": here,
                "active": account.active,
            }
        )
    return out


def units_of(text: str) -> tuple[str, ...]:
    """Units typed one per line or separated by ';'."""
    parts = text.replace(";", "\n").splitlines()
    return tuple(u.strip() for u in parts if u.strip())


@bp.route("/o/<org>/accounts", methods=["GET", "POST"])
@requires("manage")
def index(org: str) -> Any:
    """The department's users and a form to create one."""
    accounts = store()
    values = {k: request.form.get(k, "").strip() for k in FIELDS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = problems(values, new=True)
        if not errors:
            try:
                grant = check_grant(org, values["role"], units_of(values["units"]))
                accounts.add(
                    values["username"],
                    request.form.get("password", ""),
                    [grant],
                    current_user.username,
                )
                accounts.set_profile(
                    values["username"],
                    values["full_name"] or None,
                    values["title"] or None,
                    current_user.username,
                )
            except AccountError as exc:
                errors[error_field(str(exc))] = said(str(exc))
            else:
                flash(_("Đã tạo tài khoản %(u)s.", u=values["username"]), "success")
                return redirect(url_for("admin.index", org=org))
    return render_template(
        "accounts.html",
        org=org,
        users=members(accounts, org),
        values=values,
        errors=errors,
        roles=ROLES,
        crumbs=[(_("Tổng quan"), url_for("dashboard.show", org=org)), (_("Tài khoản"), None)],
    ), (422 if errors else 200)


FIELDS = ("username", "full_name", "title", "role", "units")


def problems(values: dict[str, str], new: bool) -> dict[str, str]:
    """Every problem of the account form at once."""
    errors = {}
    if new and not values["username"]:
        errors["username"] = _("thiếu trường bắt buộc")
    if values.get("role") not in ROLES:
        errors["role"] = _("chọn một vai trò")
    if new and len(request.form.get("password", "")) < 10:
        errors["password"] = _("mật khẩu phải có ít nhất 10 ký tự")
    return errors


def error_field(message: str) -> str:
    """The form field an AccountError is about."""
    if "mật khẩu" in message:
        return "password"
    if "đơn vị" in message:
        return "units"
    if "vai trò" in message:
        return "role"
    return "username"


@bp.route("/o/<org>/accounts/<username>", methods=["GET", "POST"])
@requires("manage")
def edit(org: str, username: str) -> Any:
    """One user: name and title, role and units here, a new password, disable or enable."""
    accounts = store()
    account = accounts.get(username)
    if account is None or not any(g.org == org for g in account.grants):
        abort(404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.form.get("action", "")
        try:
            done = apply(accounts, org, username, account.grants, action, errors)
        except AccountError as exc:
            errors[error_field(str(exc))] = said(str(exc))
            done = None
        if done:
            flash(done, "success")
            return redirect(url_for("admin.edit", org=org, username=username))
    full_name, title = accounts.profile(username)
    here = next((g for g in account.grants if g.org == org), None)
    values = {
        "full_name": request.form.get("full_name", full_name or ""),
        "title": request.form.get("title", title or ""),
        "role": request.form.get("role", here.role if here else ""),
        "units": request.form.get("units", "\n".join(here.units) if here else ""),
    }
    return render_template(
        "account.html",
        org=org,
        user=account,
        values=values,
        errors=errors,
        roles=ROLES,
        itself=username == current_user.username,
        crumbs=[
            (_("Tổng quan"), url_for("dashboard.show", org=org)),
            (_("Tài khoản"), url_for("admin.index", org=org)),
            (username, None),
        ],
    ), (422 if errors else 200)


def apply(
    accounts: AccountStore,
    org: str,
    username: str,
    grants: list[Grant],
    action: str,
    errors: dict[str, str],
) -> str | None:
    """One change of the edit page; its success message, or None (errors filled)."""
    actor = current_user.username
    if action == "profile":
        accounts.set_profile(
            username,
            request.form.get("full_name", "").strip() or None,
            request.form.get("title", "").strip() or None,
            actor,
        )
        return _("Đã lưu họ tên, chức vụ.")
    if action == "roles":
        role = request.form.get("role", "")
        if role not in ROLES:
            errors["role"] = _("chọn một vai trò")
            return None
        grant = check_grant(org, role, units_of(request.form.get("units", "")))
        others = [g for g in grants if g.org != org]  # roles elsewhere stay as they are
        accounts.set_grants(username, [*others, grant], actor)
        return _("Đã đặt vai trò, đơn vị; các phiên của người dùng đã kết thúc.")
    if action == "password":
        password = request.form.get("password", "")
        if password != request.form.get("password2", ""):
            errors["password"] = _("hai lần nhập mật khẩu không khớp")
            return None
        accounts.set_password(username, password, actor)
        return _("Đã đặt lại mật khẩu; các phiên của người dùng đã kết thúc.")
    if action in ("disable", "enable"):
        if username == actor:
            errors["_"] = _("không tự khóa tài khoản của mình")
            return None
        accounts.set_active(username, action == "enable", actor)
        return _("Đã khóa tài khoản.") if action == "disable" else _("Đã mở lại tài khoản.")
    abort(400)


@bp.route("/o/<org>/accounts/log")
@requires("read")
def log(org: str) -> Any:
    """Every account change, who made it and when (administrators and inspectors)."""
    if not can_read_log(org):
        abort(403)
    text = request.args.get("page", "")
    page = int(text) if text.isdigit() and len(text) < 6 else 1
    entries, total = store().log(PAGE_SIZE, (page - 1) * PAGE_SIZE)
    for entry in entries:
        entry["at"] = datetime.fromtimestamp(entry["at_us"] / 1e6, VN).isoformat()
    return render_template(
        "account_log.html",
        org=org,
        entries=entries,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
        crumbs=[
            (_("Tổng quan"), url_for("dashboard.show", org=org)),
            (_("Nhật ký tài khoản"), None),
        ],
    )
