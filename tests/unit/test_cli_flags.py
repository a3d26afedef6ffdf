"""The CLI says the service's field names as its own flags and arguments (cli.common.flag)."""

from __future__ import annotations

import click

from cli.common import flag


def test_a_field_is_the_running_commands_option() -> None:
    issue = click.Command(
        "issue", params=[click.Option(["--number"]), click.Option(["--signed-on", "signed_on"])]
    )
    with click.Context(issue):
        assert flag("number") == "--number"
        assert flag("signed_on") == "--signed-on"


def test_without_such_an_option_it_is_the_argument_or_the_flag_by_its_name() -> None:
    reprint = click.Command("reprint", params=[click.Argument(["org"]), click.Argument(["number"])])
    with click.Context(reprint):
        assert flag("number") == "NUMBER"
        assert flag("kind") == "KIND"
        assert flag("org") == "--org"  # as before the move: a department is named --org
        assert flag("known_by") == "--known-by"
    assert flag("recorded_by") == "--recorded-by"  # outside any command


def test_a_flag_is_said_as_it_is() -> None:
    assert flag("--draft") == "--draft"
