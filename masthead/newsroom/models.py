"""The newsroom keeps no tables of its own; roles live in auth and Wagtail."""
