"""Signals content sends for other apps (search, caches) to act on."""

from django.dispatch import Signal

# Sent with ``article_ids`` when articles become visible without a publish
# action, e.g. when their embargo time passes.
articles_became_visible = Signal()
