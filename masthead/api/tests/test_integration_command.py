import re

import pytest
from django.core.management import CommandError, call_command

from masthead.api.models import ALL_SCOPES, Integration

pytestmark = pytest.mark.django_db


def test_create_prints_keys_in_ghost_formats(capsys):
    call_command("integration", "create", "Wire desk")
    out = capsys.readouterr().out
    content = re.search(r"Content API key: (\S+)", out)
    admin = re.search(r"Admin API key: (\S+)", out)
    assert content and re.fullmatch(r"[0-9a-f]{26}", content.group(1))
    assert admin and re.fullmatch(r"[0-9a-f]{24}:[0-9a-f]{64}", admin.group(1))
    integration = Integration.objects.get(name="Wire desk")
    assert integration.content_key == content.group(1)
    assert integration.admin_key == admin.group(1)
    assert integration.scopes == ALL_SCOPES


def test_create_with_chosen_scopes_and_refuses_a_duplicate_name():
    call_command("integration", "create", "Reader app", "--scope", "images:write")
    assert Integration.objects.get(name="Reader app").scopes == ["images:write"]
    with pytest.raises(CommandError, match="name"):
        call_command("integration", "create", "Reader app")
    assert Integration.objects.count() == 1


def test_rotate_replaces_keys_and_revoke_deactivates(capsys):
    call_command("integration", "create", "Bot")
    before = Integration.objects.get(name="Bot")
    call_command("integration", "rotate", "Bot")
    after = Integration.objects.get(name="Bot")
    assert after.content_key != before.content_key
    assert after.admin_secret != before.admin_secret
    call_command("integration", "revoke", "Bot")
    assert not Integration.objects.get(name="Bot").is_active
    with pytest.raises(CommandError, match="No integration"):
        call_command("integration", "revoke", "Nobody")
