"""The Ukrainian edition's membership page reads in Ukrainian (#15, #17)."""

import pytest

from .shown import main, text, tier

pytestmark = pytest.mark.django_db


def test_membership_page_labels_are_in_ukrainian(client, settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    tier("pryhylnyk", 500, 5000, name="Прихильник", benefits="Щомісячний лист")

    response = client.get("/uk/membership/")

    assert response.status_code == 200
    page = main(response)
    section = page.select_one("#tier-pryhylnyk").find_parent("section")
    links = [text(a) for a in section.select(".memberships-actions a")]
    prices = [text(item) for item in section.select(".memberships-prices li")]
    headings = [text(h) for h in section.select("h3")]
    donate = text(page.select_one("section.memberships-donate h2"))
    assert [text(h) for h in page.select("h1")] == ["Членство"]
    assert links == [
        "Приєднатися до рівня «Прихильник»",
        "Подарувати членство «Прихильник»",
    ]
    # text() folds the no-break spaces into plain ones.
    assert prices == ["5,00 € на місяць", "50,00 € на рік"]
    assert headings == ["Переваги", "Ціна"]
    assert donate == "Зробити пожертву"
    assert [text(note) for note in page.select("[role=note]")] == [
        "Платежі на цьому сайті демонстраційні: справжні гроші не списуються "
        "й нікуди не переказуються."
    ]
    shown = text(page)
    for english in (
        "Join",
        "as a gift",
        "a month",
        "a year",
        "Make a donation",
        "Benefits",
        "no money moves",
    ):
        assert english not in shown
