"""WSGI entry point for granian or any WSGI server.

Django sits inside the page cache (core/cache.py): a cached public page is
answered before any Django code runs. Garbage collection is tuned for a
long-running process (core/memory.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")

from masthead.cache import PageCache
from masthead.core import memory

application = PageCache.wrap(get_wsgi_application())
memory.tune_for_serving()
