from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "masthead.web"
    label = "web"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from masthead.cache.pages import register_page_context
        from masthead.content.models import ArticlePage, HomePage, SectionPage

        from .context import article_context, home_context, section_context

        register_page_context(HomePage, home_context)
        register_page_context(SectionPage, section_context)
        register_page_context(ArticlePage, article_context)
