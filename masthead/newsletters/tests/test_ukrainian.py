"""A Ukrainian-edition newsletter's pages read in Ukrainian (#15, #16)."""

import pytest
from bs4 import BeautifulSoup

from masthead.newsletters.models import Newsletter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/uk/newsletters/", "/uk/newsletters/ranok/"])
def test_sign_up_form_labels_are_in_ukrainian(client, path):
    Newsletter.objects.create(
        slug="ranok", name="Ранок", description="Головне зранку.", language="uk"
    )

    response = client.get(path)

    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html5lib").select_one(
        "main form.newsletter-sign-up"
    )
    assert form is not None
    email = form.select_one("input[type=email][name=email]")
    label = form.select_one(f"label[for={email['id']}]").get_text(strip=True)
    button = form.select_one("button[type=submit]").get_text(strip=True)
    assert label == "Ваша адреса електронної пошти"
    assert button == "Підписатися на розсилку «Ранок»"
    texts = {node.get_text(strip=True) for node in form.find_all(True)}
    assert not texts & {"Your e-mail address", "Sign up to Ранок", "Leave this empty"}
