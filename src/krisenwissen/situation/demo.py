"""Demo content of the Lagebild: the five partner cities' district and DIVI files, the RKI workbook
of fixed 7-day figures (all districts and states, as published each day), a few notes.

Reads ``../shared/data/covid`` (relative to the project root, or ``KRISENWISSEN_SHARED_DATA``)
when present; without it only the catalogue is installed and 0 observations are reported.
Idempotent: re-importing the same files changes nothing; notes are update_or_create.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from django.conf import settings

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.policy import SYSTEM

from . import catalog
from .actions import do_import_file
from .models import Area, ImportRun, Indicator, Observation, RuleSet, StaffNote


def shared_data_dir() -> Path:
    env = os.environ.get("KRISENWISSEN_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


WORKBOOK = "Fallzahlen_Kum_Tab_2021-11-22.xlsx"

NOTES = [
    ("05913", "s2", "Lagebesprechung 8 Uhr: Bundesnotbremse gilt seit Samstag; Ordnungsamt kontrolliert die "
                    "Ausgangsbeschränkung ab 22 Uhr mit zwei zusätzlichen Streifen.", "intern"),
    ("05113", "lage", "Ab heute Distanzunterricht an allen Schulen (Schwelle 165 überschritten), Notbetreuung "
                      "in 40 Schulen eingerichtet.", "oeffentlich"),
    ("05315", "massnahme", "Impfzentrum Messe: zusätzliche Abendtermine ab Mittwoch.", "oeffentlich"),
    ("05111", "hinweis", "Bürgertelefon stark ausgelastet, Personal aus dem Bürgerbüro zugeordnet.", "intern"),
]


def load(*, force: bool = False) -> dict[str, int]:
    catalog.install(Indicator, RuleSet, Area)
    covid = shared_data_dir() / "covid"
    counts = {"observations": 0, "notes": 0}
    if not (covid / "districts" / "ref-de-districts.tsv").exists():
        return counts
    ref = covid / "districts" / "ref-de-districts.tsv"
    do_import_file(ref.read_bytes(), filename=ref.name, fmt="districts-ref", acting_user=SYSTEM)
    for ags in catalog.PARTNER_CITIES:
        for path, fmt in ((covid / "districts" / f"de-district_timeseries-{ags}.tsv", "districts"),
                          (covid / "divi-districts" / f"{ags}.tsv", "divi-districts")):
            if path.exists():
                run = do_import_file(path.read_bytes(), filename=path.name, fmt=fmt, acting_user=SYSTEM)
                counts["observations"] += run.created
    # The fixed 7-day incidences as the RKI published them each day (the series the rules refer to).
    # Imported once per database (a re-run finds its successful run and skips the seconds of reading).
    workbook = covid / "rki" / WORKBOOK
    if (settings.KRISENWISSEN_DEMO_RKI_WORKBOOK and workbook.exists()
            and not ImportRun.objects.filter(filename=workbook.name, status="ok").exists()):
        run = do_import_file(workbook.read_bytes(), filename=workbook.name, acting_user=SYSTEM)
        counts["observations"] += run.created
    municipalities = {m.ags: m for m in Municipality.objects.filter(ags__in=catalog.PARTNER_CITIES)}
    for ags, municipality in municipalities.items():
        Area.objects.filter(ags=ags).update(municipality=municipality)
    for ags, kind, text, visibility in NOTES:
        m = municipalities.get(ags)
        if m is None:
            continue
        StaffNote.objects.update_or_create(municipality=m, date=date(2021, 4, 26), kind=kind,
                                           defaults={"text": text, "visibility": visibility})
        counts["notes"] += 1
    dortmund = municipalities.get("05913")
    if dortmund is not None:
        calls, _ = Indicator.objects.update_or_create(key="05913-anrufe-buergertelefon", defaults={
            "name": "Anrufe Bürgertelefon", "unit": "Anrufe", "municipality": dortmund, "visibility": "oeffentlich",
            "source": "Stadt Dortmund (Demo)", "definition": "Angenommene Anrufe am Bürgertelefon je Tag.",
            "higher_is_worse": True, "decimals": 0})
        area = Area.objects.get(ags="05913")
        for i, value in enumerate([812, 905, 770, 1010, 1204, 640, 310]):
            Observation.objects.update_or_create(area=area, indicator=calls, date=date(2021, 4, 20 + i),
                                                 defaults={"value": value})
    return counts
