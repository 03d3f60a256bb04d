"""Settings come from the environment, with a hard failure where production lacks a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7Rk2vN9qLw4Zp8Tb3Yc6Hf1Jm5Sd0Ga_Ue-Xi7Oq2Wl9Ev4Kn8",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_BASE_URL": "https://portal.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "pcc_portal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


pytestmark = pytest.mark.slow


def test_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", env={"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "x.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"]},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_machine_runs_without_a_secret_key_when_debug_is_on():
    result = manage("check", env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_deploy_checklist_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
        env={**PRODUCTION, "DATABASE_URL": "postgres://portal@db.internal:5433/pcc"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.internal", "5433", "pcc"]


def test_without_database_url_the_database_is_sqlite_in_the_repository():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'])",
        env=PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(BASE_DIR / "db.sqlite3")]


def test_the_cache_is_shared_by_every_process_through_its_folder(tmp_path):
    """What one gunicorn worker caches (or drops), another sees: the cache is files in
    DJANGO_CACHE_DIR, not each process's memory."""
    env = {**PRODUCTION, "DJANGO_CACHE_DIR": str(tmp_path / "cache")}

    def in_a_new_process(code: str) -> str:
        result = manage("shell", "--no-imports", "-c", code, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    in_a_new_process("from django.core.cache import cache; cache.set('office', 'Lancashire')")
    assert any((tmp_path / "cache").iterdir())
    read = "from django.core.cache import cache; print(cache.get('office', 'nothing'))"
    assert in_a_new_process(read) == "Lancashire"
    in_a_new_process("from django.core.cache import cache; cache.delete('office')")
    assert in_a_new_process(read) == "nothing"


def test_without_a_cache_folder_named_the_cache_is_beside_the_database():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; c = settings.CACHES['default'];"
        "print(c['BACKEND'], c['LOCATION'])",
        env=PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.filebased.FileBasedCache",
        str(BASE_DIR / "cache"),
    ]
