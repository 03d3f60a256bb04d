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


def throwaway(name: str) -> Path:
    """Makes the folder, points the settings at it and returns it. A DATABASE_URL already set
    (scripts/with-postgres.sh sets one) is kept; otherwise a SQLite file in the folder."""
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
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / f'{name}.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    return work
