"""Log in and out; who may see which department and do what (403 or 404)."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user

from service.accounts import AccountStore
from web.users import User

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)
SEEN_RESOLUTION = 30  # seconds: how often an active session's last-seen time is written
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập."
login_manager.session_protection = "strong"


class Throttle:
    """Failed logins per (IP, username) and per IP in a sliding window, in this process only.

    Several gunicorn workers each keep their own counts: the limit is per worker (documented).
    """

    def __init__(self, per_user: int = 5, per_ip: int = 30, window: float = 900.0) -> None:
        self.per_user, self.per_ip, self.window = per_user, per_ip, window
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, ip: str, username: str) -> bool:
        """Too many recent failures for this name from this address, or from this address."""
        now = time.monotonic()
        with self.lock:
            return (
                len(self._recent((ip, username.casefold()), now)) >= self.per_user
                or len(self._recent((ip, ""), now)) >= self.per_ip
            )

    def failed(self, ip: str, username: str) -> None:
        """Count one failure."""
        now = time.monotonic()
        with self.lock:
            self.failures[(ip, username.casefold())].append(now)
            self.failures[(ip, "")].append(now)

    def succeeded(self, ip: str, username: str) -> None:
        """A good password clears the name's count from this address."""
        with self.lock:
            self.failures.pop((ip, username.casefold()), None)


def store() -> AccountStore:
    """The accounts of this installation."""
    return current_app.extensions["ngoaivu_accounts"]


SESSION_VERSION = "sv"  # the account's session number when this session logged in


@login_manager.user_loader
def _load(username: str) -> User | None:
    """The session's account, unless the session was ended since (logout anywhere, a new
    password, disabled, new roles: each moves the account's number) or the account is off."""
    account = store().get(username)
    if account is None or not account.active:
        return None
    if session.get(SESSION_VERSION) != account.session_version:
        return None
    return User.of(account)


def same_site(target: str, default: str) -> str:
    """`target` when it is a path of this site, else `default`.

    Browsers drop tabs and line breaks anywhere in a URL and read `\\` as `/`, so
    `/<tab>/evil.example` or `/\\evil.example` lead off the site; a line break in a Location
    header is refused by Werkzeug (a 500). Any such character refuses the target."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(c.isspace() or not c.isprintable() for c in target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The login form: one message whatever was wrong (no user enumeration)."""
    if request.method == "GET":
        return render_template("login.html", username="")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    ip = request.remote_addr or "?"
    throttle: Throttle = current_app.extensions["ngoaivu_throttle"]
    if throttle.blocked(ip, username):
        flash(_("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau ít phút."), "error")
        return render_template("login.html", username=username), 429
    account = store().authenticate(username, password)
    if account is None:
        throttle.failed(ip, username)
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
        return render_template("login.html", username=username), 401
    throttle.succeeded(ip, username)
    session.clear()
    login_user(User.of(account))
    session.permanent = True
    session["seen"] = time.time()
    session[SESSION_VERSION] = account.session_version
    return redirect(same_site(request.args.get("next", ""), url_for("inspection.home")))


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """End every session of the account (a cookie kept from before no longer opens one)."""
    if current_user.is_authenticated:
        store().end_sessions(current_user.username)
    logout_user()
    session.clear()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


def enforce_idle_timeout() -> None:
    """Log out a session left idle longer than the configured timeout."""
    if not current_user.is_authenticated or g.get("api_token"):
        return
    now = time.time()
    idle = current_app.config["NGOAIVU_IDLE_MINUTES"] * 60
    seen = session.get("seen", 0)
    if now - seen > idle:
        logout_user()
        session.clear()
        flash(_("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."), "info")
        return
    if now - seen >= SEEN_RESOLUTION:  # the cookie is signed again only when this moves
        session["seen"] = now


def requires(ability: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view of one department (`org` in the URL): 404 if it is not the user's, 403 if the
    user's role there does not allow `ability`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            check(ability, kwargs["org"])
            return view(*args, **kwargs)

        return wrapper

    return decorate


def check(ability: str, org: str) -> None:
    """Abort with 404 (not one of the user's departments) or 403 (role does not allow it)."""
    if not current_user.sees(org):
        abort(404)
    if not current_user.can(ability, org):
        abort(403)
