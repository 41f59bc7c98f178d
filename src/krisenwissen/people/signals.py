"""When a directory entry or hand-over is deleted (erasure, account erasure, retention), the
audit rows about it stay (legal obligation) but no longer show the person's name."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from krisenwissen.core.models import AuditEntry

from .models import Handover, Person

ERASED_REPR = "Gelöschter Eintrag"


@receiver(post_delete, sender=Person, dispatch_uid="people_person_forget_audit_names")
@receiver(post_delete, sender=Handover, dispatch_uid="people_handover_forget_audit_names")
def forget_audit_names(sender, instance, **kwargs) -> None:
    AuditEntry.objects.filter(object_type=sender._meta.label_lower, object_id=str(instance.pk)).update(object_repr=ERASED_REPR)
