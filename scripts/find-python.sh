#!/bin/sh
# Prints the path of a Python 3.12 or newer that runs: python3.13, python3.12 or python3 on the
# PATH, else the newest 3.12+ in pyenv's versions folder. Otherwise says what to install.
runs() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

for name in python3.13 python3.12 python3; do
    path=$(command -v "$name" 2>/dev/null) || continue
    if runs "$path"; then echo "$path"; exit 0; fi
done

root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
    if [ -x "$dir/bin/python3" ] && runs "$dir/bin/python3"; then echo "$dir/bin/python3"; exit 0; fi
done

echo "The portal needs Python 3.12 or newer: install python3.12 (apt-get install python3.12 python3.12-venv, or pyenv install 3.12) and run make again." >&2
exit 1
