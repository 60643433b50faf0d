"""Wagtail's app configurations without the v3 API (issue #5).

In Wagtail 8 the ``ready()`` of images, documents, snippets, redirects and locales
imports the v3 API (django-ninja, pydantic, a schema per model) to register
its routers, and the redirects app its v2 API too: 35 MB at start-up, and
still about 10 MB per process once the first page has loaded Wagtail's hooks,
for an API that Masthead neither installs (``wagtail.api.v3`` is not an app)
nor routes. Each ``ready()`` below is Wagtail's own less those registrations;
``test_wagtail_apps`` fails when Wagtail's changes, so an upgrade reviews it.
"""

from django.db.models import ForeignKey
from django.db.models.signals import post_migrate
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.locales.apps import WagtailLocalesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig


class ImagesConfig(WagtailImagesAppConfig):
    def ready(self) -> None:
        from wagtail.images import get_image_model, get_permission_policy
        from wagtail.permissions import register_permission_policy

        Image = get_image_model()
        register_permission_policy(Image, get_permission_policy())

        from wagtail.images.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.images.widgets import AdminImageChooser

        register_form_field_override(
            ForeignKey, to=Image, override={"widget": AdminImageChooser}
        )

        from wagtail.admin.compare import register_comparison_class
        from wagtail.images.edit_handlers import ImageFieldComparison

        register_comparison_class(
            ForeignKey, to=Image, comparison_class=ImageFieldComparison
        )

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.images.components import ImageDisplay

        register_display_class(ForeignKey, to=Image, display_class=ImageDisplay)

        from wagtail.models.reference_index import ReferenceIndex

        ReferenceIndex.register_model(Image)


class DocumentsConfig(WagtailDocsAppConfig):
    def ready(self) -> None:
        from wagtail.documents import get_document_model, get_permission_policy
        from wagtail.documents.signal_handlers import register_signal_handlers
        from wagtail.permissions import register_permission_policy

        Document = get_document_model()
        register_permission_policy(Document, get_permission_policy())
        register_signal_handlers()

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.documents.components import DocumentDisplay

        register_display_class(ForeignKey, to=Document, display_class=DocumentDisplay)

        from wagtail.models.reference_index import ReferenceIndex

        ReferenceIndex.register_model(Document)


class SnippetsConfig(WagtailSnippetsAppConfig):
    def ready(self) -> None:
        from wagtail.snippets.models import (
            create_extra_permissions,
            register_deferred_snippets,
        )

        register_deferred_snippets()
        post_migrate.connect(create_extra_permissions, sender=self)


class RedirectsConfig(WagtailRedirectsAppConfig):
    def ready(self) -> None:
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.permissions import register_permission_policy

        register_permission_policy(Redirect)

        from wagtail.contrib.redirects.signal_handlers import (
            autocreate_redirects_on_page_move,
            autocreate_redirects_on_slug_change,
        )
        from wagtail.signals import page_slug_changed, post_page_move

        post_page_move.connect(autocreate_redirects_on_page_move)
        page_slug_changed.connect(autocreate_redirects_on_slug_change)


class LocalesConfig(WagtailLocalesAppConfig):
    """The admin's Locales pages (editions, #15), without their v3 API router.

    Wagtail's ``ready()`` does nothing else; test_wagtail_apps' fresh-process
    check fails if the API comes back by another import.
    """

    def ready(self) -> None:
        return None
