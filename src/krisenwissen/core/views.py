from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import do_mark_notifications_read
from .params import id_list


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("seite"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    # Without ids: all. Ids that are no database keys are ignored, never widened to "all".
    ids = id_list(request.POST, "id") if request.POST.getlist("id") else None
    do_mark_notifications_read(ids, acting_user=request.user)
    return redirect("core:notifications")
