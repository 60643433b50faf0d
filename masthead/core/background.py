"""The alias in TASKS of Masthead's background queue (dj-queue, #12).

Every app's ``tasks.py`` declares its tasks on it; Wagtail's own tasks stay on
"default" (settings/base.py says why). A leaf module: settings read it too.
"""

BACKGROUND = "background"
