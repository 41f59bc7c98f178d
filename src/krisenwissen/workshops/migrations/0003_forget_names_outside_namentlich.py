"""Participants of Chatham House and anonymous workshops keep no name and no account link.

Before, a Chatham House participant's display name and account were stored on the participant
record, the author of each of their cards. See ``actions.do_join_workshop``."""

from django.db import migrations


def forget_names(apps, schema_editor):
    Participant = apps.get_model("workshops", "Participant")
    Participant.objects.exclude(workshop__attribution="namentlich").update(display_name="", user=None)


class Migration(migrations.Migration):
    dependencies = [("workshops", "0002_audit_event_keys")]

    operations = [migrations.RunPython(forget_names, migrations.RunPython.noop)]
