"""Signals content sends for other apps (search, caches) to act on."""

from django.dispatch import Signal

# Sent with ``article_ids`` when articles become visible or hidden without a
# publish action: their embargo time passed, or a page above them was made
# private or public again (content/visibility.py).
visibility_changed = Signal()
# The name the embargo release has always sent; the same signal.
articles_became_visible = visibility_changed
# Sent with ``article_ids`` when what articles show changed without a
# publish: their bodies were rendered again because a related-article card
# in them appeared or went (content/publishing.py).
content_changed = Signal()
