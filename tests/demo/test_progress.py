"""The demo's progress bar lives in clitools (issue 12 item 2): commands of any app use it without importing
the border app's demo."""

import io
import subprocess
import sys

from corredor.clitools import ProgressBar


def test_the_bar_ends_complete_on_its_own_line() -> None:
    stream = io.StringIO()
    bar = ProgressBar("lists", stream=stream, width=10)
    bar(0, 4)
    bar(4, 4)
    text = stream.getvalue()
    assert "[##########] 100.0% 4/4" in text and text.endswith("\n")


def test_the_passenger_list_command_does_not_import_the_border_demo() -> None:
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'corredor.settings'); "
        "django.setup(); import corredor.manifests.management.commands.manifests; "
        "print('corredor.border.demo' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
