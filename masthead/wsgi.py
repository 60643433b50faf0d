"""WSGI entry point for granian or any WSGI server.

Django sits inside the page cache (cache/wsgi.py): a cached public page is
answered before any Django code runs. Garbage collection is tuned for a
long-running process (core/memory.py). Under ``masthead serve`` each granian
worker exits when granian's main process is gone (core/keepalive.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")

from masthead.cache import PageCache
from masthead.core import memory
from masthead.core.db import limit_web_statements
from masthead.core.keepalive import exit_when_orphaned

application = PageCache.wrap(get_wsgi_application())
limit_web_statements()
memory.tune_for_serving()
if os.environ.get("MASTHEAD_SERVE_PID"):
    exit_when_orphaned(int(os.environ["MASTHEAD_SERVE_PID"]))
