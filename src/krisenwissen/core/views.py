from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import do_mark_notifications_read


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("seite"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    # Without ids: all. Ids that are no database keys ("²".isdigit() is true, int("²") fails;
    # huge numbers overflow) are ignored, never widened to "all".
    raw_ids = request.POST.getlist("id")
    ids = [int(i) for i in raw_ids if i.isascii() and i.isdigit() and len(i) <= 18] if raw_ids else None
    do_mark_notifications_read(ids, acting_user=request.user)
    return redirect("core:notifications")
