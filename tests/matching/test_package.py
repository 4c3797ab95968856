"""corredor.matching is a pure core: importing it loads nothing of Django."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_package_does_not_import_django() -> None:
    code = (
        "import sys, corredor.matching, corredor.matching.index, corredor.matching.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
