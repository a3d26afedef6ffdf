"""The `ngoaivu` command line (click): one group; each job's commands live in their own module.

Layering: the commands parse options, call the service layer and print; `cli.common` turns the
service's errors (which name fields) into messages naming flags and exit codes. Only `cli.serve`
imports `web`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cli import (
    accounts,
    awards,
    backup,
    documents,
    inspection,
    integrity,
    projections,
    records,
    reports,
    serve,
)
from service import logs


@click.group()
def main() -> None:
    """Hồ sơ Sở Ngoại vụ: mọi thay đổi là một sự kiện không thể sửa xóa."""
    logs.configure(Path(os.environ.get("NGOAIVU_DATA") or "./var"))


for command in (
    records.import_cmd,
    records.history_cmd,
    records.search_cmd,
    reports.report_cmd,
    reports.issue_cmd,
    reports.reprint_cmd,
    projections.projections_group,
    inspection.diff_cmd,
    inspection.audit_group,
    integrity.verify_cmd,
    integrity.anchor_cmd,
    integrity.alarm_group,
    integrity.chain_group,
    backup.backup_cmd,
    backup.restore_cmd,
    backup.migrate_cmd,
    awards.awards,
    accounts.user_group,
    serve.serve_cmd,
):
    main.add_command(command)
# `report`/`issue` with KIND document and `--draft`, and the `draft` group (cli/documents.py).
documents.register(main)
