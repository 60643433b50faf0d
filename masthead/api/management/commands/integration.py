"""``masthead integration create NAME``: an integration and its keys (docs/api.md)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.api.models import ALL_SCOPES, Integration
from masthead.api.services import create_integration


class Command(BaseCommand):
    help = "Create, list, rotate or revoke API integrations and their keys."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new integration; prints its keys")
        create.add_argument("name")
        create.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=ALL_SCOPES,
            help="an Admin API scope (repeat); all of them when none is given",
        )
        create.add_argument("--description", default="")
        actions.add_parser("list", help="the integrations and their scopes")
        for name, text in (("rotate", "new keys"), ("revoke", "stop its keys")):
            action = actions.add_parser(name, help=text)
            action.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            try:
                integration = create_integration(
                    options["name"],
                    scopes=options["scopes"],
                    description=options["description"],
                )
            except (ValidationError, ValueError) as error:
                raise CommandError(_message(error)) from error
            self._print_keys(integration)
        elif action == "list":
            for integration in Integration.objects.all():
                state = "active" if integration.is_active else "revoked"
                scopes = ", ".join(integration.scopes) or "read only"
                self.stdout.write(f"{integration.name}\t{state}\t{scopes}")
        else:
            integration = self._get(options["name"])
            if action == "rotate":
                integration.rotate_keys()
                integration.save()
                self._print_keys(integration)
            else:
                integration.is_active = False
                integration.save(update_fields=["is_active"])
                self.stdout.write(f"Revoked {integration.name}.")

    def _get(self, name: str) -> Integration:
        try:
            return Integration.objects.get(name=name)
        except Integration.DoesNotExist:
            raise CommandError(f"No integration named {name!r}.") from None

    def _print_keys(self, integration: Integration) -> None:
        self.stdout.write(f"Integration: {integration.name}")
        self.stdout.write(f"Content API key: {integration.content_key}")
        self.stdout.write(f"Admin API key: {integration.admin_key}")


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return str(error)
