"""The Flask web application: data entry, inspection, JSON API, in Vietnamese first."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import Babel, get_translations
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect

from projections.halts import ReadModelHalted
from service import logs
from service.accounts import AccountStore, accounts_engine
from service.config import Settings
from service.integrity.alarm import InstallationAlarm
from service.integrity.keyring import KeyringError
from service.runtime import Runtime
from service.worker import read_wait, worker_mode
from web import formatting
from web.auth import Throttle, enforce_idle_timeout, login_manager
from web.cache import keep_page, serve_kept_page
from web.freshness import await_own_writes, forget_writes, hand_back_position
from web.locale import page_language
from web.security import security_headers
from web.sessions import KeptSessionInterface
from web.values import show_value
from web.writing import Writer

csrf = CSRFProtect()
babel = Babel()
HERE = Path(__file__).resolve().parent


class App(Flask):
    """Flask, with each hook's and view's sync check made once (Flask asks `inspect` nine times
    per request, a few percent of a kept page)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Any] = {}

    def ensure_sync(self, func: Any) -> Any:
        """Flask's answer for `func`, kept for the app's hooks and views (few, and living as long
        as the app); a function made per request would fill the memo, so it stops at 1,024."""
        try:
            return self._sync[func]
        except KeyError:
            done = super().ensure_sync(func)
            if len(self._sync) < 1024:
                self._sync[func] = done
            return done
        except TypeError:  # an unhashable callable: not kept
            return super().ensure_sync(func)


def secret_key(settings: Settings) -> str:
    """NGOAIVU_SECRET_KEY, or a key generated once into $NGOAIVU_DATA/secret_key (mode 600)."""
    key = os.environ.get("NGOAIVU_SECRET_KEY")
    if key:
        return key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def configure(app: Flask, test_config: dict[str, Any] | None) -> Settings:
    """Flask config from the environment, then the test's overrides."""
    settings = (test_config or {}).get("NGOAIVU_SETTINGS") or Settings.from_env()
    idle = int(os.environ.get("NGOAIVU_IDLE_MINUTES", "30"))
    app.config.from_mapping(
        SESSION_COOKIE_NAME="ngoaivu_session",
        SESSION_COOKIE_SECURE=os.environ.get("NGOAIVU_COOKIE_SECURE", "1") != "0",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=idle),
        # The cookie is sent again when the session changes (its last-seen time, every 30 s of
        # activity: web.auth.SEEN_RESOLUTION), not signed again on every request.
        SESSION_REFRESH_EACH_REQUEST=False,
        NGOAIVU_IDLE_MINUTES=idle,
        REMEMBER_COOKIE_DURATION=timedelta(0),
        MAX_CONTENT_LENGTH=int(os.environ.get("NGOAIVU_MAX_UPLOAD_MB", "64")) * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(settings)
    return settings


def select_locale() -> str:
    """Vietnamese unless the user chose English."""
    return page_language()


def _translations() -> Any:
    """The request's catalogue, looked up once per request (Flask-Babel looks it up, with the
    locale, at every `_()` of a template)."""
    try:
        return g._ngoaivu_translations
    except AttributeError:
        g._ngoaivu_translations = found = get_translations()
        return found


def fast_gettext(app: Flask) -> None:
    """Templates' `_()` through the request's catalogue."""
    env: Any = app.jinja_env  # the i18n extension adds this method (untyped)
    env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def register_errors(app: Flask) -> None:
    """Error pages in Vietnamese (JSON under /api)."""

    def page(code: int, message: str) -> Any:
        if request.path.startswith("/api/"):
            return jsonify({"error": message}), code
        return render_template("error.html", code=code, message=message), code

    messages = {
        400: "Yêu cầu không hợp lệ.",
        403: "Bạn không có quyền thực hiện thao tác này.",
        404: "Không tìm thấy trang hoặc hồ sơ.",
        405: "Phương thức không được phép.",
        413: "Tệp quá lớn.",
        429: "Quá nhiều yêu cầu.",
        500: "Lỗi máy chủ; thao tác chưa hoàn tất. Vui lòng báo quản trị viên.",
    }
    for code, message in messages.items():
        app.register_error_handler(code, lambda _e, c=code, m=message: page(c, m))

    def halted(exc: ReadModelHalted) -> Any:
        # 503: the department's views are stopped (the store and the other departments are not)
        g.halt_shown = True
        if request.path.startswith("/api/"):
            where = {"org": exc.halt.org, "position": exc.halt.position}
            return jsonify({"error": str(exc), "halted": where}), 503
        return render_template("error.html", code=503, message=str(exc)), 503

    app.register_error_handler(ReadModelHalted, halted)
    app.register_error_handler(
        CSRFError,
        # the library's reason is English and technical: say what to do instead
        lambda e: page(
            400,
            _(
                "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ: hãy tải lại trang, nhập lại "
                "rồi gửi."
            ),
        ),
    )
    # Writes stopped by the alarm (events written outside the application) or by missing chain
    # keys: nothing was stored; the service is unavailable for writing until an administrator
    # acts (`ngoaivu alarm`).
    for error in (InstallationAlarm, KeyringError):
        app.register_error_handler(error, lambda e: page(503, str(e)))


def alarm_banner() -> dict[str, Any]:
    """Every page's `installation_alarm`: the open alarm, shown in a banner (looked up once per
    request, however many templates it renders: a page and its kept main part are two)."""
    if "installation_alarm" not in g:
        runtime = current_app.extensions.get("ngoaivu")
        g.installation_alarm = runtime.alarms.active() if runtime is not None else None
    return {"installation_alarm": g.installation_alarm}


def halt_banner() -> dict[str, Any]:
    """Templates' `halt`: the alarm of the page's department when its read model is halted."""
    org = (request.view_args or {}).get("org")
    if not isinstance(org, str) or g.get("halt_shown") or "ngoaivu" not in current_app.extensions:
        return {"halt": None}
    if "halt_banner" not in g:  # once per request, however many templates it renders
        halt = current_app.extensions["ngoaivu"].halt_of(org)
        g.halt_banner = halt.describe() if halt is not None else None
    return {"halt": g.halt_banner}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application and its service (Runtime) from the environment or `test_config`."""
    app = App(__name__)
    app.session_interface = KeptSessionInterface()
    settings = configure(app, test_config)
    if not app.testing:  # a test's log stays pytest's (caplog)
        logs.configure(settings.data_dir)
    runtime = Runtime(settings)
    # Reads never catch up: a projector worker does, in a thread of this process unless
    # NGOAIVU_WORKER=external (`ngoaivu projections run`, see README "Serving").
    runtime.use_worker((test_config or {}).get("NGOAIVU_WORKER") or worker_mode(), wait=read_wait())
    app.extensions["ngoaivu"] = runtime
    app.extensions["ngoaivu_writer"] = Writer(runtime)
    app.extensions["ngoaivu_accounts"] = AccountStore(accounts_engine(settings))
    app.extensions["ngoaivu_throttle"] = Throttle()
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    fast_gettext(app)
    login_manager.init_app(app)
    formatting.register(app)
    app.add_template_global(show_value, "show_value")
    app.before_request(enforce_idle_timeout)
    app.before_request(await_own_writes)  # this user's last write, before any kept page
    app.before_request(serve_kept_page)  # after the timeout: a logged-out user gets no page
    app.after_request(keep_page)
    app.after_request(hand_back_position)
    app.teardown_request(forget_writes)
    app.after_request(security_headers)
    register_errors(app)
    app.context_processor(alarm_banner)
    app.context_processor(halt_banner)

    from web import admin, api, auth, dashboard, drafts, entry, inspection

    app.register_blueprint(auth.bp)
    app.register_blueprint(inspection.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(entry.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(drafts.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # the API checks CSRF itself for session-authenticated writes
    return app
