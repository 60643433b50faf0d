"""Run a script in a fresh Python process, as a server would start."""

import os
import subprocess
import sys
import textwrap


def run_fresh_python(script: str, **env: str) -> str:
    """Run ``script`` (dedented) with the test settings; return its stdout.

    For what only a new process shows: what is imported at start-up, and
    what start-up hooks did. ``env`` is added to this process's environment.
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "masthead.settings.test", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout
