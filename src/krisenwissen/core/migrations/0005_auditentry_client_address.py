from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_rate_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="client_address",
            field=models.GenericIPAddressField(
                blank=True, null=True, verbose_name="Client-Adresse",
                help_text="Adresse des Geräts, von dem die Anfrage kam (hinter vertrauenswürdigen Proxys aus X-Forwarded-For).",
            ),
        ),
    ]
