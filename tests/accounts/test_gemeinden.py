"""The GV100AD parser and the ``gemeinden import`` command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.gemeinden import (
    GV100FormatError,
    district_populations,
    parse_gv100ad,
    read_gv100ad,
)
from krisenwissen.accounts.models import Municipality
from krisenwissen.core.models import AuditEntry

REPO_ROOT = Path(__file__).resolve().parents[2]
REAL_FILE = REPO_ROOT.parent / "shared" / "data" / "gemeinden" / "GV100AD_301123.txt"


def gv_line(record_type: str, key: str, name: str, *, code: str = "", seat: str = "",
            area: int | None = None, population: int | None = None, postcode: str = "") -> str:
    """Build one 220-character GV100AD line. ``key`` is Land+RB+Kreis+Gemeinde+Verband (12)."""
    line = [" "] * 220

    def put(start: int, text: str) -> None:  # 1-based start column, like the layout docs
        line[start - 1:start - 1 + len(text)] = list(text)

    put(1, record_type)
    put(3, "20231130")
    put(11, key)
    put(23, name.ljust(50))
    put(73, seat.ljust(50))
    put(123, code)
    if area is not None:
        put(129, f"{area:011d}")
    if population is not None:
        put(140, f"{population:011d}")
        put(151, f"{population // 2:011d}")
    put(166, postcode)
    return "".join(line)


EXCERPT = [
    gv_line("10", "05", "Nordrhein-Westfalen", seat="Düsseldorf"),
    gv_line("20", "051", "Reg.-Bez. Düsseldorf", seat="Düsseldorf"),
    gv_line("40", "05113", "Essen, Stadt", code="41", seat="Essen"),
    gv_line("50", "05113   0000", "Essen, Stadt", code="50"),
    gv_line("60", "051130000000", "Essen, Stadt", code="61", area=21034, population=584580, postcode="45121"),
    gv_line("40", "05154", "Kleve", code="43", seat="Kleve"),
    gv_line("50", "05154   0001", "Goch, Stadt", code="50"),
    gv_line("60", "051540200001", "Goch, Stadt", code="63", area=11540, population=34500, postcode="47574"),
    gv_line("60", "051540240002", "Kerken", code="64", area=5830, population=12700, postcode="47647"),
    "",  # blank lines (e.g. a trailing newline) are skipped
    gv_line("60", "094755100000", "Forst, gemfr. Gebiet", code="66", area=1000, population=0),
]


def write_excerpt(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "GV100AD_auszug.txt"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


class TestParser:
    def test_parses_every_level_with_keys_kinds_and_numbers(self):
        records = list(parse_gv100ad(EXCERPT))
        by_ags = {r.ags: r for r in records}
        assert [r.record_type for r in records] == ["10", "20", "40", "50", "60", "40", "50", "60", "60", "60"]
        essen_kreis, essen = by_ags["05113"], by_ags["05113000"]
        assert (essen_kreis.kind, essen_kreis.name, essen_kreis.state) == ("kreisfreie_stadt", "Essen, Stadt", "Nordrhein-Westfalen")
        assert (essen.kind, essen.population, essen.area_hectares, essen.postcode) == ("kreisfreie_stadt", 584580, 21034, "45121")
        assert by_ags["05154"].kind == "kreis"
        assert by_ags["05154020"].kind == "stadt"
        assert by_ags["05154024"].kind == "gemeinde"
        assert by_ags["051540001"].level == "gemeindeverband"
        assert by_ags["09475510"].state == "Bayern"  # from the built-in table: no type-10 line
        assert by_ags["09475510"].postcode == ""
        assert by_ags["05154024"].line_number == 9

    def test_district_population_is_the_sum_of_its_gemeinden(self):
        totals = district_populations(parse_gv100ad(EXCERPT))
        assert totals["05154"] == 34500 + 12700
        assert totals["05113"] == 584580

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("99" + "x" * 200, "unbekannte Satzart '99'"),
            (gv_line("60", "05113000000X", "Essen")[:100], "zu kurz (100 Zeichen"),
            (gv_line("60", "0511300A0000", "Essen", code="61", area=1, population=1), "Gemeinde '00A'"),
            (gv_line("60", "051130000000", "Essen", code="99", area=1, population=1), "Textkennzeichen '99'"),
            (gv_line("60", "051130000000", "", code="61", area=1, population=1), "Name fehlt"),
            (gv_line("40", "55113", "Irgendwo", code="41"), "Landesschlüssel '55'"),
            (gv_line("60", "051130000000", "Essen", code="61", area=1, population=1, postcode="4512x"), "Postleitzahl"),
            (gv_line("60", "051130000000", "Essen", code="61", area=1), "Bevölkerung"),
        ],
    )
    def test_invalid_line_raises_german_error_with_line_number(self, line, message):
        with pytest.raises(GV100FormatError) as excinfo:
            list(parse_gv100ad([EXCERPT[0], line]))
        assert excinfo.value.line_number == 2
        assert str(excinfo.value).startswith("Zeile 2: ")
        assert message in str(excinfo.value)

    def test_reads_windows_1252_files(self, tmp_path):
        path = write_excerpt(tmp_path, EXCERPT, encoding="cp1252")
        names = {r.ags: r.name for r in read_gv100ad(path)}
        assert names["05"] == "Nordrhein-Westfalen"
        assert names["051"] == "Reg.-Bez. Düsseldorf"

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.one_of(
        st.text(max_size=240),
        # Mutations of valid lines reach deeper into the field checks than random text.
        st.builds(lambda base, pos, ch: base[:pos] + ch + base[pos + 1:],
                  st.sampled_from([line for line in EXCERPT if line]), st.integers(0, 219), st.characters()),
        st.builds(lambda base, cut: base[:cut], st.sampled_from([line for line in EXCERPT if line]), st.integers(0, 220)),
    ), max_size=6))
    def test_fuzz_parser_raises_only_its_own_error(self, lines):
        try:
            for record in parse_gv100ad(lines):
                assert record.ags.isdigit()
        except GV100FormatError as exc:
            assert str(exc).startswith(f"Zeile {exc.line_number}: ")


@pytest.mark.django_db
class TestImportCommand:
    def run(self, *args) -> str:
        out = StringIO()
        call_command("gemeinden", "import", *args, stdout=out)
        return out.getvalue()

    def test_imports_kreise_and_gemeinden_and_updates_by_ags(self, tmp_path):
        participating = Municipality.objects.create(
            name="Essen", ags="05113", kind="kreis", is_participating=True, population=1)
        output = self.run(str(write_excerpt(tmp_path, EXCERPT)))

        assert "Kreise und kreisfreie Städte: 1 neu, 1 aktualisiert" in output
        assert "Gemeinden: 4 neu, 0 aktualisiert" in output
        participating.refresh_from_db()
        # Official data is updated, the chosen display name and participation are kept.
        assert (participating.name, participating.kind, participating.population) == ("Essen", "kreisfreie_stadt", 584580)
        assert participating.postcode == "45121" and participating.is_participating
        kleve = Municipality.objects.get(ags="05154")
        assert (kleve.kind, kleve.population, kleve.state) == ("kreis", 47200, "Nordrhein-Westfalen")
        assert Municipality.objects.get(ags="05154020").kind == "stadt"
        assert not Municipality.objects.filter(ags__in=["05", "051540001"]).exists()  # only Kreise and Gemeinden
        assert AuditEntry.objects.filter(action=AccountsEvent.MUNICIPALITIES_IMPORTED).count() == 1

        again = self.run(str(write_excerpt(tmp_path, EXCERPT)))
        assert "Gemeinden: 0 neu, 0 aktualisiert, 4 unverändert" in again

    def test_bad_line_aborts_before_writing_anything(self, tmp_path):
        broken = [*EXCERPT, "60 kaputt"]
        with pytest.raises(CommandError, match=r"Zeile 12: .*zu kurz"):
            self.run(str(write_excerpt(tmp_path, broken)))
        assert not Municipality.objects.exists()

    def test_only_platform_administration_may_import_through_the_action(self, tmp_path):
        from django.core.exceptions import PermissionDenied

        from krisenwissen.accounts.actions import do_import_municipalities
        from krisenwissen.accounts.gemeinden import read_gv100ad

        from .. import factories as f

        records = list(read_gv100ad(write_excerpt(tmp_path, EXCERPT)))
        with pytest.raises(PermissionDenied):
            do_import_municipalities(records, acting_user=f.UserFactory())
        assert not Municipality.objects.exists()

    def test_missing_file_is_reported(self, tmp_path):
        with pytest.raises(CommandError, match="Datei nicht gefunden"):
            self.run(str(tmp_path / "fehlt.txt"))

    def test_imports_the_real_directory_in_place(self):
        assert REAL_FILE.is_file(), (
            f"Das echte Gemeindeverzeichnis fehlt: {REAL_FILE} (erwartet unter "
            "../shared/data/gemeinden/ relativ zum Repository)."
        )
        output = self.run(str(REAL_FILE))
        assert "Kreise und kreisfreie Städte: 400 neu" in output
        assert "Gemeinden: 10981 neu" in output
        assert Municipality.objects.filter(ags__regex=r"^[0-9]{5}$").count() == 400
        koeln = Municipality.objects.get(ags="05315")
        assert (koeln.name, koeln.kind, koeln.state) == ("Köln, Stadt", "kreisfreie_stadt", "Nordrhein-Westfalen")
        assert koeln.population > 1_000_000
        assert Municipality.objects.get(ags="05513000").postcode.startswith("45")
