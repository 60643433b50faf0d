"""Search keeps no tables of its own: its queue is the outbox (core/outbox.py)."""
