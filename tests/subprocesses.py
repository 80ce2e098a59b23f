"""Running the project's code in a fresh Python process, for settings read from the
environment at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_with_settings(script, **env):
    """Run `script` with Django set up from cancerhealth.settings under `env` (a value of None
    removes the variable); what it printed."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cancerhealth.settings"}
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout
