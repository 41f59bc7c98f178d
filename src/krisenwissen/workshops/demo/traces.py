"""Demo workshops left in a database: their join tokens (``demo-essen-2023``) are guessable."""

from __future__ import annotations

from ..models import Workshop
from . import content

DEMO_JOIN_TOKENS = tuple(f"demo-{data['key']}" for data in (content.ESSEN, content.FOLLOW_UP))


def demo_traces() -> list[str]:
    tokens = sorted(Workshop.objects.filter(join_token__in=DEMO_JOIN_TOKENS).values_list("join_token", flat=True))
    return [f"Workshops mit erratbarem Demo-Beitrittslink: {', '.join(tokens)}"] if tokens else []
