"""URLs of the crisis staff: load part (included by ``urls``)."""

from django.urls import path

from . import load_views as v

urlpatterns = [
    path("<int:pk>/belastung/", v.overview, name="load_overview"),
    path("<int:pk>/belastung/anmelden/", v.sign_in, name="load_sign_in"),
    path("<int:pk>/belastung/abmelden/", v.sign_out, name="load_sign_out"),
    path("<int:pk>/belastung/dienstplan/", v.roster, name="load_roster"),
    path("<int:pk>/belastung/dienstplan/<int:shift_pk>/loeschen/", v.remove_shift, name="load_remove_shift"),
    path("<int:pk>/belastung/personen/", v.individuals, name="load_individuals"),
    path("<int:pk>/belastung/person/<int:user_pk>/", v.person, name="load_person"),
    path("<int:pk>/belastung/befinden/", v.strain, name="load_strain"),
    path("<int:pk>/belastung/einstellungen/", v.configuration, name="load_configuration"),
    path("<int:pk>/belastung/grenzen/", v.limits, name="load_limits"),
    path("<int:pk>/belastung/uebergabe/", v.create_handover, name="load_create_handover"),
    path("belastung/uebergabe/<int:brief_pk>/", v.handover, name="load_handover"),
    path("belastung/uebergabe/<int:brief_pk>/bestaetigen/", v.acknowledge_handover, name="load_acknowledge_handover"),
]
