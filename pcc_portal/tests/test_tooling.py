"""The Makefile's choice of Python: 3.12 or newer, found on the PATH or under pyenv."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "find-python.sh"


def find_python(path_dirs: list[Path], home: Path) -> subprocess.CompletedProcess:
    # Only the tools the script uses, so no Python the machine has is found by accident.
    tools = home.parent / "tools"
    tools.mkdir(exist_ok=True)
    for tool in ("ls", "sort"):
        if not (tools / tool).exists():
            (tools / tool).symlink_to(shutil.which(tool))
    env = {"PATH": os.pathsep.join(map(str, [*path_dirs, tools])), "HOME": str(home)}
    return subprocess.run(
        ["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )


def fake_python(folder: Path, name: str, version: tuple[int, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    _major, minor = version
    path.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = "-c" ] && exec /bin/sh -c "exit $([ {minor} -ge 12 ] && echo 0 || echo 1)"\n'
    )
    path.chmod(0o755)
    return path


@pytest.fixture
def bare_home(tmp_path):
    return tmp_path / "home"


def test_stops_with_one_line_saying_what_to_install_when_no_python_is_new_enough(
    tmp_path, bare_home
):
    old = fake_python(tmp_path / "bin", "python3", (3, 11))
    result = find_python([old.parent], bare_home)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "needs Python 3.12 or newer" in lines[0] and "install python3.12" in lines[0]


def test_prefers_a_new_enough_python_on_the_path(tmp_path, bare_home):
    found = fake_python(tmp_path / "bin", "python3.13", (3, 13))
    result = find_python([found.parent], bare_home)
    assert result.returncode == 0
    assert result.stdout.strip() == str(found)


def test_falls_back_to_the_newest_pyenv_version_that_runs(tmp_path, bare_home):
    versions = bare_home / ".pyenv" / "versions"
    fake_python(versions / "3.11.7" / "bin", "python3", (3, 11))
    fake_python(versions / "3.12.1" / "bin", "python3", (3, 12))
    newest = fake_python(versions / "3.13.0" / "bin", "python3", (3, 13))
    result = find_python([], bare_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(newest)
