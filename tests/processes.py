"""Running Django in a fresh interpreter with a controlled environment.

Settings are read once per process, so tests of what the environment selects start a new
``python``: nothing leaks in from the shell that runs the suite (no DATABASE_URL, REDIS_URL…)
except coverage's own variables, so these runs count towards the coverage gate.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRONG_SECRET_KEY = secrets.token_urlsafe(60)


def production_env(**overrides: str) -> dict[str, str]:
    """The smallest production environment; an override of ``""`` removes that variable."""
    env = {
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": STRONG_SECRET_KEY,
        "ALLOWED_HOSTS": "mylabel.example",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value}


def run_python(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python *args`` in the project root with only ``env`` (plus the basics) set."""
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_DIR": str(tmp_path / "log"),
        "PYTHONDONTWRITEBYTECODE": "1",
        **{key: value for key, value in os.environ.items() if key.startswith("COVERAGE_")},
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
