"""Who works on the platform and for which municipality."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityKind(models.TextChoices):
    KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
    KREIS = "kreis", _("Kreis")
    STADT = "stadt", _("Stadt")
    GEMEINDE = "gemeinde", _("Gemeinde")
    LAND = "land", _("Land")
    SONSTIGE = "sonstige", _("Sonstige")


class Municipality(models.Model):
    """A German municipality or district, identified by its official AGS key."""

    name = models.CharField(_("Name"), max_length=200)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True,
        help_text=_("5 Stellen für Kreise und kreisfreie Städte, 8 Stellen für Gemeinden."),
    )
    state = models.CharField(_("Land"), max_length=60, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=MunicipalityKind.choices, default=MunicipalityKind.GEMEINDE)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    is_participating = models.BooleanField(
        _("nimmt teil"), default=False, db_index=True,
        help_text=_("Kommunen, die die Plattform nutzen, erscheinen in Filtern und Vergleichen."),
    )
    publication_four_eyes = models.BooleanField(
        _("Vier-Augen-Prinzip bei Freigaben"), default=True,
        help_text=_("Eine Freigabe (neue Sichtbarkeit oder geänderte Fassung) erteilt eine andere Person der "
                    "Redaktion als die, die sie beantragt oder die Änderung verfasst hat."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ags__regex=r"^[0-9]{5}([0-9]{3})?$|^[0-9]{2}$"),
                name="municipality_ags_digits",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentFunction(models.TextChoices):
    KRISENSTAB = "krisenstab", _("Krisenstab")
    GESUNDHEITSAMT = "gesundheitsamt", _("Gesundheitsamt")
    ORDNUNGSAMT = "ordnungsamt", _("Ordnungsamt")
    FEUERWEHR = "feuerwehr", _("Feuerwehr")
    BEVOELKERUNGSSCHUTZ = "bevoelkerungsschutz", _("Bevölkerungsschutz")
    PRESSE = "presse", _("Presse und Kommunikation")
    SOZIALAMT = "sozialamt", _("Sozialamt")
    PERSONALAMT = "personalamt", _("Personalamt")
    SCHULVERWALTUNG = "schulverwaltung", _("Schulverwaltung")
    VERWALTUNGSFUEHRUNG = "verwaltungsfuehrung", _("Verwaltungsführung")
    SONSTIGE = "sonstige", _("Sonstige")


class Department(models.Model):
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion"), max_length=30, choices=DepartmentFunction.choices)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("Dienststelle")
        verbose_name_plural = _("Dienststellen")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class Network(models.Model):
    """A named group of municipalities that share knowledge at visibility ``netzwerk``."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kurzname"), unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    members = models.ManyToManyField(Municipality, verbose_name=_("Mitglieder"), related_name="networks", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")

    def __str__(self) -> str:
        return self.name


class AccountSource(models.TextChoices):
    """Where a person signs in: a local password, or a directory (LDAP/AD, OpenID Connect)."""

    LOCAL = "", _("Lokales Konto")
    LDAP = "ldap", _("Verzeichnis (LDAP/Active Directory)")
    OIDC = "oidc", _("Dienstkonto (OpenID Connect)")


class User(AbstractUser):
    account_source = models.CharField(
        _("Anmeldung über"), max_length=10, choices=AccountSource.choices, default=AccountSource.LOCAL, blank=True,
        help_text=_("Konten aus einem Verzeichnis melden sich nur dort an; ihre Rollen gleicht die Anmeldung ab."),
    )
    external_id = models.CharField(
        _("Kennung im Verzeichnis"), max_length=255, blank=True, db_index=True,
        help_text=_("Bei OpenID Connect der Aussteller und das Subject (sub)."),
    )

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    """Roles are cumulative: each includes the rights of those above it in this list."""

    LESER = "leser", _("Leser")
    MITWIRKENDE = "mitwirkende", _("Mitwirkende")
    MODERATION = "moderation", _("Moderation")
    REDAKTION = "redaktion", _("Redaktion")
    ADMINISTRATION = "administration", _("Administration")


ROLE_RANK = {role: rank for rank, role in enumerate(Role.values)}


class MembershipSource(models.TextChoices):
    """Who manages a membership: an administrator on the platform, or the directory at each sign-in."""

    LOCAL = "local", _("Lokal vergeben")
    DIRECTORY = "directory", _("Aus dem Verzeichnis")


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("Person"), on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.LESER)
    department = models.ForeignKey(Department, verbose_name=_("Dienststelle"), null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(
        _("Herkunft"), max_length=10, choices=MembershipSource.choices, default=MembershipSource.LOCAL,
        help_text=_("Mitgliedschaften aus dem Verzeichnis gleicht jede Anmeldung ab; lokale bleiben unberührt."),
    )

    class Meta:
        ordering = ["municipality__name", "user__username"]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["user", "municipality"], name="membership_unique_user_municipality")]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


class ThrottleScope(models.TextChoices):
    PAIR = "pair", _("Konto und Adresse")
    ADDRESS = "address", _("Adresse")
    ACCOUNT = "account", _("Konto")


class LoginThrottle(models.Model):
    """Counter of failed logins for one key of one scope (see ``accounts.throttle``).

    ``pair``: one account name from one client address; ``address``: one client address;
    ``account``: one account name from anywhere. ``blocked_until``: no password of this key is
    checked before then.
    """

    scope = models.CharField(max_length=10, choices=ThrottleScope.choices)
    key = models.CharField(max_length=250)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The first refused attempt of a wait is an audit row, the others only log lines.
    refusal_logged = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique_scope_key")]
        indexes = [models.Index(fields=["last_failure_at"], name="login_throttle_last_failure")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.failures}"

