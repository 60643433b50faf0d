"""The alias in TASKS of Masthead's background queue (dj-queue, #12).

Every app's ``tasks.py`` declares its tasks on it; Wagtail's own tasks stay on
"default" (settings/base.py says why). A leaf module: settings read it too.
"""

BACKGROUND = "background"
# The queue of the outbox drain (core/tasks.py), with a worker thread of its
# own: remote purges must reach Varnish within a second of a publish, not
# wait behind the scheduled jobs.
OUTBOX_QUEUE = "outbox"
# The queue of renditions of large originals (core/renditions.py, #13), with
# one worker thread of its own: a large picture takes seconds and must not
# hold up scheduled publishing, and one thread decodes one at a time.
RENDITIONS_QUEUE = "renditions"
