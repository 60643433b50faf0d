"""The public site: page contexts, views, teasers, sidebar, structured data.

The top layer (STYLE §1): it may import every app below it, and none imports
it. Page models get their template context from here through
``cache.pages.register_page_context`` (web/apps.py).
"""
