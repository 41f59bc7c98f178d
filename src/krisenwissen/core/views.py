from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from .models import Notification
from .notifications import do_mark_notifications_read
from .params import id_list, int_param


@login_required
@permission_required("core.read_notification", raise_exception=True)
def notification_list(request):
    own = Notification.objects.filter(recipient=request.user)
    page = Paginator(own, 30).get_page(int_param(request.GET, "seite", default=1, minimum=1))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    # Without ids: all. Ids that are no database keys ("²", huge numbers) are ignored, never
    # widened to "all".
    ids = id_list(request.POST, "id") if request.POST.getlist("id") else None
    do_mark_notifications_read(ids, acting_user=request.user)
    return redirect("core:notifications")
