"""Showing refusals and validation errors of actions on the form that triggered them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


def add_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """Put an action's ``ValidationError`` (field errors where the form has the field) or
    ``PermissionDenied`` (as a German non-field error) onto ``form``."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or None)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
