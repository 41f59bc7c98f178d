"""OCR with the ``tesseract`` program (Debian: tesseract-ocr, tesseract-ocr-deu); no Django imports."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache

from .base import Block, Limits
from .repair import join_lines


@cache
def tesseract_languages() -> frozenset[str]:
    binary = shutil.which("tesseract")
    if not binary:
        return frozenset()
    try:
        done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (done.stdout + done.stderr).splitlines()[1:] if line.strip())


def ocr_available(language: str = "deu") -> bool:
    return language in tesseract_languages()


def ocr_image(image, limits: Limits) -> tuple[list[Block], str]:
    """Blocks read from a PIL image, and a status: "ok", "missing" (no Tesseract/German) or "timeout"."""
    if not ocr_available(limits.ocr_language):
        return [], "missing"
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    try:
        done = subprocess.run(
            [shutil.which("tesseract"), "stdin", "stdout", "-l", limits.ocr_language, "--psm", "3"],
            input=buffer.getvalue(), capture_output=True, timeout=limits.ocr_timeout, check=False,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        return [], "timeout"
    except OSError:
        return [], "missing"
    text = done.stdout.decode("utf-8", errors="replace")
    blocks = [Block(join_lines(part), ocr=True) for part in text.split("\n\n")]
    return [b for b in blocks if b.text], "ok"
