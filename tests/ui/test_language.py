"""German is the working language, whatever the browser asks for; English on request."""


def test_german_even_for_english_browsers(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="de"' in page
    assert "Aus Krisen lernen" in page


def test_english_when_chosen(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_not_found_page_is_german_and_offers_login(client, db):
    response = client.get("/beobachtungen/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Seite nicht gefunden" in page and "/konto/anmelden/" in page


def test_forbidden_page_is_german(client, reader_a):
    client.force_login(reader_a)
    response = client.get("/freigaben/")
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.content.decode()


def test_navigation_shows_review_and_admin_links_by_role(client, editor_b, admin_user):
    client.force_login(editor_b)
    page = client.get("/").content.decode()
    assert "/freigaben/" in page and "/konto/verwaltung/" not in page
    client.force_login(admin_user)
    assert "/konto/verwaltung/" in client.get("/").content.decode()
