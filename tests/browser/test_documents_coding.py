"""Qualitative coding in the browser: select text and code it, find the segment in the code's
retrieval, export the project as REFI-QDA (QDPX) and import it into a fresh installation, where
every coding sits at the same text (axe at 1280 and 375 px on every page)."""

from __future__ import annotations

import hashlib

import pytest

from .conftest import PASSWORD, check_page, login
from .documents_steps import select_in_coding_text

TEXT = ("Protokoll des Krisenstabs Essen, 16. März 2020.\n"
        "Grüße an alle 👋🏽! Die Bürgerhotline ist seit Montag überlastet 📞, "
        "viele Anrufe betreffen die Schließung der Schulen.\n"
        "Maßnahme: Personal aus dem Bürgeramt verstärkt die Hotline.")
PHRASE = "Bürgerhotline ist seit Montag überlastet 📞"


@pytest.fixture
def coding_world(transactional_db):
    from krisenwissen.accounts.models import Role
    from krisenwissen.documents.models import Document, DocumentVersion
    from tests import factories as f

    essen = f.MunicipalityFactory(name="Essen", ags="05113")
    f.MembershipFactory(municipality=essen, role=Role.MITWIRKENDE, user__username="mitwirkende.essen",
                        user__first_name="Mira", user__last_name="Codiererin", user__password=PASSWORD)
    scheme = f.SchemeFactory(key="forschung", name="Forschung")
    parent = f.CodeFactory(scheme=scheme, key="kommunikation", name="Kommunikation")
    f.CodeFactory(scheme=scheme, key="hotline", name="Bürgerhotline", parent=parent)
    f.CodeFactory(scheme=scheme, key="personal", name="Personal")
    document = Document.objects.create(municipality=essen, title="Krisenstabsprotokoll 16.03.2020")
    version = DocumentVersion.objects.create(document=document, number=1, text=TEXT, status="fertig",
                                             content_hash=hashlib.sha256(TEXT.encode()).hexdigest(),
                                             original_name="protokoll.txt", media_type="text/plain")
    return version


def _codings():
    from krisenwissen.documents.models import Coding

    return sorted((str(c.document.uuid), c.start, c.end, c.segment, c.code.name, c.coder_name)
                  for c in Coding.objects.select_related("document", "version", "code"))


def test_code_by_selection_retrieve_export_and_reimport_into_a_fresh_installation(page, live_server, coding_world, tmp_path):
    from django.core.management import call_command

    from krisenwissen.documents.models import Coding

    version = coding_world
    login(page, "mitwirkende.essen")
    page.goto(f"/dokumente/codierung/version/{version.pk}/")
    check_page(page)

    select_in_coding_text(page, PHRASE)
    start = TEXT.index(PHRASE)
    assert page.get_by_label("Anfang (Zeichen)").input_value() == str(start)
    assert page.get_by_label("Ende (Zeichen, ausschließlich)").input_value() == str(start + len(PHRASE))
    assert "Markiert" in page.locator("#coding-selection").inner_text()
    page.locator("#id_code").select_option(label="Forschung › Kommunikation › Bürgerhotline")
    with page.expect_navigation():
        page.get_by_role("button", name="Code zuweisen").click()
    assert Coding.objects.get().segment == PHRASE

    # A second segment, then a memo on it.
    select_in_coding_text(page, "Personal aus dem Bürgeramt")
    page.locator("#id_code").select_option(label="Forschung › Personal")
    with page.expect_navigation():
        page.get_by_role("button", name="Code zuweisen").click()
    check_page(page)

    page.goto("/dokumente/codierung/")
    page.get_by_role("link", name="Kommunikation › Bürgerhotline").click()
    page.get_by_label("Untercodes einbeziehen").check()
    assert PHRASE in page.locator("[data-segment]").first.inner_text()
    check_page(page)

    page.goto("/dokumente/codierung/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Projekt exportieren (REFI-QDA, .qdpx)").click()
    exported = tmp_path / "projekt.qdpx"
    download_info.value.save_as(exported)
    before = _codings()
    assert len(before) == 2

    # A fresh installation: empty database, a platform administrator and the municipality.
    call_command("flush", interactive=False, verbosity=0)
    import importlib

    from django.apps import apps

    from tests import factories as f
    importlib.import_module("krisenwissen.people.migrations.0002_competence_vocabulary").ship(apps, None)
    f.MunicipalityFactory(name="Essen", ags="05113")
    f.UserFactory(username="plattform-admin", is_superuser=True, is_staff=True, first_name="Mira",
                  last_name="Codiererin", password=PASSWORD)
    assert not Coding.objects.exists()

    page.context.clear_cookies()
    login(page, "plattform-admin")
    page.goto("/dokumente/codierung/import/")
    check_page(page)
    page.get_by_label("REFI-QDA-Datei (.qdpx oder .qdc)").set_input_files(str(exported))
    page.get_by_label("Kommune der neuen Dokumente").select_option(label="Essen")
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    report = page.locator("[data-import-report]").inner_text()
    assert "Codierungen neu: 2" in report
    check_page(page)
    assert _codings() == before
    coding = Coding.objects.get(code__name="Bürgerhotline")
    assert coding.segment == PHRASE and coding.start == start


def test_cooccurrence_agreement_and_code_book_pages_are_accessible(page, live_server, coding_world):
    from krisenwissen.accounts.models import User
    from krisenwissen.documents.models import Coding
    from krisenwissen.knowledge.models import Code
    from tests import factories as f

    version = coding_world
    admin = f.UserFactory(username="plattform-admin", is_superuser=True, is_staff=True, password=PASSWORD)
    mira = User.objects.get(username="mitwirkende.essen")
    hotline, personal = Code.objects.get(key="hotline"), Code.objects.get(key="personal")
    start = TEXT.index(PHRASE)
    for coder, end in ((mira, start + len(PHRASE)), (admin, start + 13)):
        Coding.objects.create(version=version, document=version.document, start=start, end=end, code=hotline,
                              coder=coder, coder_name=coder.get_full_name())
    Coding.objects.create(version=version, document=version.document, start=start, end=start + 5, code=personal,
                          coder=mira, coder_name=mira.get_full_name())
    login(page, "plattform-admin")
    page.goto("/dokumente/codierung/kookkurrenz/")
    assert page.get_by_role("table").is_visible()
    check_page(page)
    page.goto(f"/dokumente/codierung/version/{version.pk}/uebereinstimmung/")
    page.get_by_label("Erste codierende Person").select_option(label=mira.get_full_name())
    page.get_by_label("Zweite codierende Person").select_option(label=admin.get_full_name())
    with page.expect_navigation():
        page.get_by_role("button", name="Berechnen").click()
    assert "Krippendorffs α" in page.get_by_role("table").inner_text()
    check_page(page)
    page.goto(f"/dokumente/codierung/codes/{hotline.pk}/bearbeiten/")
    check_page(page)
