"""The translation status banner on an article's edit page (#15).

It also lists a translation's captions and alt texts still in its source's
words (content/picture_texts.py).

Its own module, imported by the page models: the status it shows is read
through content/translations.py when the panel is bound, not at import.
"""

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from wagtail.admin.panels import Panel

if TYPE_CHECKING:
    from .picture_texts import PictureText


class TranslationStatusPanel(Panel):
    """A banner on a translation's edit page: source changed, notice prompted."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "content/admin/translation_status_panel.html"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            from .translations import translation_status

            article = self.instance
            self.status = (
                translation_status(article) if getattr(article, "pk", None) else None
            )
            self.pictures: list[PictureText] = []
            if self.status is not None and self.status.sync is not None:
                from .picture_texts import untranslated_pictures

                # Captions and alt text still in the source's words (#15).
                self.pictures = untranslated_pictures(article, self.status.sync.source)

        def is_shown(self) -> bool:
            if self.status is None:
                return False
            return self.status.needs_attention or bool(self.pictures)

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            from .translations import source_diff

            context: dict[str, Any] = super().get_context_data(parent_context)
            if self.status is None:
                return context
            article = self.status.article
            sync = self.status.sync
            stale = sync if sync is not None and sync.is_stale else None
            context.update(
                pictures=self.pictures,
                picture_source=sync.source if sync is not None else None,
                sync=stale,
                diffs=source_diff(stale) if stale is not None else [],
                up_to_date_url=reverse(
                    "content_translation_up_to_date", args=[article.pk]
                ),
                source_edit_url=_edit_url(stale.source_id) if stale else "",
                prompts=[
                    {
                        "prompt": prompt,
                        "dismiss_url": reverse(
                            "content_prompt_dismiss", args=[prompt.pk]
                        ),
                        "source_edit_url": _edit_url(prompt.correction.article_id),
                    }
                    for prompt in self.status.prompts
                ],
            )
            return context


def _edit_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])
