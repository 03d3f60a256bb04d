"""`make audit`'s tools: pinned in a lock file of their own, never pulled in by the stylesheet's
`npm ci`."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_audit_tools_are_pinned_in_their_own_lock_file():
    package = json.loads((ROOT / "audit" / "package.json").read_text())
    lock = json.loads((ROOT / "audit" / "package-lock.json").read_text())
    assert set(package["dependencies"]) == {"lighthouse", "pa11y", "vnu-jar"}
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    stylesheet = json.loads((ROOT / "package.json").read_text())
    assert not set(stylesheet["dependencies"]) & {"lighthouse", "pa11y", "puppeteer", "vnu-jar"}
