"""The refusal grounds and border policies of border/reference.py."""

from django.db import migrations

from corredor.border.reference import load_border_reference


def seed(apps, schema_editor):
    load_border_reference(
        ground_model=apps.get_model("border", "RefusalGround"),
        policy_model=apps.get_model("border", "BorderPolicy"),
        country_model=apps.get_model("core", "Country"),
    )


class Migration(migrations.Migration):
    dependencies = [("border", "0003_guardrails"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
