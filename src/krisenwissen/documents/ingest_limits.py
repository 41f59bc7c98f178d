"""The extraction limits from the settings (KRISENWISSEN_DOCUMENTS_*)."""

from django.conf import settings

from .extract import Limits


def limits() -> Limits:
    return Limits(
        max_bytes=settings.KRISENWISSEN_DOCUMENTS_MAX_BYTES,
        max_pages=settings.KRISENWISSEN_DOCUMENTS_MAX_PAGES,
        max_pixels=settings.KRISENWISSEN_DOCUMENTS_MAX_PIXELS,
        ocr_timeout=settings.KRISENWISSEN_DOCUMENTS_OCR_TIMEOUT,
    )
