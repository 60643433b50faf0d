from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [path("views/<int:article_id>/", views.view_beacon, name="view-beacon")]
