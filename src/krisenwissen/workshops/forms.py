"""Forms only validate and convert input; actions write."""

from __future__ import annotations

import json

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.accounts.selectors import participating_municipalities
from krisenwissen.knowledge.models import Code, Crisis
from krisenwissen.knowledge.models import Phase as CrisisPhase

from .actions import MAX_PHOTO_BYTES
from .models import (
    CARD_MAX_LENGTH,
    Attribution,
    ClusterKind,
    Feeling,
    TransferScope,
    TransferVisibility,
    WorkshopKind,
)


class DateInput(forms.DateInput):
    input_type = "date"


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(label=_("Format"), choices=WorkshopKind.choices)
    host = forms.ModelChoiceField(label=_("Gastgebende Kommune"), queryset=Municipality.objects.none())
    crisis = forms.ModelChoiceField(label=_("Krise"), queryset=Crisis.objects.all(), required=False)
    theme = forms.ModelChoiceField(label=_("Themenschwerpunkt"), queryset=Code.objects.filter(scheme__key="themen", parent=None), required=False)
    focus = forms.CharField(label=_("Thema (frei)"), max_length=300, required=False)
    start_date = forms.DateField(label=_("Beginn"), widget=DateInput)
    end_date = forms.DateField(label=_("Ende"), widget=DateInput, required=False, help_text=_("Bei zweitägigen Workshops"))
    start_time = forms.TimeField(label=_("Beginn (Uhrzeit)"), initial="10:00", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 help_text=_("Weitere Tage beginnen um 9:00 Uhr; das Protokoll rechnet daraus die Tagesordnung."))
    place = forms.CharField(label=_("Ort"), max_length=300, required=False)
    invited = forms.ModelMultipleChoiceField(label=_("Eingeladene Kommunen"), queryset=Municipality.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("Typisch sind 2 bis 4 Beschäftigte je Stadt aus verschiedenen Ämtern."))
    attribution = forms.ChoiceField(label=_("Nennung der Beiträge"), choices=Attribution.choices, initial=Attribution.CHATHAM_HOUSE,
                                    help_text=_("Anonym: keine Namen. Chatham House: Namen nur im Raum, nicht im Protokoll. Namentlich: Namen im Protokoll."))
    private_until_reveal = forms.BooleanField(label=_("Karten bleiben verdeckt, bis die Moderation sie aufdeckt"), required=False, initial=True)
    votes_per_participant = forms.IntegerField(label=_("Punkte je Person bei der Punktabfrage"), min_value=1, max_value=20, initial=3)
    transfer_scope = forms.ChoiceField(label=_("Vereinbarung: Übernahme in die Wissensbasis"), choices=TransferScope.choices,
                                       initial=TransferScope.MODERATION,
                                       help_text=_("Jede Karte wird eine Beobachtung der Kommune, aus der die teilnehmende Person kam."))
    transfer_visibility = forms.ChoiceField(label=_("Vereinbarung: Sichtbarkeit der übernommenen Einträge"), choices=TransferVisibility.choices,
                                            initial=TransferVisibility.INTERN)

    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts if hosts is not None else Municipality.objects.none()
        self.fields["invited"].queryset = participating_municipalities()

    def clean(self):
        data = super().clean()
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Das Ende liegt vor dem Beginn."))
        return data


class JoinForm(forms.Form):
    display_name = forms.CharField(label=_("Anzeigename"), max_length=80, required=False,
                                   help_text=_("Freiwillig. Leer lassen, um anonym teilzunehmen."))
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none(), required=False)
    department_function = forms.ChoiceField(label=_("Bereich"), choices=[("", _("keine Angabe")), *DepartmentFunction.choices], required=False)

    def __init__(self, *args, anonymous=False, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshop is not None:  # only the host and the invited municipalities
            self.fields["municipality"].queryset = Municipality.objects.filter(
                Q(pk=workshop.host_id) | Q(pk__in=workshop.invited.values("pk"))).order_by("name")
        else:
            self.fields["municipality"].queryset = participating_municipalities()
        if anonymous:
            del self.fields["display_name"]


class CardForm(forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Ihre Karte"), max_length=CARD_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Ein Gedanke pro Karte, höchstens %(n)s Zeichen.") % {"n": CARD_MAX_LENGTH},
                           error_messages={"max_length": _("Die Karte ist zu lang (höchstens %(limit_value)d Zeichen, jetzt %(show_value)d)."),
                                           "required": _("Die Karte ist leer. Bitte schreiben Sie einen Text.")})
    crisis_phase = forms.ModelChoiceField(label=_("Krisenphase (Zeitstrahl)"), queryset=None, required=False, empty_label=_("keine Zuordnung"))
    when = forms.DateField(label=_("Zeitpunkt (ungefähr)"), widget=DateInput, required=False)
    feeling = forms.ChoiceField(label=_("Wie haben Sie sich damals gefühlt?"), choices=[("", _("keine Angabe")), *Feeling.choices], required=False)

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crisis_phase"].queryset = (CrisisPhase.objects.filter(crisis_id=workshop.crisis_id)
                                                if workshop is not None and workshop.crisis_id else CrisisPhase.objects.none())


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto (JPEG oder PNG)"), help_text=_("Höchstens %(n)s MB. Ortsangaben und Gerätedaten werden entfernt.")
                            % {"n": MAX_PHOTO_BYTES // 1024 // 1024})
    caption = forms.CharField(label=_("Was ist zu sehen?"), max_length=300, help_text=_("Kurze Beschreibung, z. B. „Pinnwand Transferphase“."))


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Name des Clusters"), max_length=200)
    kind = forms.ChoiceField(label=_("Einordnung"), choices=ClusterKind.choices, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Leitfrage"), max_length=500)


# ------------------------------------------------------------------------------------------
# The block editor of the Synthesebericht (works without JavaScript)
# ------------------------------------------------------------------------------------------

BLOCK_LABELS = {
    "heading": _("Überschrift"),
    "paragraph": _("Absatz"),
    "list": _("Liste"),
    "quote": _("Zitat"),
    "figure": _("Abbildung"),
    "table": _("Tabelle"),
}
NEW_BLOCK_TYPES = ("paragraph", "heading", "list", "quote", "table")
CELL_SEPARATOR = " | "


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]


def blocks_from_post(post) -> list:
    """The blocks as the editor form sends them (one fieldset per block, ``b<i>-<field>``).

    Returns plain dicts for :func:`workshops.synthesis.validate_blocks` to check; a count or
    a level that is no number becomes a block the validation refuses with a German message.
    """
    from .synthesis import MAX_BLOCKS

    try:
        count = int(post.get("count", "0"))
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_BLOCKS:
        return [None] * (MAX_BLOCKS + 1) if count > MAX_BLOCKS else ["?"]
    blocks = []
    for i in range(count):
        def value(name: str, i=i) -> str:
            return post.get(f"b{i}-{name}", "")

        kind = value("type")
        if kind == "heading":
            try:
                level = int(value("level"))
            except ValueError:
                level = 0
            blocks.append({"type": kind, "level": level, "text": value("text")})
        elif kind == "paragraph":
            blocks.append({"type": kind, "text": value("text")})
        elif kind == "quote":
            blocks.append({"type": kind, "text": value("text"), "source": value("source")})
        elif kind == "list":
            blocks.append({"type": kind, "items": _lines(value("items")), "title": value("title"),
                           "box": value("box") == "on"})
        elif kind == "table":
            header = _cells(value("header")) if value("header").strip() else []
            blocks.append({"type": kind, "caption": value("caption"), "header": header,
                           "rows": [_cells(line) for line in _lines(value("rows"))]})
        elif kind == "figure":
            try:
                data = json.loads(value("data") or "null")
            except (ValueError, RecursionError):
                data = None
            blocks.append({"type": kind, "figure": value("figure"), "caption": value("caption"), "alt": value("alt"),
                           "data": data})
        else:
            blocks.append({"type": kind})
    return blocks


def new_block(kind: str) -> dict:
    """An empty block of ``kind`` for the editor's "add" button."""
    if kind == "heading":
        return {"type": "heading", "level": 2, "text": str(_("Neuer Abschnitt"))}
    if kind == "list":
        return {"type": "list", "items": [], "title": "", "box": False}
    if kind == "quote":
        return {"type": "quote", "text": str(_("Neues Zitat")), "source": str(_("Stimme aus dem Workshop (anonym)"))}
    if kind == "table":
        return {"type": "table", "caption": "", "header": [str(_("Spalte 1")), str(_("Spalte 2"))], "rows": []}
    return {"type": "paragraph", "text": ""}


def apply_block_op(blocks: list, op: str, *, add_type: str = "", add_after: str = "") -> list:
    """Move, remove or add a block (``op`` like ``up-3``, ``down-3``, ``remove-3``, ``add``)."""
    blocks = list(blocks)
    name, _sep, number = op.partition("-")
    if name == "add":
        if add_type not in NEW_BLOCK_TYPES:
            return blocks
        try:
            position = int(add_after) + 1
        except ValueError:
            position = len(blocks)
        blocks.insert(max(0, min(position, len(blocks))), new_block(add_type))
        return blocks
    try:
        i = int(number)
    except ValueError:
        return blocks
    if not 0 <= i < len(blocks):
        return blocks
    if name == "up" and i > 0:
        blocks[i - 1], blocks[i] = blocks[i], blocks[i - 1]
    elif name == "down" and i < len(blocks) - 1:
        blocks[i + 1], blocks[i] = blocks[i], blocks[i + 1]
    elif name == "remove":
        del blocks[i]
    return blocks


def editor_rows(blocks: list[dict]) -> list[dict]:
    """What the editor template shows per block (texts joined for textareas)."""
    rows = []
    for i, block in enumerate(blocks):
        row = {"i": i, "number": i + 1, "block": block, "label": BLOCK_LABELS.get(block["type"], block["type"]),
               "first": i == 0, "last": i == len(blocks) - 1}
        if block["type"] == "list":
            row["items"] = "\n".join(block["items"])
        elif block["type"] == "table":
            row["header"] = CELL_SEPARATOR.join(block["header"])
            row["rows"] = "\n".join(CELL_SEPARATOR.join(r) for r in block["rows"])
        elif block["type"] == "figure":
            row["data"] = json.dumps(block["data"], ensure_ascii=False)
        rows.append(row)
    return rows


def redisplay_blocks(blocks) -> list[dict] | None:
    """The submitted blocks shaped so the editor can show them again after a refused save
    (the person keeps the edits and corrects the block the message names); None when the
    input is not a list of blocks at all (then the stored report is shown)."""
    from .synthesis import BLOCK_TYPES, MAX_BLOCKS, BlockError, validate_blocks

    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return None
    out = []
    for block in blocks:
        try:
            out += validate_blocks([block])
            continue
        except BlockError:
            pass
        if isinstance(block, dict) and block.get("type") == "figure":
            try:  # an empty text alternative: keep the figure so the person can write one
                figure = validate_blocks([{**block, "alt": "–", "caption": str(block.get("caption", ""))[:300]}])[0]
            except BlockError:
                continue
            out.append({**figure, "alt": str(block.get("alt") or "")[:4000]})
            continue
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            continue  # unknown or damaged: cannot be shown as a form (the message names it)

        def text(name: str, limit: int = 20_000, block=block) -> str:
            value = block.get(name, "")
            return (value if isinstance(value, str) else str(value))[:limit]

        kind = block["type"]
        if kind == "heading":
            level = block.get("level")
            level = level if isinstance(level, int) and 1 <= level <= 3 else 2
            out.append({"type": kind, "level": level, "text": text("text", 500)})
        elif kind in ("paragraph", "quote"):
            out.append({"type": kind, "text": text("text"), **({"source": text("source", 300)} if kind == "quote" else {})})
        elif kind == "list":
            items = block.get("items") if isinstance(block.get("items"), list) else []
            out.append({"type": kind, "items": [str(i)[:2000] for i in items[:200]], "title": text("title", 300),
                        "box": bool(block.get("box"))})
        elif kind == "table":
            header = [str(h)[:200] for h in (block.get("header") or [])[:8]] if isinstance(block.get("header"), list) else []
            header = header or [""]
            rows = block.get("rows") if isinstance(block.get("rows"), list) else []
            rows = [[str(c)[:2000] for c in (r if isinstance(r, list) else [r])][: len(header)] for r in rows[:200]]
            out.append({"type": kind, "caption": text("caption", 300), "header": header,
                        "rows": [r + [""] * (len(header) - len(r)) for r in rows]})
    return out
