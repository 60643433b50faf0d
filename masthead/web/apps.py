from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "masthead.web"
    label = "web"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from masthead.cache.pages import register_chrome_context, register_page_context
        from masthead.content.models import (
            ArticlePage,
            HomePage,
            SectionPage,
            StandardPage,
        )

        from .context import section_context
        from .editions import switcher_slot, with_edition_links
        from .live import live_article_context, live_home_context
        from .navigation import edition_home_url, section_menu
        from .standard_pages import standard_page_context, standard_page_links

        # Each page's translations: hreflang links and the switcher (#15).
        register_page_context(HomePage, with_edition_links(live_home_context))
        register_page_context(SectionPage, with_edition_links(section_context))
        register_page_context(ArticlePage, with_edition_links(live_article_context))
        register_page_context(StandardPage, with_edition_links(standard_page_context))
        register_chrome_context(standard_page_links)
        register_chrome_context(section_menu)
        register_chrome_context(edition_home_url)
        register_chrome_context(switcher_slot)

        # "Paying members only" comments ask the member's paid tiers, which
        # memberships register with members (#17): comments and memberships
        # sit side by side and import neither.
        from masthead.comments.rules import register_paid_check
        from masthead.members import registry

        register_paid_check(
            lambda member: any(source(member)[0] for source in registry.paid_tiers())
        )
