"""`ngoaivu user …`: accounts and their roles per department."""

from __future__ import annotations

import secrets
import sys
from typing import TYPE_CHECKING

import click

from cli.common import BadInput, guarded
from service.config import Settings

if TYPE_CHECKING:
    from service.accounts import AccountStore


def _store() -> AccountStore:
    from service.accounts import AccountStore, accounts_engine

    return AccountStore(accounts_engine(Settings.from_env()))


def _password(from_stdin: bool, generate: bool) -> tuple[str, bool]:
    """The password from stdin, generated (printed once), or asked twice at the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if generate:
        return secrets.token_urlsafe(12), True
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True), False


def _registered(orgs: list[str]) -> None:
    """Each department of a grant must be registered (org.registered): a typo grants nothing."""
    if not orgs:
        return
    from service.reporting.requests import ReportInputError, require_org
    from service.runtime import Runtime

    with Runtime() as rt:
        rt.catch_up()
        for org in orgs:
            try:
                require_org(rt, org)
            except ReportInputError as exc:
                raise BadInput(f"--org: {exc.message}") from None


@click.group("user")
def user_group() -> None:
    """Người dùng và vai trò theo sở (admin, clerk, director, inspector)."""


@user_group.command("add")
@click.argument("username")
@click.option(
    "--org", "orgs", multiple=True, required=True, help="Mã sở; '*' cho thanh tra mọi sở."
)
@click.option(
    "--role", required=True, type=click.Choice(["admin", "clerk", "director", "inspector"])
)
@click.option("--unit", "units", multiple=True, help="Giới hạn cán bộ nhập liệu theo đơn vị.")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của stdin.")
@click.option("--generate-password", is_flag=True, help="Sinh mật khẩu và in ra một lần.")
@guarded
def add_cmd(
    username: str,
    orgs: tuple[str, ...],
    role: str,
    units: tuple[str, ...],
    password_stdin: bool,
    generate_password: bool,
) -> None:
    """Tạo người dùng USERNAME với vai trò ở một hoặc nhiều sở."""
    from service.accounts import AccountError, check_grant

    try:
        grants = [check_grant(org, role, units) for org in orgs]
        _registered([org for org in orgs if org != "*"])
        password, generated = _password(password_stdin, generate_password)
        _store().add(username, password, grants)
    except AccountError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"đã tạo {username}: {role} tại {', '.join(orgs)}")
    if generated:
        click.echo(f"mật khẩu (chỉ in một lần): {password}")


@user_group.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của stdin.")
@guarded
def passwd_cmd(username: str, password_stdin: bool) -> None:
    """Đặt mật khẩu mới cho USERNAME (mọi phiên đăng nhập của người đó kết thúc)."""
    from service.accounts import AccountError

    try:
        password, _ = _password(password_stdin, False)
        _store().set_password(username, password)
    except AccountError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"đã đổi mật khẩu của {username}")


@user_group.command("roles")
@click.argument("username")
@click.option(
    "--org", "orgs", multiple=True, required=True, help="Mã sở; '*' cho thanh tra mọi sở."
)
@click.option(
    "--role", required=True, type=click.Choice(["admin", "clerk", "director", "inspector"])
)
@click.option("--unit", "units", multiple=True, help="Giới hạn cán bộ nhập liệu theo đơn vị.")
@guarded
def roles_cmd(username: str, orgs: tuple[str, ...], role: str, units: tuple[str, ...]) -> None:
    """Đặt lại vai trò của USERNAME (thay mọi vai trò cũ); mọi phiên đăng nhập kết thúc."""
    from service.accounts import AccountError, check_grant

    try:
        _store().set_grants(username, [check_grant(org, role, units) for org in orgs])
    except AccountError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"đã đặt vai trò của {username}: {role} tại {', '.join(orgs)}")


@user_group.command("disable")
@click.argument("username")
@guarded
def disable_cmd(username: str) -> None:
    """Khóa tài khoản USERNAME (phiên và mã truy cập API hết hiệu lực)."""
    from service.accounts import AccountError

    try:
        _store().set_active(username, False)
    except AccountError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"đã khóa {username}")


@user_group.command("token")
@click.argument("username")
@guarded
def token_cmd(username: str) -> None:
    """Cấp mã truy cập API mới cho USERNAME (in một lần; mã cũ mất hiệu lực)."""
    from service.accounts import AccountError

    try:
        click.echo(_store().new_token(username))
    except AccountError as exc:
        raise BadInput(str(exc)) from None


@user_group.command("list")
@guarded
def list_cmd() -> None:
    """Danh sách người dùng và vai trò."""
    for account in _store().all():
        grants = ", ".join(
            f"{g.role}@{g.org}" + (f"[{'|'.join(g.units)}]" if g.units else "")
            for g in account.grants
        )
        state = "" if account.active else " (đã khóa)"
        click.echo(f"{account.username}{state}: {grants}")
