"""Local development: the embedded SQLite site, debug on when DEBUG=1."""

from .base import *  # noqa: F403
