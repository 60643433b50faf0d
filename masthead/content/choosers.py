"""An article chooser that opens on the newest articles, with search (#14).

Wagtail's page chooser opens on the page tree: finding yesterday's story
meant walking into its section and paging. This chooser lists articles
newest first with their section and time, and its search box searches
every article. Corrections and the News Feed desk use it.
"""

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .models import ArticlePage


class RecentArticlesMixin:
    """Live articles, newest first: what a correction or a post is about.

    ``live()`` rather than ``published()``: the search backend filters on
    indexed fields only, and ``live`` is one. The desk's form still accepts
    only what ``published()`` allows (an embargoed article is refused there).
    """

    per_page = 20
    ordering = [F("published_at").desc(nulls_last=True), "-pk"]

    def get_object_list(self) -> QuerySet[ArticlePage]:
        articles: QuerySet[ArticlePage] = ArticlePage.objects.live()
        return articles.select_related("section")

    @property
    def columns(self) -> list[Column]:
        return [
            self.title_column,  # type: ignore[attr-defined]
            Column("section", label=_("Section"), accessor="section"),
            DateColumn("published_at", label=_("Published")),
        ]


class RecentArticlesChooseView(RecentArticlesMixin, ChooseView):
    pass


class RecentArticlesResultsView(RecentArticlesMixin, ChooseResultsView):
    pass


class ArticleChooserViewSet(ChooserViewSet):
    model = ArticlePage
    icon = "doc-full"
    choose_one_text = _("Choose an article")
    choose_another_text = _("Choose another article")
    edit_item_text = _("Edit article")
    choose_view_class = RecentArticlesChooseView
    choose_results_view_class = RecentArticlesResultsView
    # Only the panels that ask for it; Wagtail's page chooser stays the
    # default for other article fields.
    register_widget = False


article_chooser_viewset = ArticleChooserViewSet("article_chooser")
