"""``build_message`` (core/email.py, #16), read back from a real SMTP server."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import override_settings

from masthead.core.email import build_message, inline_css, site_context

WELCOME = {
    "welcome_subject.txt": "Welcome to\n{{ site_name }}, {{ name }}\n",
    "welcome.txt": (
        '{% extends "email/base.txt" %}{% block content %}Hello {{ name }},\n\n'
        "Read today's edition: {{ site_url }}today/{% endblock %}"
    ),
    "welcome.html": (
        '{% extends "email/base.html" %}{% block content %}'
        "<h1>Hello {{ name }}</h1>"
        '<img src="https://news.example.org/front.png" alt="Today\'s front page">'
        '<p>Read <a href="{{ site_url }}today/">today\'s edition</a>.</p>'
        "{% endblock %}"
    ),
}


@pytest.fixture
def welcome_templates(tmp_path):
    for name, text in WELCOME.items():
        (tmp_path / name).write_text(text)
    engine = {
        **settings.TEMPLATES[0],
        "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]],
    }
    with override_settings(TEMPLATES=[engine]):
        yield


CONTEXT = {
    "name": "Olena",
    "site_name": "Kyiv Courier",
    "site_url": "https://news.example.org/",
}


def test_a_built_message_arrives_as_text_and_inlined_html(welcome_templates, smtp_mail):
    message = build_message(
        "welcome",
        CONTEXT,
        to=["olena@example.org"],
        reply_to=["desk@news.example.org"],
        headers={"List-Unsubscribe": "<https://news.example.org/unsubscribe/>"},
    )
    assert message.send() == 1

    [received] = smtp_mail.wait_for(1)
    assert received["To"] == "olena@example.org"
    assert received["From"] == settings.DEFAULT_FROM_EMAIL
    assert received["Reply-To"] == "desk@news.example.org"
    assert received["Subject"] == "Welcome to Kyiv Courier, Olena"
    assert received["List-Unsubscribe"] == "<https://news.example.org/unsubscribe/>"
    assert received.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in received.iter_parts()]
    assert parts == ["text/plain", "text/html"]

    text = received.get_body(("plain",)).get_content()
    assert "Hello Olena," in text
    assert "https://news.example.org/today/" in text
    assert "Sent by Kyiv Courier." in text

    html = BeautifulSoup(received.get_body(("html",)).get_content(), "html.parser")
    assert html.html["lang"] == "en"
    assert html.title.get_text() == "Kyiv Courier"
    # Layout tables are announced as such, pictures have their alt text.
    tables = html.find_all("table")
    assert tables
    assert {table.get("role") for table in tables} == {"presentation"}
    assert [img["alt"] for img in html.find_all("img")] == ["Today's front page"]
    links = {a.get_text(strip=True): a["href"] for a in html.find_all("a")}
    assert links["today's edition"] == "https://news.example.org/today/"
    assert links["Kyiv Courier"] == "https://news.example.org/"
    # The rules are on the elements; only the @media rules stay in <style>.
    content = html.find("td", class_="email-content")
    assert "font-family: Arial" in content["style"]
    styles = [style.get_text() for style in html.find_all("style")]
    assert all(text.strip().startswith("@media") for text in styles), styles


def test_inline_css_fetches_no_remote_stylesheet():
    html = (
        '<html><head><link rel="stylesheet" href="https://tracker.example/s.css">'
        "<style>p { color: red }</style></head><body><p>x</p></body></html>"
    )
    assert '<p style="color: red;">x</p>' in inline_css(html)


@pytest.mark.django_db
def test_site_context_names_the_publication():
    assert site_context()["site_name"]


@pytest.mark.django_db
def test_the_site_is_looked_up_when_the_caller_did_not_pass_it(welcome_templates):
    message = build_message("welcome", {"name": "Taras"}, to=["t@example.org"])
    assert message.subject.endswith(", Taras")
    assert site_context()["site_name"] in message.subject
