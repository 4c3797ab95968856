"""CORREDOR_MODE=hub installs none of the apps that hold personal data (a process of its own, as the hub
runs), and its system checks pass."""

import json
import os
import subprocess
import sys

from django.conf import settings


def test_hub_mode_installs_no_personal_data_app() -> None:
    env = {**os.environ, "CORREDOR_MODE": "hub", "DJANGO_SETTINGS_MODULE": "corredor.settings"}
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from django.apps import apps; "
        "print(json.dumps({'installed': [a.name for a in apps.get_app_configs()], "
        "'personal': settings.PERSONAL_DATA_APPS}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert "corredor.infohub" in found["installed"]
    assert set(found["personal"]) == set(settings.PERSONAL_DATA_APPS)
    assert not set(found["installed"]) & set(found["personal"])
    assert {"corredor.border", "corredor.screening", "corredor.protection", "corredor.displacement"} & set(
        found["personal"]
    ) == {"corredor.border", "corredor.screening", "corredor.protection", "corredor.displacement"}


def test_hub_mode_passes_its_checks() -> None:
    env = {**os.environ, "CORREDOR_MODE": "hub"}
    out = subprocess.run(
        [sys.executable, "-m", "corredor", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
