from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_directory_sign_in"),
    ]

    operations = [
        migrations.DeleteModel(name="LoginAttempt"),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(choices=[("pair", "Konto und Adresse"), ("address", "Adresse"), ("account", "Konto")], max_length=10)),
                ("key", models.CharField(max_length=250)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("last_failure_at", models.DateTimeField(blank=True, null=True)),
                ("blocked_until", models.DateTimeField(blank=True, null=True)),
                ("last_success_at", models.DateTimeField(blank=True, null=True)),
                ("refusal_logged", models.BooleanField(default=False)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("scope", "key"), name="login_throttle_unique_scope_key")],
                "indexes": [models.Index(fields=["last_failure_at"], name="login_throttle_last_failure")],
            },
        ),
    ]
