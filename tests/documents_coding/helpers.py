"""Small ORM factories for coding tests (documents come without the ingest part)."""

import hashlib

from krisenwissen.documents.models import Document, DocumentVersion, VersionStatus
from tests import factories as f

TEXT = ("Protokoll des Krisenstabs, 12. März 2020. Grüße aus Köln 👋🏽! Die Lage: Schulen schließen, "
        "die Bürgerhotline ist überlastet 📞. Maßnahme: mehr Personal für die Hotline.")


def make_document(municipality, *, text=TEXT, title="Protokoll Krisenstab", visibility="intern", number=1):
    document = Document.objects.create(municipality=municipality, title=title, visibility=visibility)
    version = DocumentVersion.objects.create(document=document, number=number, text=text, status=VersionStatus.FERTIG,
                                             content_hash=hashlib.sha256(text.encode()).hexdigest(),
                                             original_name="protokoll.txt", media_type="text/plain", size=len(text.encode()))
    return document, version


def make_codes(scheme_key="forschung"):
    scheme = f.SchemeFactory(key=scheme_key, name="Forschung")
    parent = f.CodeFactory(scheme=scheme, key="kommunikation", name="Kommunikation")
    child = f.CodeFactory(scheme=scheme, key="hotline", name="Bürgerhotline", parent=parent)
    other = f.CodeFactory(scheme=scheme, key="personal", name="Personal")
    return scheme, parent, child, other


def span(text, needle):
    start = text.index(needle)
    return start, start + len(needle)
