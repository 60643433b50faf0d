"""The mail catcher (#16): what it keeps, and who may read it in the admin."""

from email import message_from_bytes, policy

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings

from masthead.core.email_url import CATCHER_BACKEND, DELIVERY_BACKEND
from masthead.core.models import CaughtEmail
from masthead.newsroom.services import EDITOR

pytestmark = pytest.mark.django_db

CATCHING = override_settings(
    MAILERS={
        "default": {"BACKEND": DELIVERY_BACKEND, "OPTIONS": {"mailer": "delivery"}},
        "delivery": {"BACKEND": CATCHER_BACKEND},
    }
)
HOSTILE_HTML = (
    '<html lang="en"><body><p class="lead">Hello <b>reader</b></p>'
    '<script>parent.document.title = "owned"</script>'
    '<img src="x" onerror="alert(1)" alt="A bridge"></body></html>'
)


def send(subject="Your sign-in link", html=HOSTILE_HTML, to="reader@example.org"):
    message = mail.EmailMultiAlternatives(subject, "Plain words.", to=[to])
    message.attach_alternative(html, "text/html")
    assert message.send() == 1


@CATCHING
def test_the_catcher_keeps_the_whole_message():
    send()
    [caught] = CaughtEmail.objects.all()
    assert (caught.subject, caught.recipients) == (
        "Your sign-in link",
        "reader@example.org",
    )
    raw = bytes(caught.raw)
    message = message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words."
    assert message.get_body(("html",)).get_content().strip() == HOSTILE_HTML
    # As it would go over the wire.
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


# Not pytest-django's ``settings`` fixture inside ``@CATCHING``: its teardown
# would restore the settings as CATCHING left them, for every later test.
@CATCHING
@override_settings(MASTHEAD_EMAIL_CATCHER_KEEP=3)
def test_the_catcher_keeps_only_the_newest():
    for n in range(5):
        send(subject=f"Message {n}")
    assert list(CaughtEmail.objects.values_list("subject", flat=True)) == [
        "Message 4",
        "Message 3",
        "Message 2",
    ]


@pytest.fixture
def caught():
    with CATCHING:
        send()
    return CaughtEmail.objects.get()


@pytest.fixture
def editor_client(client, django_user_model, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    editor = django_user_model.objects.create_user("desk", password="a-long-pass")
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    return client


PAGES = ("/admin/mail/", "/admin/mail/{pk}/", "/admin/mail/{pk}/html/")


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, caught, path):
    response = client.get(path.format(pk=caught.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", PAGES)
def test_an_editor_without_the_permission_is_refused(editor_client, caught, path):
    # Caught mail holds sign-in and reset links: reading it is an admin's.
    assert editor_client.get(path.format(pk=caught.pk)).status_code == 403


def test_the_menu_shows_the_catcher_to_administrators_only(admin_client, editor_client):
    def menu_links(client):
        page = client.get("/admin/")
        return page.content.decode()

    assert "/admin/mail/" in menu_links(admin_client)
    assert "/admin/mail/" not in menu_links(editor_client)


def test_the_listing_shows_recipient_subject_and_time(admin_client, caught):
    response = admin_client.get("/admin/mail/")
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select(
        "table.listing tbody tr"
    )
    [cells] = [[td.get_text(strip=True) for td in row.find_all("td")] for row in rows]
    assert cells[0] == "Your sign-in link"
    assert cells[1] == "reader@example.org"
    assert rows[0].find("time")["datetime"].startswith(str(caught.sent_at.year))


def test_a_message_shows_headers_text_and_sandboxed_html(admin_client, caught):
    response = admin_client.get(f"/admin/mail/{caught.pk}/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    headers = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page.select(".caught-email__headers tr")
    }
    assert headers["To"] == "reader@example.org"
    assert headers["Subject"] == "Your sign-in link"
    assert page.select_one(".caught-email__text pre").get_text() == "Plain words.\n"
    # The HTML is framed from its own URL, in a sandbox with no permissions,
    # and none of its markup is in the admin's page.
    frame = page.select_one("iframe.caught-email__frame")
    # An empty sandbox attribute: no scripts, an opaque origin.
    assert frame.has_attr("sandbox")
    assert not frame["sandbox"]
    assert frame["src"] == f"/admin/mail/{caught.pk}/html/"
    assert page.find("script", string=lambda text: text and "owned" in text) is None
    assert page.find("img", alt="A bridge") is None


def test_the_html_part_is_served_under_a_sandboxing_policy(admin_client, caught):
    response = admin_client.get(f"/admin/mail/{caught.pk}/html/")
    assert response.status_code == 200
    assert response.content.decode().strip() == HOSTILE_HTML
    directives = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert directives["sandbox"] == []  # no allow-scripts, no allow-same-origin
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives
    assert directives["form-action"] == ["'none'"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_an_unknown_message_is_404(admin_client):
    assert admin_client.get("/admin/mail/999999/").status_code == 404
