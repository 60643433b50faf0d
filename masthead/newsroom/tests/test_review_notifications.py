"""Review notifications go out (#16): through real SMTP, to the catcher, or not
at all when the server is down, and the submission stands either way."""

import logging

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import override_settings
from wagtail.models import WorkflowState

from masthead.content.factories import edit_form_data, make_article, make_section
from masthead.core.email_url import CATCHER_BACKEND, DELIVERY_BACKEND
from masthead.core.models import CaughtEmail
from masthead.core.tests.smtp import SMTP_BACKEND, free_port
from masthead.newsroom.services import CONTRIBUTOR, EDITOR

pytestmark = pytest.mark.django_db

DELIVERING = {"BACKEND": DELIVERY_BACKEND, "OPTIONS": {"mailer": "delivery"}}


@pytest.fixture
def desk(django_user_model, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    section = make_section("News", "news")
    people = {}
    for name, role in (("writer", CONTRIBUTOR), ("reviewer", EDITOR)):
        user = django_user_model.objects.create_user(
            name, email=f"{name}@newsroom.example", password="a-long-pass-phrase"
        )
        user.groups.add(Group.objects.get(name=role))
        people[name] = user
    draft = make_article(
        section, publish=False, title="Bridge reopens", owner=people["writer"]
    )
    return draft, people


def submit_for_review(client, draft, writer):
    client.force_login(writer)
    response = client.post(
        f"/admin/pages/{draft.pk}/edit/", edit_form_data(draft, "action-submit")
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_submitting_for_review_emails_the_reviewers_over_smtp(
    client, desk, smtp_mail, settings
):
    draft, people = desk
    submit_for_review(client, draft, people["writer"])

    [message] = smtp_mail.wait_for(1)
    # The envelope and the headers: to the reviewer, never to the writer.
    assert message["X-RcptTo"] == "reviewer@newsroom.example"
    assert message["To"] == "reviewer@newsroom.example"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Auto-Submitted"] == "auto-generated"
    assert "Bridge reopens" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    edit_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{draft.pk}/edit/"
    assert "Bridge reopens" in text
    assert edit_url in text
    links = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert edit_url in links


def test_with_no_mail_server_the_reviewers_notice_is_caught(client, desk):
    draft, people = desk
    with override_settings(
        MAILERS={"default": DELIVERING, "delivery": {"BACKEND": CATCHER_BACKEND}}
    ):
        submit_for_review(client, draft, people["writer"])

    [caught] = CaughtEmail.objects.all()
    assert caught.recipients == "reviewer@newsroom.example"
    assert "Bridge reopens" in caught.subject
    assert b"multipart/alternative" in bytes(caught.raw)


def test_a_mail_server_that_is_down_costs_one_log_line_not_the_review(
    client, desk, caplog
):
    draft, people = desk
    # A port nothing listens on: the connection is refused.
    closed = {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
    }
    with (
        override_settings(MAILERS={"default": DELIVERING, "delivery": closed}),
        caplog.at_level(logging.INFO),
    ):
        submit_for_review(client, draft, people["writer"])

    assert [r for r in caplog.records if r.exc_info] == []
    failures = [r for r in caplog.records if r.name == "masthead.mail"]
    assert len(failures) == 1
    line = failures[0].getMessage()
    assert failures[0].levelno == logging.ERROR
    assert "\n" not in line
    assert "Bridge reopens" in line
    assert "ConnectionRefusedError" in line
