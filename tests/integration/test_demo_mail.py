"""The demo's review notifications land in the mail catcher (#16).

A fresh demo site has no mail server: submitting an article for review must
still notify the reviewers, kept where the administrator reads them
(Settings → Mail sent by this site), and print no traceback.
"""

import json
import subprocess

import pytest

from tests.server import MASTHEAD

pytestmark = pytest.mark.integration

SUBMIT_AND_READ = """
import json
from django.contrib.auth import get_user_model
from masthead.content.models import ArticlePage
from masthead.core.models import CaughtEmail

editor = get_user_model().objects.get(username="editor")
article = ArticlePage.objects.filter(live=True).order_by("pk").first()
article.save_revision(user=editor)
article.get_workflow().start(article, editor)
print(json.dumps([
    {"to": caught.recipients, "subject": caught.subject, "title": article.title}
    for caught in CaughtEmail.objects.all()
]))
"""


def test_submitting_for_review_in_the_demo_is_caught_for_the_admin(server):
    _, env = server
    env = {key: value for key, value in env.items() if not key.startswith("EMAIL_")}
    result = subprocess.run(
        [MASTHEAD, "shell", "-c", SUBMIT_AND_READ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Traceback" not in result.stderr
    caught = json.loads(result.stdout.strip().splitlines()[-1])
    to_admin = [mail for mail in caught if mail["to"].startswith("admin@")]
    assert to_admin, caught
    assert all(mail["title"] in mail["subject"] for mail in to_admin)
