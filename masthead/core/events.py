"""Masthead's own signals: the vocabulary between the layers.

Defined in the leaf so the page cache and search (below or beside content)
can subscribe without importing content.
"""

from django.dispatch import Signal

# The one signal of the publishing pipeline (content/publishing.py, #12):
# sent inside the write's transaction whenever what readers may see of some
# articles changed: publish, unpublish, delete, move, embargo release,
# privacy, correction, a related card appearing or going. Arguments:
# ``article_ids`` (list[int]), ``tags`` (the cache tags of every page that
# may show them, list[str]) and ``reason`` (a word, for logs and webhooks).
article_visibility_changed = Signal()

# Sent by the rendition task (core/renditions.py, #13) when it made renditions
# of a large original that pages may have shown without them. Argument:
# ``image_id`` (int). The page cache purges the image's pages; content
# renders again the stored bodies that show it.
renditions_made = Signal()
