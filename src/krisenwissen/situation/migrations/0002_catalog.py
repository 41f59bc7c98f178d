"""Built-in indicators, rule sets, the country and the 16 states."""

from django.db import migrations


def install(apps, schema_editor):
    from krisenwissen.situation import catalog

    catalog.install(apps.get_model("situation", "Indicator"), apps.get_model("situation", "RuleSet"),
                    apps.get_model("situation", "Area"))


class Migration(migrations.Migration):
    dependencies = [("situation", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
