"""Settings → Integrations: screens render, keys show once, "Send test" works."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from masthead.api.models import Integration
from masthead.webhooks import sending
from masthead.webhooks.factories import make_webhook
from masthead.webhooks.models import Delivery, Event, Webhook

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The texts of ``<code>`` elements and the ids of delivery rows."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}
        self.rows: list[str] = []
        self.messages: list[str] = []
        self._code: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "code":
            self._code = found.get("data-key") or (
                "secret" if "data-secret" in found else None
            )
        if tag == "tr" and "data-delivery" in found:
            self.rows.append(found["data-delivery"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code:
            self.codes[self._code] = self.codes.get(self._code, "") + data


def test_list_and_menu_render_for_superuser(admin_client):
    make_webhook("http://hooks.example.com/")
    response = admin_client.get(reverse("webhooks_admin:integrations"))
    assert response.status_code == 200
    (listed,) = response.context["integrations"]
    assert listed.webhook_count == 1
    settings_menu = admin_client.get(reverse("wagtailadmin_home"))
    assert reverse("webhooks_admin:integrations").encode() in settings_menu.content


def test_create_shows_the_keys_once(admin_client):
    response = admin_client.post(
        reverse("webhooks_admin:integration-add"),
        {"name": "Partner app", "scopes": ["articles:write"], "is_active": "on"},
    )
    assert response.status_code == 200
    integration = Integration.objects.get(name="Partner app")
    assert integration.scopes == ["articles:write"]
    codes = Page(response.content.decode()).codes
    assert codes == {
        "content": integration.content_key,
        "admin": integration.admin_key,
    }
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives
    edit = admin_client.get(
        reverse("webhooks_admin:integration", args=[integration.pk])
    )
    assert edit.status_code == 200
    assert integration.admin_secret not in edit.content.decode()


def test_rotate_makes_new_keys(admin_client):
    integration = Integration.objects.create(name="Old")
    before = integration.admin_key
    response = admin_client.post(
        reverse("webhooks_admin:integration-rotate", args=[integration.pk])
    )
    integration.refresh_from_db()
    assert integration.admin_key != before
    assert Page(response.content.decode()).codes["admin"] == integration.admin_key


def test_add_webhook_refuses_non_http_urls(admin_client):
    integration = Integration.objects.create(name="Hooks")
    url = reverse("webhooks_admin:webhook-add", args=[integration.pk])
    response = admin_client.post(
        url, {"event": Event.ARTICLE_PUBLISHED, "target_url": "ftp://example.com/x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["target_url"]
    response = admin_client.post(
        url,
        {
            "event": Event.ARTICLE_PUBLISHED,
            "target_url": "https://hooks.example.com/x",
            "is_active": "on",
        },
    )
    webhook = Webhook.objects.get(integration=integration)
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks_admin:webhook", args=[webhook.pk])


def test_send_test_shows_the_result_and_logs_it(admin_client, receiver):
    webhook = make_webhook(receiver.url + "/in")
    response = admin_client.post(
        reverse("webhooks_admin:webhook-test", args=[webhook.pk]), follow=True
    )
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    assert "HTTP 200" in message
    (delivery,) = Delivery.objects.filter(webhook=webhook)
    assert delivery.event == "ping" and delivery.succeeded
    page = Page(response.content.decode())
    assert page.rows == [str(delivery.pk)]
    assert page.codes["secret"] == webhook.secret
    assert receiver.requests[0].headers["X-Masthead-Event"] == "ping"


def test_send_test_failure_is_shown(admin_client, receiver):
    receiver.statuses = [500]
    webhook = make_webhook(receiver.url)
    response = admin_client.post(
        reverse("webhooks_admin:webhook-test", args=[webhook.pk]), follow=True
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert "HTTP 500" in message
    # A test is one attempt: no retry is queued.
    assert Delivery.objects.filter(webhook=webhook).count() == 1


def test_delete_webhook(admin_client):
    webhook = make_webhook("http://hooks.example.com/")
    response = admin_client.post(
        reverse("webhooks_admin:webhook-delete", args=[webhook.pk])
    )
    assert response.status_code == 302
    assert not Webhook.objects.exists()


def test_staff_without_the_permission_is_refused(client, sign_in_with_code):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    sign_in_with_code(client, user)
    webhook = make_webhook("http://hooks.example.com/")
    for url in (
        reverse("webhooks_admin:integrations"),
        reverse("webhooks_admin:webhook", args=[webhook.pk]),
    ):
        # Wagtail's admin answers a refusal with a redirect to its home.
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    user.user_permissions.add(Permission.objects.get(codename="manage_integrations"))
    user = get_user_model().objects.get(pk=user.pk)
    sign_in_with_code(client, user)
    assert client.get(reverse("webhooks_admin:integrations")).status_code == 200


def test_every_screen_is_well_formed_html(admin_client, receiver):
    import html5lib

    webhook = make_webhook(receiver.url)
    sending.send_test(webhook)
    receiver.statuses = [500]
    sending.send_test(webhook)
    integration = webhook.integration
    urls = [
        reverse("webhooks_admin:integrations"),
        reverse("webhooks_admin:integration-add"),
        reverse("webhooks_admin:integration", args=[integration.pk]),
        reverse("webhooks_admin:webhook-add", args=[integration.pk]),
        reverse("webhooks_admin:webhook", args=[webhook.pk]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html5lib.HTMLParser(strict=True).parse(response.content.decode())
    rows = Page(admin_client.get(urls[-1]).content.decode()).rows
    assert len(rows) == 2


def test_unknown_objects_are_404(admin_client):
    for url in (
        reverse("webhooks_admin:integration", args=[999999]),
        reverse("webhooks_admin:webhook", args=[999999]),
        "/admin/integrations/99999999999999999999/",
        "/admin/integrations/webhooks/99999999999999999999/",
    ):
        assert admin_client.get(url).status_code == 404
