"""Shared area data: the platform permission ``situation.import_shared_data`` and the group
"Plattform-Daten" holding it; revisions keep the new value beside the old one."""

from django.db import migrations, models

from krisenwissen.situation.platform import install_platform_data_group


def forwards(apps, schema_editor):
    install_platform_data_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"),
                                apps.get_model("contenttypes", "ContentType"))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Plattform-Daten").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('situation', '0003_audit_event_keys'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='area',
            options={'ordering': ['ags'], 'permissions': [('import_shared_data', 'Gemeinsam genutzte Gebietsdaten (Kreise, Länder, Bund) importieren und korrigieren')], 'verbose_name': 'Gebiet', 'verbose_name_plural': 'Gebiete'},
        ),
        migrations.AddField(
            model_name='observationrevision',
            name='new_value',
            field=models.FloatField(blank=True, null=True, verbose_name='neuer Wert'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
