"""Thin views: parse the request, call selectors/actions, render.

Facilitator pages live under ``/reflexionsraeume/<pk>/`` and declare the permission they need
on the workshop with :func:`workshop_permission_required`; participants join through
``/reflexionsraeume/mitmachen/<token>/`` and are remembered in their session (their actions
check their permissions with the participant as the subject, see ``workshops.rules``).
"""

from __future__ import annotations

import functools
import io
import time
import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from krisenwissen.core.clientaddress import client_address
from krisenwissen.core.forms import add_errors
from krisenwissen.core.params import id_list, id_param, int_param
from krisenwissen.core.policy import has_perm, require_perm
from krisenwissen.core.ratelimit import RateLimited, hit
from krisenwissen.reports.http import document_response

from . import actions, questionbank, selectors
from .documents import protocol_document, synthesis_document
from .forms import (
    CardForm,
    ClusterForm,
    JoinForm,
    PhotoForm,
    QuestionForm,
    WorkshopForm,
)
from .models import (
    Attribution,
    Card,
    Cluster,
    ClusterKind,
    Photo,
    Question,
    QuestionBankEntry,
)
from .rules import ParticipantActor


def retry_when_locked(view):
    """Retry a view a few times when SQLite reports a lock it did not wait for.

    With WAL and a busy timeout writers queue; but a shared-cache database (the in-memory test
    database of the live server) answers "database table is locked" at once. Views are safe to
    repeat: reads are reads, each action is one transaction (rolled back on the error) and cards
    and votes are idempotent by their UUID.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        for attempt in range(8):
            try:
                return view(request, *args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == 7:
                    raise
                for upload in request.FILES.values():
                    upload.seek(0)
                time.sleep(0.03 * (attempt + 1))
        return None  # not reached

    return wrapper


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.headers.get("X-Requested-With") == "fetch"


def _rate_limit(request, scope: str, workshop) -> None:
    """Count this request of the client address for ``scope`` in ``workshop`` (raises RateLimited)."""
    hit(scope, client_address(request), scope_key=workshop.pk)


def _too_many(request, exc: RateLimited, back: str = ""):
    """HTTP 429 with the German message (JSON for devices, a page for plain forms)."""
    if _wants_json(request):
        response = JsonResponse({"ok": False, "errors": [str(exc)], "message": str(exc)}, status=429)
    else:
        response = render(request, "workshops/too_many.html", {"message": str(exc), "back": back}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def workshop_permission_required(permission: str = "workshops.manage_workshop"):
    """Declare the permission a facilitator page needs on its workshop (URL argument ``pk``).

    The view receives the workshop instead of ``pk``. Visitors without an account go to the
    login page; people without the permission get 404, so that the page does not reveal that
    the workshop exists. Includes :func:`retry_when_locked`.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            workshop = selectors.workshop_by_pk(pk)
            if not has_perm(request.user, permission, workshop):
                raise Http404
            return view(request, workshop, *args, **kwargs)

        return login_required(retry_when_locked(wrapper))

    return decorator


# ------------------------------------------------------------------------------------------
# Facilitator: list, set-up, agenda
# ------------------------------------------------------------------------------------------


@login_required
@retry_when_locked
def workshop_list(request):
    workshops = selectors.workshops_for(user=request.user)
    return render(request, "workshops/list.html", {"workshops": workshops})


def _form_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("host", None)
    return data


@login_required
@retry_when_locked
def workshop_create(request):
    require_perm(request.user, "workshops.create_workshop",
                 message=gettext_lazy("Workshops legt die Moderation einer Kommune an."))
    hosts = selectors.host_choices(user=request.user)
    form = WorkshopForm(request.POST or None, hosts=hosts, initial={"host": selectors.default_host(user=request.user, hosts=hosts)})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = actions.do_create_workshop(host=form.cleaned_data["host"], fields=_form_fields(form), acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Workshop angelegt. Passen Sie Ablauf und Leitfragen an und teilen Sie den Link."))
            return redirect(workshop.get_absolute_url())
    return render(request, "workshops/form.html", {"form": form, "workshop": None})


@workshop_permission_required()
def workshop_edit(request, workshop):
    initial = {k: getattr(workshop, k) for k in actions.WORKSHOP_FIELDS}
    initial["host"] = workshop.host
    initial["invited"] = list(workshop.invited.all())
    form = WorkshopForm(request.POST or None, hosts=selectors.host_choices(user=request.user, workshop=workshop), initial=initial)
    form.fields["host"].disabled = True
    if not has_perm(request.user, "workshops.set_sharing_agreement", workshop):
        for name in ("transfer_scope", "transfer_visibility"):  # only the host's Moderation changes the agreement
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_workshop(workshop, fields=_form_fields(form), acting_user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect(workshop.get_absolute_url())
    return render(request, "workshops/form.html", {"form": form, "workshop": workshop})


@workshop_permission_required()
def workshop_detail(request, workshop):
    join_url = request.build_absolute_uri(reverse("workshops:join", args=[workshop.join_token]))
    return render(request, "workshops/detail.html", {
        "workshop": workshop,
        "phases": workshop.phases.prefetch_related("questions"),
        "join_url": join_url,
        "participant_groups": selectors.participants_by_city(workshop),
        "previous_actions": selectors.previous_open_action_ideas(workshop, user=request.user),
        "question_form": QuestionForm(),
        "bank": QuestionBankEntry.objects.filter(text__in=questionbank.texts_for(actions.workshop_hazard(workshop))),
        "photos": workshop.photos.all(),
        "card_count": workshop.cards.count(),
    })


@workshop_permission_required()
@require_POST
def question_add(request, workshop):
    phase = get_object_or_404(workshop.phases, pk=id_param(request.POST, "phase"))
    text = request.POST.get("text", "")
    if request.POST.get("bank"):
        entry = QuestionBankEntry.objects.filter(pk=id_param(request.POST, "bank")).first()
        text = entry.text if entry else text
    try:
        actions.do_add_question(phase, text=text, acting_user=request.user)
        messages.success(request, _("Leitfrage hinzugefügt."))
    except ValidationError as exc:
        for msg in _messages_of(exc):
            messages.error(request, msg)
    return redirect(reverse("workshops:detail", args=[workshop.pk]) + "#ablauf")


@workshop_permission_required()
@require_POST
def phase_timebox(request, workshop, phase_pk):
    phase = get_object_or_404(workshop.phases, pk=phase_pk)
    try:
        actions.do_set_timebox(phase, int_param(request.POST, "minutes", default=-1), acting_user=request.user)
        messages.success(request, _("Zeitrahmen gespeichert."))
    except ValidationError as exc:
        for msg in _messages_of(exc):
            messages.error(request, msg)
    return redirect(reverse("workshops:detail", args=[workshop.pk]) + "#ablauf")


@workshop_permission_required()
@require_POST
def question_remove(request, workshop, question_pk):
    question = get_object_or_404(Question, pk=question_pk, phase__workshop=workshop)
    try:
        actions.do_remove_question(question, acting_user=request.user)
        messages.success(request, _("Leitfrage entfernt."))
    except ValidationError as exc:
        for msg in _messages_of(exc):
            messages.error(request, msg)
    return redirect(reverse("workshops:detail", args=[workshop.pk]) + "#ablauf")


@workshop_permission_required()
def join_qr(request, workshop):
    """The join link as an SVG image for ``<img src>`` (a standalone document, unlike segno's
    ``svg_inline``, which leaves out the SVG namespace: browsers then show no image at all)."""
    join_url = request.build_absolute_uri(reverse("workshops:join", args=[workshop.join_token]))
    qr = segno.make_qr(join_url, error="m")  # a full QR code (a Micro QR is not read by every phone)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=1, border=4, omitsize=True, title=_("QR-Code zum Mitmachen"),
            dark="#000", light="#fff")
    # omitsize gives a viewBox (so the image scales to any size); width/height give it an
    # intrinsic size as well.
    size = qr.symbol_size(scale=1, border=4)[0] * 8
    svg = buffer.getvalue().replace(b"<svg ", f'<svg width="{size}" height="{size}" '.encode(), 1)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


# ------------------------------------------------------------------------------------------
# Facilitator: live board
# ------------------------------------------------------------------------------------------


@workshop_permission_required()
@never_cache
def facilitator_board(request, workshop):
    context = selectors.board(workshop)
    context.update({
        "cluster_form": ClusterForm(), "cluster_kinds": ClusterKind.choices,
        "events_url": reverse("workshops:events", args=[workshop.pk]),
        "fragment_url": reverse("workshops:board", args=[workshop.pk]) + "?teil=board",
        "action_url": reverse("workshops:board_action", args=[workshop.pk]),
    })
    if request.GET.get("teil") == "board":
        return render(request, "workshops/partials/facilitator_board.html", context)
    context.update({
        "previous_actions": selectors.previous_open_action_ideas(workshop, user=request.user),
        "photo_form": PhotoForm(),
        "join_url": request.build_absolute_uri(reverse("workshops:join", args=[workshop.join_token])),
    })
    return render(request, "workshops/board.html", context)


@workshop_permission_required("workshops.present_workshop")
@never_cache
@require_GET
def presenter(request, workshop):
    """The projector: QR code and join link, current question, time box, revealed cards in
    columns per cluster; updated live by ``board.js`` from the facilitator's event feed."""
    context = selectors.board(workshop)
    context.update({
        "events_url": reverse("workshops:events", args=[workshop.pk]),
        "fragment_url": reverse("workshops:presenter", args=[workshop.pk]) + "?teil=board",
        "action_url": reverse("workshops:board_action", args=[workshop.pk]),
    })
    if request.GET.get("teil") == "board":
        return render(request, "workshops/partials/presenter_board.html", context)
    context["join_url"] = request.build_absolute_uri(reverse("workshops:join", args=[workshop.join_token]))
    return render(request, "workshops/presenter.html", context)


BOARD_OPS = {"question", "reveal", "cluster_create", "cluster_update", "move", "quote", "voting", "lock", "status"}


@workshop_permission_required()
@require_POST
def board_action(request, workshop):
    """Every facilitator action on the board; JSON for scripts, redirect for plain forms."""
    op = request.POST.get("op", "")
    user = request.user
    result: dict = {"ok": True}
    try:
        if op not in BOARD_OPS:
            raise ValidationError(_("Unbekannte Aktion."))
        if op == "question":
            question = get_object_or_404(Question, pk=id_param(request.POST, "question"), phase__workshop=workshop)
            actions.do_set_current_question(workshop, question, acting_user=user)
            message = _("Aktuelle Leitfrage: %(q)s") % {"q": question.text}
        elif op == "reveal":
            count = actions.do_reveal_cards(workshop, acting_user=user)
            message = _("%(n)s Karten aufgedeckt.") % {"n": count}
            result["count"] = count
        elif op == "cluster_create":
            cluster = actions.do_create_cluster(workshop, name=request.POST.get("name", ""), kind=request.POST.get("kind", ""), acting_user=user)
            result["cluster"] = cluster.pk
            message = _("Cluster „%(n)s“ angelegt.") % {"n": cluster.name}
        elif op == "cluster_update":
            cluster = get_object_or_404(Cluster, pk=id_param(request.POST, "cluster"), workshop=workshop)
            done = request.POST.get("action_done")
            actions.do_update_cluster(cluster, name=request.POST.get("name"), kind=request.POST.get("kind"),
                                      action_done=None if done is None else done == "1", acting_user=user)
            message = _("Cluster „%(n)s“ gespeichert.") % {"n": cluster.name}
        elif op == "move":
            card = get_object_or_404(Card, uuid=actions.parse_card_uuid(request.POST.get("card")), workshop=workshop)
            target = request.POST.get("cluster") or ""
            cluster = get_object_or_404(Cluster, pk=id_param(request.POST, "cluster"), workshop=workshop) if target else None
            actions.do_move_card(card, cluster, acting_user=user)
            message = (_("Karte in „%(n)s“ verschoben.") % {"n": cluster.name}) if cluster else _("Karte aus dem Cluster genommen.")
        elif op == "quote":
            card = get_object_or_404(Card, uuid=actions.parse_card_uuid(request.POST.get("card")), workshop=workshop)
            actions.do_mark_quote(card, request.POST.get("value") == "1", acting_user=user)
            message = _("Zitat markiert.") if card.is_quote else _("Zitat-Markierung entfernt.")
        elif op == "voting":
            actions.do_set_voting(workshop, request.POST.get("value") == "1", acting_user=user)
            message = _("Punktabfrage gestartet.") if request.POST.get("value") == "1" else _("Punktabfrage beendet.")
        elif op == "lock":
            actions.do_set_locked(workshop, request.POST.get("value") == "1", acting_user=user)
            message = _("Board gesperrt.") if request.POST.get("value") == "1" else _("Board wieder geöffnet.")
        else:  # status
            actions.do_set_status(workshop, request.POST.get("value", ""), acting_user=user)
            message = _("Status geändert.")
    except ValidationError as exc:
        errors = _messages_of(exc)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        for msg in errors:
            messages.error(request, msg)
        return redirect(_back(request, workshop))
    if _wants_json(request):
        result["message"] = message
        return JsonResponse(result)
    messages.success(request, message)
    return redirect(_back(request, workshop))


def _back(request, workshop) -> str:
    target = request.POST.get("next", "")
    if target == "detail":
        return reverse("workshops:detail", args=[workshop.pk])
    if target == "praesentation":
        return reverse("workshops:presenter", args=[workshop.pk])
    anchor = request.POST.get("anchor", "")
    url = reverse("workshops:board", args=[workshop.pk])
    return url + (f"#{anchor}" if anchor.replace("-", "").isalnum() else "")


@workshop_permission_required()
@never_cache
@require_GET
def facilitator_events(request, workshop):
    return JsonResponse(selectors.events_after(workshop, after=int_param(request.GET, "nach", default=0, minimum=0)))


@workshop_permission_required()
@require_POST
def facilitator_photo(request, workshop):
    return _photo_upload(request, workshop, None, reverse("workshops:board", args=[workshop.pk]) + "#fotos")


def _photo_upload(request, workshop, participant, back):
    form = PhotoForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["image"]
        if upload.size > actions.MAX_PHOTO_BYTES:
            errors.append(_("Das Foto ist zu groß (%(mb)s MB); erlaubt sind höchstens %(max)s MB.")
                          % {"mb": round(upload.size / 1024 / 1024, 1), "max": actions.MAX_PHOTO_BYTES // 1024 // 1024})
        else:
            try:
                actions.do_upload_photo(workshop, data=upload.read(), caption=form.cleaned_data["caption"],
                                        participant=participant, acting_user=request.user)
            except ValidationError as exc:
                errors += _messages_of(exc)
    else:
        errors += [f"{form.fields[name].label}: {msg}" if name in form.fields else msg
                   for name, msgs in form.errors.items() for msg in msgs]
    if _wants_json(request):
        return JsonResponse({"ok": not errors, "errors": errors}, status=400 if errors else 200)
    for msg in errors:
        messages.error(request, msg)
    if not errors:
        messages.success(request, _("Foto gespeichert."))
    return redirect(back)


def _may_see_photos(request, workshop) -> bool:
    """``workshops.view_photos`` for the person, or for the participant this session joined as."""
    if has_perm(request.user, "workshops.view_photos", workshop):
        return True
    participant = selectors.participant_for(workshop, session=request.session)
    return participant is not None and has_perm(ParticipantActor(participant), "workshops.view_photos", workshop)


@never_cache
@retry_when_locked
def photo_file(request, pk, photo_pk, size):
    photo = get_object_or_404(Photo.objects.select_related("workshop"), pk=photo_pk, workshop_id=pk)
    if not _may_see_photos(request, photo.workshop):
        raise Http404
    field = photo.thumbnail if size == "vorschau" else photo.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, content_type="image/jpeg")


# ------------------------------------------------------------------------------------------
# Documentation and knowledge
# ------------------------------------------------------------------------------------------


@workshop_permission_required("workshops.view_protocol")
def protocol(request, workshop, fmt):
    if request.GET.get("art") == "synthese":
        return document_response(synthesis_document(workshop), fmt, f"synthesebericht-{workshop.title}")
    return document_response(protocol_document(workshop), fmt, f"ergebnisprotokoll-{workshop.title}")


def synthesis_web_blocks(blocks: list[dict]) -> list[dict]:
    """The report's blocks for the web view: headings one level down (the page has its own
    h1), quotes joined to the paragraph they stand beside, the timeline as inline SVG."""
    from django.utils.safestring import mark_safe

    from krisenwissen.reports.charts import chart_svg

    from .synthesis import timeline_spec

    out: list[dict] = []
    for block in blocks:
        kind = block["type"]
        if kind == "heading":
            out.append({**block, "tag": f"h{min(block['level'] + 1, 6)}"})
        elif kind == "quote" and out and out[-1]["type"] == "paragraph":
            out[-1].setdefault("quotes", []).append(block)
        elif kind == "figure":
            spec = timeline_spec(block["data"])
            svg = mark_safe(chart_svg(spec, title=block["caption"] or block["alt"], description=block["alt"])) if spec else ""  # noqa: S308 - vl-convert SVG with escaped texts
            out.append({**block, "svg": svg})
        else:
            out.append(dict(block))
    return out


@workshop_permission_required()
def synthesis_edit(request, workshop):
    """The Synthesebericht: a block editor (one form, a fieldset per block, buttons to move,
    remove and add blocks; no JavaScript needed) while it is a draft, read-only when final."""
    import json

    from .documents import synthesis_blocks_of
    from .forms import (
        NEW_BLOCK_TYPES,
        apply_block_op,
        blocks_from_post,
        editor_rows,
        redisplay_blocks,
    )

    op = request.POST.get("op", "") if request.method == "POST" else ""
    if op in ("generate", "reopen"):
        try:
            if op == "generate":
                actions.do_generate_synthesis(workshop, acting_user=request.user)
                messages.success(request, _("Entwurf aus dem Board erzeugt. Bitte prüfen und bearbeiten."))
            else:
                actions.do_reopen_synthesis(workshop, acting_user=request.user)
                messages.success(request, _("Der Synthesebericht kann wieder bearbeitet werden."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("workshops:synthesis", pk=workshop.pk)
    errors: list[str] = []
    json_text = ""
    submitted = None
    if request.method == "POST" and op:
        if workshop.synthesis_final:
            errors.append(_("Der Synthesebericht ist abgeschlossen. Öffnen Sie ihn erst wieder zur Bearbeitung."))
        else:
            blocks = None
            if op == "json":
                json_text = request.POST.get("blocks_json", "")[:600_000]
                try:
                    blocks = json.loads(json_text)
                except ValueError as exc:
                    errors.append(_("Die Blöcke sind kein gültiges JSON (Zeile %(line)s, Spalte %(col)s). Es wurde nichts gespeichert.")
                                  % {"line": getattr(exc, "lineno", "?"), "col": getattr(exc, "colno", "?")})
                except RecursionError:
                    errors.append(_("Die Blöcke sind zu tief verschachtelt. Es wurde nichts gespeichert."))
            else:
                blocks = blocks_from_post(request.POST)
                if op != "save":
                    blocks = apply_block_op(blocks, op, add_type=request.POST.get("add_type", ""),
                                            add_after=request.POST.get("add_after", ""))
            submitted = blocks
            if blocks is not None:
                final = op == "save" and request.POST.get("final") == "on"
                try:
                    actions.do_save_synthesis_blocks(workshop, blocks=blocks, final=final, acting_user=request.user)
                except ValidationError as exc:
                    errors += exc.messages
                else:
                    messages.success(request, _("Synthesebericht abgeschlossen.") if final else _("Synthesebericht gespeichert."))
                    return redirect(reverse("workshops:synthesis", args=[workshop.pk]) + _block_anchor(op, request.POST, len(blocks)))
    blocks = synthesis_blocks_of(workshop)
    if errors and submitted is not None and not workshop.synthesis_final:
        blocks = redisplay_blocks(submitted) or blocks
    context = {
        "workshop": workshop,
        "errors": errors,
        "final": workshop.synthesis_final,
        "preview": workshop.synthesis_final or request.GET.get("ansicht") == "vorschau",
        "web_blocks": synthesis_web_blocks(blocks),
        "rows": editor_rows(blocks),
        "count": len(blocks),
        "new_types": [(t, _BLOCK_LABEL(t)) for t in NEW_BLOCK_TYPES],
        "blocks_json": json_text or json.dumps(blocks, ensure_ascii=False, indent=1),
        "stored": bool(workshop.synthesis_blocks or workshop.synthesis_text),
    }
    return render(request, "workshops/synthesis.html", context, status=400 if errors else 200)


def _block_anchor(op: str, post, count: int) -> str:
    """Where the page continues after a block operation (without JavaScript): at the block."""
    name, _sep, number = op.partition("-")
    try:
        i = int(post.get("add_after", "")) + 1 if name == "add" else int(number)
    except ValueError:
        return ""
    i = {"up": i - 1, "down": i + 1, "remove": i - 1}.get(name, i)
    return f"#block-{max(0, min(i, count - 1))}" if count else ""


def _BLOCK_LABEL(kind: str) -> str:  # noqa: N802 - a lookup, not a class
    from .forms import BLOCK_LABELS

    return str(BLOCK_LABELS[kind])


@workshop_permission_required("workshops.transfer_results")
def knowledge_transfer(request, workshop):
    if request.method == "POST":
        cards = list(Card.objects.filter(workshop=workshop, uuid__in=[
            v for v in request.POST.getlist("card") if _is_uuid(v)]).select_related("author__municipality", "cluster"))
        clusters = list(Cluster.objects.filter(workshop=workshop, pk__in=id_list(request.POST, "cluster")))
        merge = {}
        for cluster in clusters:
            target = id_param(request.POST, f"merge-{cluster.pk}")
            if target is not None:
                merge[cluster.pk] = selectors.readable_lesson(target, user=request.user)
        if not cards and not clusters:
            messages.error(request, _("Bitte wählen Sie mindestens eine Karte oder einen Cluster aus."))
        else:
            try:
                counts = actions.do_transfer_to_knowledge(workshop, cards=cards, clusters=clusters,
                                                          merge={k: v for k, v in merge.items() if v is not None},
                                                          acting_user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(_messages_of(exc)) if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _(
                    "In die Wissensbasis übernommen: %(o)s neue Beobachtungen, %(l)s neue Erkenntnisse, "
                    "%(r)s neue Handlungsempfehlungen, %(m)s zusammengeführt, %(u)s aktualisiert, "
                    "%(s)s Karten anderer Kommunen ausgelassen.")
                    % {"o": counts["beobachtungen"], "l": counts["erkenntnisse"], "r": counts["empfehlungen"],
                       "m": counts["zusammengefuehrt"], "u": counts["aktualisiert"], "s": counts["uebersprungen"]})
                return redirect("workshops:knowledge", pk=workshop.pk)
    context = selectors.transfer_plan(workshop, user=request.user)
    return render(request, "workshops/knowledge.html", context)


def _is_uuid(value) -> bool:
    try:
        actions.parse_card_uuid(value)
        return True
    except ValidationError:
        return False


# ------------------------------------------------------------------------------------------
# Participants
# ------------------------------------------------------------------------------------------


@never_cache
@retry_when_locked
def join(request, token):
    workshop = selectors.workshop_by_token(token)
    participant = selectors.participant_for(workshop, session=request.session)
    if participant is not None:
        return redirect("workshops:participant_board", token=workshop.join_token)
    closed_reason = ""
    if selectors.is_finished(workshop):
        closed_reason = _("Dieser Workshop ist beendet. Eine Teilnahme ist nicht mehr möglich.")
    elif workshop.locked:
        closed_reason = _("Das Board ist gerade gesperrt. Bitte versuchen Sie es gleich noch einmal oder fragen Sie die Moderation.")
    anonymous = workshop.attribution == Attribution.ANONYM
    named = workshop.attribution == Attribution.NAMENTLICH  # only then is a name asked for and stored
    initial = {}
    if request.user.is_authenticated and named:
        initial["display_name"] = request.user.get_full_name() or request.user.get_username()
    form = JoinForm(request.POST or None, anonymous=not named, workshop=workshop, initial=initial)
    if request.method == "POST" and not closed_reason and form.is_valid():
        try:
            _rate_limit(request, "workshop_join", workshop)
        except RateLimited as exc:
            return _too_many(request, exc, reverse("workshops:join", args=[workshop.join_token]))
        try:
            participant = actions.do_join_workshop(
                workshop, display_name=form.cleaned_data.get("display_name", ""), municipality=form.cleaned_data["municipality"],
                department_function=form.cleaned_data["department_function"], acting_user=request.user)
        except ValidationError as exc:
            for msg in _messages_of(exc):
                form.add_error(None, msg)
        else:
            request.session[selectors.session_key(workshop)] = participant.key
            return redirect("workshops:participant_board", token=workshop.join_token)
    status = 200 if not closed_reason else 409 if request.method == "POST" else 200
    return render(request, "workshops/join.html", {"workshop": workshop, "form": form, "closed_reason": closed_reason,
                                                   "anonymous": anonymous}, status=status)


def _participant_or_redirect(request, token):
    """(workshop, participant or None). Devices send their key in ``X-Teilnahme`` (one
    query); plain forms rely on the session."""
    key = request.headers.get("X-Teilnahme", "")
    if key:
        participant = selectors.participant_by_key(token, key=key)
        if participant is not None:
            return participant.workshop, participant
    workshop = selectors.workshop_by_token(token)
    participant = selectors.participant_for(workshop, session=request.session)
    return workshop, participant


@never_cache
@retry_when_locked
def participant_board(request, token):
    workshop, participant = _participant_or_redirect(request, token)
    if participant is None:
        return redirect("workshops:join", token=workshop.join_token)
    context = selectors.board(workshop, participant=participant)
    context.update(_participant_urls(workshop))
    context["card_form"] = _card_form(workshop)
    context["photo_form"] = PhotoForm()
    if request.GET.get("teil") == "board":
        return render(request, "workshops/partials/participant_fragment.html", context)
    return render(request, "workshops/participant.html", context)


def _card_form(workshop, data=None):
    return CardForm(data, workshop=workshop, prefix=None, initial={"uuid": uuid.uuid4()})


def _participant_urls(workshop) -> dict:
    token = workshop.join_token
    return {
        "events_url": reverse("workshops:participant_events", args=[token]),
        "fragment_url": reverse("workshops:participant_board", args=[token]) + "?teil=board",
        "card_url": reverse("workshops:participant_card", args=[token]),
        "vote_url": reverse("workshops:participant_vote", args=[token]),
        "photo_url": reverse("workshops:participant_photo", args=[token]),
    }


@require_POST
@retry_when_locked
def participant_card(request, token):
    workshop, participant = _participant_or_redirect(request, token)
    if participant is None:
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": [_("Bitte treten Sie dem Workshop zuerst über den Link bei.")]}, status=403)
        return redirect("workshops:join", token=workshop.join_token)
    try:
        _rate_limit(request, "workshop_card", workshop)
    except RateLimited as exc:
        return _too_many(request, exc, reverse("workshops:participant_board", args=[workshop.join_token]))
    form = _card_form(workshop, request.POST)
    errors: list[str] = []
    card = None
    created = False
    status = 400
    if not workshop.accepts_contributions and _wants_json(request):
        # A resend of a card stored before the lock is still confirmed (by its UUID).
        known = Card.objects.filter(uuid=request.POST.get("uuid") if _is_uuid(request.POST.get("uuid")) else None,
                                    author=participant).first()
        if known is not None:
            return JsonResponse({"ok": True, "uuid": str(known.uuid), "created": False})
        if selectors.is_finished(workshop):
            return JsonResponse({"ok": False, "errors": [_("Dieser Workshop ist beendet; die Karte wurde nicht gespeichert.")]}, status=410)
        return JsonResponse({"ok": False, "errors": [_("Das Board ist gesperrt. Ihre Karte bleibt auf diesem Gerät gespeichert "
                                                       "und wird gesendet, sobald die Moderation es wieder öffnet.")]}, status=423)
    if form.is_valid():
        data = form.cleaned_data
        try:
            card, created = actions.do_add_card(participant, card_uuid=data["uuid"], text=data["text"],
                                                crisis_phase=data["crisis_phase"], when=data["when"], feeling=data["feeling"])
        except ValidationError as exc:
            errors = _messages_of(exc)
    else:
        errors = [msg for msgs in form.errors.values() for msg in msgs]
    if _wants_json(request):
        if errors:
            return JsonResponse({"ok": False, "errors": errors}, status=status)
        return JsonResponse({"ok": True, "uuid": str(card.uuid), "created": created}, status=201 if created else 200)
    if errors:
        context = selectors.board(workshop, participant=participant)
        context.update(_participant_urls(workshop))
        context["card_form"] = form
        context["card_errors"] = errors
        context["photo_form"] = PhotoForm()
        return render(request, "workshops/participant.html", context, status=400)
    messages.success(request, _("Karte gespeichert.") if created else _("Diese Karte war schon gespeichert."))
    return redirect(reverse("workshops:participant_board", args=[workshop.join_token]) + "#karte-schreiben")


@require_POST
@retry_when_locked
def participant_vote(request, token):
    workshop, participant = _participant_or_redirect(request, token)
    if participant is None:
        return redirect("workshops:join", token=workshop.join_token)
    try:
        _rate_limit(request, "workshop_vote", workshop)
    except RateLimited as exc:
        return _too_many(request, exc, reverse("workshops:participant_board", args=[workshop.join_token]) + "#punkte")
    cluster = get_object_or_404(Cluster, pk=id_param(request.POST, "cluster"), workshop=workshop)
    try:
        actions.do_cast_vote(participant, cluster, vote_uuid=request.POST.get("uuid") or None)
        message, ok = _("Punkt für „%(n)s“ vergeben.") % {"n": cluster.name}, True
    except ValidationError as exc:
        message, ok = " ".join(_messages_of(exc)), False
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect(reverse("workshops:participant_board", args=[workshop.join_token]) + "#punkte")


@require_POST
@retry_when_locked
def participant_photo(request, token):
    workshop, participant = _participant_or_redirect(request, token)
    if participant is None:
        return redirect("workshops:join", token=workshop.join_token)
    try:
        _rate_limit(request, "workshop_photo", workshop)
    except RateLimited as exc:
        return _too_many(request, exc, reverse("workshops:participant_board", args=[workshop.join_token]) + "#fotos")
    return _photo_upload(request, workshop, participant, reverse("workshops:participant_board", args=[workshop.join_token]) + "#fotos")


@never_cache
@require_GET
@retry_when_locked
def participant_events(request, token):
    """Event feed for participants' devices. The key comes from the page (header
    ``X-Teilnahme``) so that polling needs no session lookup; the session is the fallback."""
    key = request.headers.get("X-Teilnahme", "")
    if not key:
        workshop = selectors.workshop_by_token(token)
        key = request.session.get(selectors.session_key(workshop), "")
    feed = selectors.poll_events(token, key=key, after=int_param(request.GET, "nach", default=0, minimum=0)) if key else None
    if feed is None:
        return JsonResponse({"ok": False, "errors": [_("Bitte treten Sie dem Workshop zuerst über den Link bei.")]}, status=403)
    return JsonResponse(feed)
