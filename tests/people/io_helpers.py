"""Shared helpers of the import/export tests (k17-io)."""

from __future__ import annotations

from krisenwissen.accounts.models import Role
from tests import factories as f

HEADER = ("name;vorname;nachname;organisation;organisationseinheit;funktion;funktionen;vertretung_fuer;kompetenzen;"
          "buero;mobil;funktionspostfach;email;funkrufname;privat;erreichbarkeit;sichtbarkeit;externer_schluessel;"
          "einwilligung;einwilligung_datum")


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def row(**values) -> str:
    columns = HEADER.split(";")
    def cell(value: str) -> str:
        return f'"{value}"' if ";" in value and not value.startswith('"') else value

    return ";".join(cell(values.get(c, "")) for c in columns)


def directory_admin(municipality, username="verzeichnis-admin"):
    return f.MembershipFactory(municipality=municipality, role=Role.ADMINISTRATION, user__username=username).user
