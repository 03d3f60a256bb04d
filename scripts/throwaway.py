"""Where the measuring scripts run the portal: a temporary folder for its SQLite database, media
and collected static files, production settings (DEBUG off, no HTTPS redirect), and nothing left
behind once the script removes the folder.

    from throwaway import ROOT, throwaway
    WORK = throwaway("growth")  # before Django is set up
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def throwaway(name: str, *, postgres_allowed: bool = False) -> Path:
    """Makes the folder, points the settings at it and returns it. The database is a SQLite
    file in the folder, or, for a script that may run under scripts/with-postgres.sh
    (`postgres_allowed`), the DATABASE_URL already set. A script never takes the database of
    whoever runs it by accident: it loads the demo data."""
    work = Path(tempfile.mkdtemp(prefix=f"pcc-portal-{name}-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pcc_portal.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "measuring-only-not-a-secret-0123456789-abcdefghijklmnopqrstuv",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            "DJANGO_STATIC_ROOT": str(work / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    sqlite = f"sqlite:///{work / f'{name}.sqlite3'}"
    if postgres_allowed:
        os.environ.setdefault("DATABASE_URL", sqlite)
    else:
        os.environ["DATABASE_URL"] = sqlite
    sys.path.insert(0, str(ROOT))
    return work
