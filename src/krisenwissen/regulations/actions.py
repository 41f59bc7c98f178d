"""Every state change of the Verordnungs-Synopse: one transaction, one audit row each."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import person, require_perm

from .amendapply import AmendResult
from .amending import act_title, clean_act_text, is_amending_act
from .events import RegulationsEvent
from .extract import check_length, extract_text
from .legaltext import LegalTextError, check_usable, parse
from .models import KeywordRule, LegalText, Level, Subscription, Version
from .selectors import amendment_result, compare_versions
from .versioninfo import read_version_info

RESERVED_SLUGS = {"neu", "stichworte", "abonnements"}
DATE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(md|markdown|txt|html?|docx|pdf)$", re.IGNORECASE)
EDITORS_ONLY = gettext_lazy("Rechtstexte pflegen darf nur die Redaktion.")


def _fmt(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


# ---------------------------------------------------------------------------- legal texts


@transaction.atomic
def do_create_legal_text(*, title: str, abbreviation: str, level: str = Level.BUND, state: str = "",
                         slug: str = "", acting_user) -> LegalText:
    require_perm(acting_user, "regulations.add_legaltext", message=EDITORS_ONLY)
    abbreviation = abbreviation.strip()
    slug = slugify(slug or abbreviation)[:80]
    if not slug or slug in RESERVED_SLUGS:
        raise ValidationError({"abbreviation": _("Bitte eine andere Abkürzung wählen.")})
    if LegalText.objects.filter(slug=slug).exists():
        raise ValidationError({"abbreviation": _("Einen Rechtstext mit dieser Abkürzung gibt es schon.")})
    legal_text = LegalText(title=title.strip(), abbreviation=abbreviation, slug=slug, level=level, state=state)
    legal_text.full_clean()
    legal_text.save()
    record(RegulationsEvent.LEGAL_TEXT_CREATED, acting_user=acting_user, obj=legal_text)
    return legal_text


# ---------------------------------------------------------------------------- versions


def check_validity(legal_text: LegalText, start: datetime.date, until: datetime.date | None,
                   *, exclude_pk: int | None = None) -> None:
    """Refuse a validity period that overlaps an existing version (German message)."""
    if until is not None and until < start:
        raise ValidationError({"in_force_until": _("„In Kraft bis“ liegt vor „In Kraft ab“.")})
    others = legal_text.versions.exclude(pk=exclude_pk) if exclude_pk else legal_text.versions.all()
    for other in others:
        if other.in_force_from == start:
            raise ValidationError({"in_force_from": _("Es gibt bereits eine Fassung ab %(date)s.") % {"date": _fmt(start)}})
        if other.in_force_until is not None and other.in_force_from < start <= other.in_force_until:
            raise ValidationError({"in_force_from": _(
                "Der Geltungszeitraum überschneidet sich mit der Fassung ab %(from)s (in Kraft bis %(until)s)."
            ) % {"from": _fmt(other.in_force_from), "until": _fmt(other.in_force_until)}})
        if until is not None and start < other.in_force_from <= until:
            raise ValidationError({"in_force_until": _(
                "Der Geltungszeitraum überschneidet sich mit der Fassung ab %(from)s; "
                "„In Kraft bis“ muss davor liegen."
            ) % {"from": _fmt(other.in_force_from)}})


def amending_act_refusal(text: str) -> str:
    """The German message refusing an amending act as a version ("" for an ordinary version)."""
    if not is_amending_act(text):
        return ""
    title = act_title(clean_act_text(text[:20_000]))
    named = f" („{title[:200]}“)" if title else ""
    return _("Die Datei ist eine Änderungsverordnung%(title)s, keine Fassung des Rechtstexts: sie enthält nur "
             "Änderungsbefehle. Bitte auf der Seite des Rechtstexts „Änderungsverordnung anwenden“ wählen "
             "(oder „krisenwissen regulations apply“): dort werden die Befehle auf eine Fassung angewendet und "
             "das Ergebnis als neue Fassung gespeichert.") % {"title": named}


def validate_text(text: str, *, name: str = "") -> str:
    """Refuse overlong texts, stubs and amending acts; returns the text. Raises ValidationError (German)."""
    try:
        check_length(text)
        check_usable(parse(text, name=name))
    except LegalTextError as exc:
        raise ValidationError({"file": f"{name}: {exc}" if name else str(exc)}) from exc
    refusal = amending_act_refusal(text)
    if refusal:
        raise ValidationError({"file": f"{name}: {refusal}" if name else refusal})
    return text


def text_from_upload(data: bytes, filename: str) -> str:
    try:
        return extract_text(data, filename)
    except LegalTextError as exc:
        raise ValidationError({"file": f"{filename}: {exc}"}) from exc


@transaction.atomic
def do_add_version(legal_text: LegalText, *, text: str, in_force_from: datetime.date | None,
                   in_force_until: datetime.date | None = None, source: str = "",
                   announced_on: datetime.date | None = None, note: str = "", original_name: str = "",
                   amending_act: str = "", amending_act_reference: str = "", acting_user) -> Version:
    """Add a version after validating its text and validity period; notifies subscribers.

    Details left empty (date in force, promulgation date, amending act and its reference) are
    taken from the text where it states them (``versioninfo.read_version_info``); a missing
    date in force that the text does not state either is refused.
    """
    require_perm(acting_user, "regulations.add_version", legal_text, message=EDITORS_ONLY)
    validate_text(text, name=original_name)
    info = read_version_info(text)
    amending_act = amending_act.strip() or info.amending_act
    amending_act_reference = amending_act_reference.strip() or info.reference
    announced_on = announced_on or info.announced_on
    if in_force_from is None:
        in_force_from = info.in_force_from
    if in_force_from is None:
        raise ValidationError({"in_force_from": _(
            "Der Text nennt kein Datum des Inkrafttretens für diese Fassung. Bitte „In Kraft ab“ angeben.")})
    check_validity(legal_text, in_force_from, in_force_until)
    version = Version(legal_text=legal_text, text=text, in_force_from=in_force_from, in_force_until=in_force_until,
                      source=source.strip(), announced_on=announced_on, note=note.strip(),
                      amending_act=amending_act[:500], amending_act_reference=amending_act_reference[:200],
                      original_name=original_name[:255], sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                      created_by=person(acting_user))
    version.full_clean()
    version.save()
    record(RegulationsEvent.VERSION_ADDED, acting_user=acting_user, obj=version,
           in_force_from=in_force_from.isoformat(), name=original_name, amending_act=version.amending_act)
    notify_new_version(version)
    return version


VERSION_DETAILS = ("in_force_from", "in_force_until", "announced_on", "amending_act", "amending_act_reference",
                   "source", "note")  # the fields of forms.VersionDetailsForm


@transaction.atomic
def do_change_version_details(version: Version, *, in_force_from: datetime.date,
                              in_force_until: datetime.date | None = None, announced_on: datetime.date | None = None,
                              amending_act: str = "", amending_act_reference: str = "", source: str = "",
                              note: str = "", acting_user) -> Version:
    """Correct the details of a stored version (never its text); validity checked like an upload."""
    require_perm(acting_user, "regulations.change_version", version, message=EDITORS_ONLY)
    version = Version.objects.select_for_update(of=("self",)).select_related("legal_text").get(pk=version.pk)
    check_validity(version.legal_text, in_force_from, in_force_until, exclude_pk=version.pk)
    values = {"in_force_from": in_force_from, "in_force_until": in_force_until, "announced_on": announced_on,
              "amending_act": amending_act.strip(), "amending_act_reference": amending_act_reference.strip(),
              "source": source.strip(), "note": note.strip()}
    changed = [name for name in VERSION_DETAILS if getattr(version, name) != values[name]]
    if not changed:
        return version
    for name in changed:
        setattr(version, name, values[name])
    version.full_clean()
    version.save(update_fields=changed)
    record(RegulationsEvent.VERSION_DETAILS_CHANGED, acting_user=acting_user, obj=version, changed=changed,
           in_force_from=version.in_force_from.isoformat())
    return version


def notify_new_version(version: Version, *, today: datetime.date | None = None) -> int:
    """Tell the subscribers of the legal text about a new version: summary and time until it applies."""
    legal_text = version.legal_text
    recipients = [s.user for s in legal_text.subscriptions.select_related("user")]
    if not recipients:
        return 0
    previous = legal_text.versions.filter(in_force_from__lt=version.in_force_from).order_by("-in_force_from").first()
    days = version.takes_effect_in(today)
    if days == 1:
        when = _("tritt morgen in Kraft (am %(date)s)") % {"date": _fmt(version.in_force_from)}
    elif days > 1:
        when = _("tritt in %(days)d Tagen in Kraft (am %(date)s)") % {"days": days, "date": _fmt(version.in_force_from)}
    elif days == 0:
        when = _("tritt heute in Kraft")
    else:
        when = _("gilt seit %(date)s") % {"date": _fmt(version.in_force_from)}
    if previous is not None:
        comparison = compare_versions(previous, new=version)
        summary = comparison.summary
        url = reverse("regulations:synopse", kwargs={"slug": legal_text.slug}) + f"?alt={previous.pk}&neu={version.pk}"
        lines = [_("Änderungen gegenüber der Fassung ab %(date)s:") % {"date": _fmt(previous.in_force_from)}, summary]
        if version.act_description:
            lines.insert(0, _("Rechtsakt: %(act)s") % {"act": version.act_description})
        if comparison.departments:
            lines.append(_("Betroffene Ämter: %(list)s") % {"list": ", ".join(comparison.departments)})
    else:
        url = reverse("regulations:detail", kwargs={"slug": legal_text.slug})
        lines = [_("Erste erfasste Fassung.")]
    subject = _("%(abbr)s: neue Fassung %(when)s") % {"abbr": legal_text.abbreviation, "when": when}
    notify(recipients, subject=subject, body="\n".join(lines), url=url)
    return len(recipients)


@transaction.atomic
def do_apply_amending_act(legal_text: LegalText, *, base: Version, act_text: str,
                          in_force_from: datetime.date | None = None, in_force_until: datetime.date | None = None,
                          announced_on: datetime.date | None = None, source: str = "", note: str = "",
                          original_name: str = "", accept_failed: bool = False, articles: list[str] | None = None,
                          acting_user) -> tuple[Version, AmendResult]:
    """Apply an amending act to ``base`` and store the result as a new version.

    The new version's details come from the act where not given: its title and promulgation
    (BAnz/BGBl.) as the version's amending act, the promulgation date, and the date in force of
    its Inkrafttreten clause ("am Tag nach der Verkündung"). Refused (nothing stored) when the act
    is no amending act, none of its Artikel amends this legal text, the date in force is unknown,
    or an instruction failed and ``accept_failed`` is not set.
    """
    require_perm(acting_user, "regulations.add_version", legal_text, message=EDITORS_ONLY)
    if base.legal_text_id != legal_text.pk:
        raise ValidationError(_("Die Ausgangsfassung gehört nicht zu diesem Rechtstext."))
    result = amendment_result(base, act_text=act_text, articles=articles)
    if not result.ok and not accept_failed:
        raise ValidationError(_("%(n)d Änderungsbefehle konnten nicht angewendet werden. Bitte prüfen und "
                                "bestätigen, dass die Fassung trotzdem gespeichert werden soll.") % {"n": result.failed})
    info = read_version_info(act_text)
    version = do_add_version(
        legal_text, text=result.text, in_force_from=in_force_from or info.in_force_from, in_force_until=in_force_until,
        announced_on=announced_on or info.announced_on, source=source.strip()[:500],
        note=(note.strip() or _("Konsolidiert aus der Änderungsverordnung auf Grundlage der Fassung ab %(date)s: "
                                "%(summary)s") % {"date": _fmt(base.in_force_from), "summary": result.summary}),
        amending_act=(result.act_title or info.amending_act)[:500], amending_act_reference=info.reference[:200],
        original_name=original_name, acting_user=acting_user)
    record(RegulationsEvent.AMENDING_ACT_APPLIED, acting_user=acting_user, obj=version, act=result.act_title[:300],
           base=base.in_force_from.isoformat(), applied=result.applied, failed=result.failed, name=original_name)
    return version, result


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] | None = None


def read_directory(directory: Path) -> tuple[list[tuple[datetime.date, str, str]], list[str]]:
    """Files named YYYY-MM-DD.<ext> directly in ``directory``: [(date, name, text)], [errors]."""
    versions, errors = [], []
    for path in sorted(directory.iterdir()):
        if not path.is_file():
            continue
        m = DATE_NAME.match(path.name)
        if not m:
            continue
        try:
            day = datetime.date.fromisoformat(m.group(1))
        except ValueError:
            errors.append(f"{path.name}: {_('kein gültiges Datum im Dateinamen')}")
            continue
        try:
            text = extract_text(path.read_bytes(), path.name)
            check_usable(parse(text, name=path.name))
        except LegalTextError as exc:
            errors.append(f"{path.name}: {exc}")
            continue
        refusal = amending_act_refusal(text)
        if refusal:
            errors.append(f"{path.name}: {refusal}")
            continue
        versions.append((day, path.name, text))
    return versions, errors


@transaction.atomic
def do_import_directory(legal_text: LegalText, directory: Path, *, skip_invalid: bool = False,
                        source: str = "", acting_user) -> ImportReport:
    """Import dated versions from a folder; idempotent (same date and text: nothing happens).

    Every file is validated first; with any refused file nothing is written unless
    ``skip_invalid`` is set (then the refused files are listed in the report).
    """
    require_perm(acting_user, "regulations.import_versions", legal_text, message=EDITORS_ONLY)
    versions, errors = read_directory(directory)
    if errors and not skip_invalid:
        raise ValidationError(errors)
    if not versions and not errors:
        raise ValidationError(_("Im Ordner %(dir)s gibt es keine Dateien der Form JJJJ-MM-TT.md.") % {"dir": directory})
    report = ImportReport(skipped=errors)
    existing = {v.in_force_from: v for v in legal_text.versions.all()}
    latest_before = max(existing) if existing else None
    newest: Version | None = None
    for day, name, text in versions:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        version = existing.get(day)
        if version is not None:
            if version.sha256 == sha:
                report.unchanged += 1
                continue
            version.text, version.sha256, version.original_name = text, sha, name
            version.save(update_fields=["text", "sha256", "original_name"])
            record(RegulationsEvent.VERSION_UPDATED, acting_user=acting_user, obj=version, name=name)
            report.updated += 1
            continue
        check_validity(legal_text, day, None)
        info = read_version_info(text)
        version = Version(legal_text=legal_text, text=text, in_force_from=day, source=source.strip(),
                          original_name=name, sha256=sha, amending_act=info.amending_act,
                          amending_act_reference=info.reference, announced_on=info.announced_on,
                          created_by=person(acting_user))
        version.full_clean()
        version.save()
        report.created += 1
        if latest_before is None or day > latest_before:
            newest = version if newest is None or day > newest.in_force_from else newest
    record(RegulationsEvent.VERSIONS_IMPORTED, acting_user=acting_user, obj=legal_text, created=report.created,
           updated=report.updated, unchanged=report.unchanged, skipped=len(errors))
    if newest is not None and latest_before is not None:
        notify_new_version(newest)
    return report


# ---------------------------------------------------------------------------- keyword rules


@transaction.atomic
def do_save_keyword_rule(rule: KeywordRule | None, *, term: str, department: str, task: str = "",
                         active: bool = True, acting_user) -> KeywordRule:
    if rule is None:
        require_perm(acting_user, "regulations.add_keywordrule", message=EDITORS_ONLY)
    else:
        require_perm(acting_user, "regulations.change_keywordrule", rule, message=EDITORS_ONLY)
    rule = rule or KeywordRule()
    created = rule.pk is None
    rule.term, rule.department, rule.task, rule.active = term.strip(), department.strip(), task.strip(), active
    if not rule.term or not rule.department:
        raise ValidationError(_("Begriff und Amt sind Pflichtangaben."))
    duplicate = KeywordRule.objects.filter(term__iexact=rule.term, department__iexact=rule.department)
    if rule.pk:
        duplicate = duplicate.exclude(pk=rule.pk)
    if duplicate.exists():
        raise ValidationError(_("Diese Regel gibt es schon."))
    rule.full_clean()
    rule.save()
    event = RegulationsEvent.KEYWORD_RULE_CREATED if created else RegulationsEvent.KEYWORD_RULE_CHANGED
    record(event, acting_user=acting_user, obj=rule)
    return rule


@transaction.atomic
def do_delete_keyword_rule(rule: KeywordRule, *, acting_user) -> None:
    require_perm(acting_user, "regulations.delete_keywordrule", rule, message=EDITORS_ONLY)
    record(RegulationsEvent.KEYWORD_RULE_DELETED, acting_user=acting_user, obj=rule)
    rule.delete()


# ---------------------------------------------------------------------------- subscriptions


@transaction.atomic
def do_toggle_subscription(legal_text: LegalText, *, acting_user) -> bool:
    """Subscribe or unsubscribe; returns True when subscribed afterwards."""
    require_perm(acting_user, "regulations.subscribe_legaltext", legal_text,
                 message=gettext_lazy("Zum Abonnieren bitte anmelden."))
    existing = Subscription.objects.filter(user=acting_user, legal_text=legal_text).first()
    if existing is not None:
        existing.delete()
        record(RegulationsEvent.SUBSCRIPTION_ENDED, acting_user=acting_user, obj=legal_text)
        return False
    Subscription.objects.create(user=acting_user, legal_text=legal_text)
    record(RegulationsEvent.SUBSCRIPTION_STARTED, acting_user=acting_user, obj=legal_text)
    return True
