from django.urls import path

from . import views

app_name = "feed"
urlpatterns = [
    path("", views.news_feed, name="news-feed"),
    path("updates.json", views.news_feed_updates, name="news-feed-updates"),
]
