import datetime
import io

import pytest

from krisenwissen.accounts.models import Role
from krisenwissen.workshops import actions

from .. import factories as f


@pytest.fixture
def host(db):
    return f.MunicipalityFactory(name="Essen", ags="05113", is_participating=True)


@pytest.fixture
def moderator(host):
    return f.MembershipFactory(municipality=host, role=Role.MODERATION, user__username="moderation-essen").user


@pytest.fixture
def crisis(db):
    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    for number, name in enumerate(["Eindämmung & Unsicherheit", "Schutz & Weiterbetrieb", "Kontrolle & Legitimation"], 1):
        f.PhaseFactory(crisis=crisis, number=number, name=name)
    return crisis


@pytest.fixture
def workshop(moderator, host, crisis):
    return actions.do_create_workshop(
        host=host, acting_user=moderator,
        fields={"title": "Reflexionsraum Test", "start_date": datetime.date(2023, 3, 27), "end_date": datetime.date(2023, 3, 28),
                "crisis": crisis, "place": "Essen", "attribution": "chatham_house", "private_until_reveal": True},
    )


@pytest.fixture
def participant(workshop, host):
    return actions.do_join_workshop(workshop, display_name="Person A", municipality=host, department_function="ordnungsamt")


def image_bytes(fmt="JPEG", size=(64, 48), exif=True) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, "#336699")
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        ex = Image.Exif()
        ex[0x010F] = "GeheimKamera"  # Make
        ex[0x0110] = "Modell X"  # Model
        ex[0x8825] = {1: "N", 2: (51.0, 27.0, 0.0)}  # GPS IFD
        kwargs["exif"] = ex.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()
