"""Rewrite the trigram permission tokens in their final format (see ``acl.py``).

Databases that applied 0004 before the format was changed hold tokens that searches no
longer ask for; the UPDATE triggers keep ``search_fts_trigram`` in step.
"""

from django.db import migrations


def refill_tokens(apps, schema_editor):
    from krisenwissen.search.acl import document_trigram_acl

    SearchText = apps.get_model("search", "SearchText")
    for text in SearchText.objects.select_related("document").iterator(chunk_size=1000):
        tokens = document_trigram_acl(text.document.visibility, text.document.municipality_id)
        if text.acl_trigram != tokens:
            text.acl_trigram = tokens
            text.save(update_fields=["acl_trigram"])


class Migration(migrations.Migration):

    dependencies = [("search", "0005_indexed_at_index")]

    operations = [migrations.RunPython(refill_tokens, migrations.RunPython.noop)]
