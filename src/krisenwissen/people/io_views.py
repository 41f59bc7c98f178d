"""Import and export pages of Köpfe kennen (thin views; the work is in ``io_actions``).

* ``/koepfe/import/``: CSV upload for the directory management (Administration, S1) of a
  municipality, with "nur prüfen"; errors are listed with line and field, nothing is saved
  unless the whole file is valid.
* ``/koepfe/export/<format>/``: vCard, CSV or the Telefonliste PDF of what the signed-in
  person may see; never cached (``Cache-Control: no-store``), audited by the action.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.audit import home_municipality
from krisenwissen.core.policy import PermissionDenied, has_perm, permission_required

from . import importing, io_actions
from .exporting import FORMATS


class ImportForm(forms.Form):
    municipality = forms.TypedChoiceField(label=gettext_lazy("Kommune"), coerce=int)
    datei = forms.FileField(label=gettext_lazy("CSV-Datei"),
                            help_text=gettext_lazy("UTF-8 oder Windows-1252 (Excel), Trennzeichen Semikolon oder Komma."))
    nur_pruefen = forms.BooleanField(label=gettext_lazy("Nur prüfen, nichts speichern"), required=False)


def _import_municipalities(user) -> list[Municipality]:
    if user.is_superuser:
        return list(Municipality.objects.filter(is_participating=True).order_by("name")) or list(Municipality.objects.order_by("name")[:200])
    return [m.municipality for m in user.memberships.select_related("municipality").order_by("municipality__name")
            if has_perm(user, "people.manage_directory", m.municipality)]


@never_cache
@permission_required("people.manage_directory")
def import_people(request):
    municipalities = _import_municipalities(request.user)
    if not municipalities:
        raise PermissionDenied(_("Sie dürfen in keiner Kommune das Verzeichnis pflegen."))
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["municipality"].choices = [(m.pk, m.name) for m in municipalities]
    home = home_municipality(request.user)
    if home is not None and home in municipalities:
        form.fields["municipality"].initial = home.pk  # one's own city first, not the first by name
    report = None
    if request.method == "POST" and form.is_valid():
        municipality = next(m for m in municipalities if m.pk == form.cleaned_data["municipality"])
        upload = form.cleaned_data["datei"]
        if upload.size > io_actions.max_bytes():
            form.add_error("datei", _("Die Datei ist zu groß (höchstens %(mb)d MB).") % {"mb": io_actions.max_bytes() // 1_048_576})
        else:
            try:
                report = io_actions.do_import_people(upload, municipality, acting_user=request.user,
                                                     dry_run=form.cleaned_data["nur_pruefen"], filename=upload.name)
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(request, "people/import.html", {
        "form": form, "report": report, "columns": importing.COLUMNS,
        "max_rows": io_actions.max_rows(),
    })


@never_cache
@permission_required("people.view_directory")
def export_people(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("Unbekanntes Format."))
    version = "3.0" if request.GET.get("version") == "3.0" else "4.0"
    data, content_type, filename = io_actions.do_export_directory(fmt, acting_user=request.user, version=version)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
