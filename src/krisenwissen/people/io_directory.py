"""Import of the directory from the house's LDAP/Active Directory (``accounts.directory``).

Reads the people below ``KRISENWISSEN_PEOPLE_LDAP_SEARCH_BASE`` (default: the sign-in's
``KRISENWISSEN_LDAP_USER_SEARCH_BASE``) matching ``KRISENWISSEN_PEOPLE_LDAP_FILTER`` with the
sign-in's service account, turns them into lines of the CSV import (name, unit, function,
office phone, mail) and runs :func:`io_actions.do_import_people`, so every check, the
de-duplication (external key ``ldap:<uid>``), the atomic write and the audit are the same.

Privacy: given and family name and the personal e-mail address are personal data. They are
taken over only for people who already have a platform account with the same user name (the
entry is linked to it); everyone else gets a functional entry (display name, unit, function,
office phone) and the report says how many addresses were left out.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib.auth import get_user_model

from krisenwissen.accounts.directory import LDAPBackend, ldap_configured

from . import io_actions
from .exporting import guard_cell

ATTRIBUTES = {"uid": "KRISENWISSEN_LDAP_ATTR_USERNAME", "given": "KRISENWISSEN_LDAP_ATTR_FIRST_NAME",
              "family": "KRISENWISSEN_LDAP_ATTR_LAST_NAME", "mail": "KRISENWISSEN_LDAP_ATTR_EMAIL"}
EXTRA = ("cn", "displayName", "telephoneNumber", "ou", "department", "title")
HEADER = ["name", "vorname", "nachname", "organisationseinheit", "funktion", "buero", "email", "externer_schluessel", "konto"]


class DirectoryError(Exception):
    """The directory cannot be read (German message)."""


def _first(attributes: dict, name: str) -> str:
    value = attributes.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def read_directory(limit: int) -> list[dict[str, str]]:
    """The people of the directory as dicts (uid, name, given, family, unit, title, phone, mail)."""
    import ldap3

    if not ldap_configured():
        raise DirectoryError("Es ist kein LDAP-Verzeichnis eingerichtet (KRISENWISSEN_LDAP_SERVER_URI).")
    base = getattr(settings, "KRISENWISSEN_PEOPLE_LDAP_SEARCH_BASE", "") or settings.KRISENWISSEN_LDAP_USER_SEARCH_BASE
    search_filter = getattr(settings, "KRISENWISSEN_PEOPLE_LDAP_FILTER", "") or "(|(objectClass=inetOrgPerson)(objectClass=user))"
    names = {key: getattr(settings, setting) for key, setting in ATTRIBUTES.items()}
    backend = LDAPBackend()
    try:
        conn = backend._connection(backend._server(), settings.KRISENWISSEN_LDAP_BIND_DN or None,
                                   settings.KRISENWISSEN_LDAP_BIND_PASSWORD or None)
    except Exception as exc:  # ldap3 raises its own socket/TLS errors
        raise DirectoryError(f"Das Verzeichnis ist nicht erreichbar: {exc}") from None
    try:
        if settings.KRISENWISSEN_LDAP_BIND_DN and not conn.bind():
            raise DirectoryError("Anmeldung des Dienstkontos am Verzeichnis fehlgeschlagen.")
        entries = conn.extend.standard.paged_search(
            base, search_filter, search_scope=ldap3.SUBTREE, attributes=[*names.values(), *EXTRA],
            paged_size=500, generator=True, time_limit=settings.KRISENWISSEN_LDAP_TIMEOUT)
        people = []
        for entry in entries:
            if entry.get("type") != "searchResEntry":
                continue
            if len(people) >= limit:
                raise DirectoryError(f"Das Verzeichnis liefert mehr als {limit} Personen; bitte den Suchfilter eingrenzen.")
            a = dict(entry.get("attributes") or {})
            given, family = _first(a, names["given"]), _first(a, names["family"])
            people.append({
                "uid": _first(a, names["uid"]), "name": _first(a, "displayName") or _first(a, "cn") or f"{given} {family}".strip(),
                "given": given, "family": family, "unit": _first(a, "department") or _first(a, "ou"),
                "title": _first(a, "title"), "phone": _first(a, "telephoneNumber"), "mail": _first(a, names["mail"]),
            })
        return people
    finally:
        conn.unbind()


def directory_csv(people: list[dict[str, str]]) -> tuple[bytes, int]:
    """The CSV import file for ``people`` and the number of personal details left out."""
    usernames = {p["uid"] for p in people if p["uid"]}
    accounts = set(get_user_model().objects.filter(username__in=usernames, is_active=True).values_list("username", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    left_out = 0
    for p in people:
        linked = p["uid"] in accounts
        if not linked and (p["mail"] or p["given"] or p["family"]):
            left_out += 1
        # Directory values are typed by anyone who may edit their own entry: guarded against
        # formulas like every CSV we write (the importer takes the apostrophe off again).
        writer.writerow([guard_cell(value) for value in (
            p["name"], p["given"] if linked else "", p["family"] if linked else "", p["unit"], p["title"],
            p["phone"], p["mail"] if linked else "", f"ldap:{p['uid']}" if p["uid"] else "", p["uid"] if linked else "",
        )])
    return out.getvalue().encode("utf-8"), left_out


def do_import_from_directory(municipality, *, acting_user, dry_run: bool = False) -> tuple[io_actions.ImportReport, int]:
    """Import the LDAP directory's people into ``municipality`` (checked, atomic, audited)."""
    from krisenwissen.core.policy import require_perm

    require_perm(acting_user, "people.manage_directory", municipality,
                 message="Importieren dürfen die Administration und S1 (Personal) der Kommune.")
    people = read_directory(io_actions.max_rows())
    data, left_out = directory_csv(people)
    report = io_actions.do_import_people(io.BytesIO(data), municipality, acting_user=acting_user, dry_run=dry_run,
                                         filename="LDAP-Verzeichnis")
    return report, left_out
