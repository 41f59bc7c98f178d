from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("workshops", "0004_transfer_links_sharing_agreement_start_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="synthesis_blocks",
            field=models.JSONField(blank=True, default=list, verbose_name="Synthesebericht (Blöcke)"),
        ),
    ]
