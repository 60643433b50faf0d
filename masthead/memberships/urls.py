"""``/membership/…`` (and ``/uk/membership/…``): tiers, joining, paying (#17).

The tiers page is public and cached (pages.py); every step that acts for a
reader is private (views.py); the providers' webhooks answer only to a
valid signature.
"""

from django.urls import path

from . import demo_views, pages, views

app_name = "memberships"

urlpatterns = [
    path("", pages.membership_page, name="page"),
    path("join/<slug:tier>/", views.join, name="join"),
    path("donate/", views.donate, name="donate"),
    path("gift/<slug:tier>/", views.gift, name="gift"),
    path("gift/redeem/<str:token>/", views.redeem_gift, name="redeem-gift"),
    path("welcome/", views.checkout_done, name="done"),
    path("manage/", views.manage, name="manage"),
    path("webhooks/<slug:provider>/", views.webhook, name="webhook"),
    # The demo provider's own pages: no money moves (providers/demo.py).
    path("demo/checkout/<str:token>/", demo_views.checkout, name="demo-checkout"),
    path("demo/portal/<str:token>/", demo_views.portal, name="demo-portal"),
]
