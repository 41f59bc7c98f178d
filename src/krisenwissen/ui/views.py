from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from krisenwissen.knowledge import selectors


def start(request):
    crisis = selectors.current_crisis()
    return render(request, "ui/start.html", {
        "themes": selectors.themes(),
        "crisis": crisis,
        "phases": selectors.phases_of(crisis),
        "latest": selectors.latest_items(user=request.user, limit=6),
        "counts": selectors.counts_by_kind(user=request.user),
    })


@login_required
def create(request):
    """"Neu erfassen": every kind of entry the person may create (asked per kind in the template)."""
    return render(request, "ui/create.html")
