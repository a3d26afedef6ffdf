"""`ngoaivu serve`: the web application (the only command that imports `web`)."""

from __future__ import annotations

import click

from cli.common import guarded


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@guarded
def serve_cmd(host: str, port: int) -> None:
    """Chạy ứng dụng web (máy chủ phát triển của Flask; dùng gunicorn khi vận hành thật)."""
    import os

    from web import create_app

    if host in ("127.0.0.1", "localhost", "::1"):
        # Plain HTTP on the loopback only (development): the session cookie cannot be Secure.
        os.environ.setdefault("NGOAIVU_COOKIE_SECURE", "0")
    app = create_app()
    click.echo(f"Ứng dụng web: http://{host}:{port}/login", err=True)
    app.run(host=host, port=port, threaded=True, use_reloader=False)
