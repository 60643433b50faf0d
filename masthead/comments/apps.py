from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "masthead.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # The account page's reply-mail preference and the data download's
        # comments; members cannot import comments (members/registry.py).
        from masthead.members import registry

        from .account import account_context, export_data

        registry.register_account_section(
            "comments", "comments/account_section.html", account_context
        )
        registry.register_export("comments", export_data)

        # Erasing a member blanks their comments; saving the site setting
        # purges the pages that show it.
        from . import signals  # noqa: F401
