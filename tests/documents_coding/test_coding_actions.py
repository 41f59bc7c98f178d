"""Coding, memos and code-book editing that keeps the codings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.documents import coding_actions as actions
from krisenwissen.documents import coding_selectors as selectors
from krisenwissen.documents.models import Coding, Memo
from krisenwissen.knowledge.models import Code, Observation
from tests import factories as f

from .helpers import TEXT, make_codes, make_document, span


@pytest.fixture
def coded(city_a, contributor_a):
    document, version = make_document(city_a)
    scheme, parent, child, other = make_codes()
    return document, version, scheme, parent, child, other


def test_contributor_codes_a_segment_with_code_point_offsets(coded, contributor_a):
    document, version, _s, _p, child, _o = coded
    start, end = span(TEXT, "Bürgerhotline ist überlastet 📞")
    coding = actions.do_code_segment(version, start=start, end=end, code=child, acting_user=contributor_a)
    assert coding.segment == "Bürgerhotline ist überlastet 📞"
    assert coding.coder == contributor_a and coding.coder_name == contributor_a.get_full_name()
    assert AuditEntry.objects.filter(action="documents.segment_coded").count() == 1
    # The same coding again is not stored twice.
    assert actions.do_code_segment(version, start=start, end=end, code=child, acting_user=contributor_a) == coding


def test_reader_and_other_city_may_not_code(coded, reader_a, city_b):
    document, version, _s, _p, child, _o = coded
    other = f.MembershipFactory(municipality=city_b, role=Role.MITWIRKENDE).user
    document.visibility = "oeffentlich"
    document.save()
    for user in (reader_a, other):
        with pytest.raises(PermissionDenied):
            actions.do_code_segment(version, start=0, end=5, code=child, acting_user=user)
    assert not Coding.objects.exists()


@pytest.mark.parametrize("start, end", [(-1, 4), (5, 5), (0, len(TEXT) + 1), ("a", 3), (None, 2)])
def test_out_of_range_is_refused(coded, contributor_a, start, end):
    _d, version, _s, _p, child, _o = coded
    with pytest.raises(ValidationError):
        actions.do_code_segment(version, start=start, end=end, code=child, acting_user=contributor_a)
    assert not Coding.objects.exists()


def test_memos_on_code_document_and_coding(coded, contributor_a):
    document, version, _s, _p, child, _o = coded
    coding = actions.do_code_segment(version, start=0, end=9, code=child, acting_user=contributor_a)
    actions.do_add_memo(text="Code-Memo", code=child, acting_user=contributor_a)
    actions.do_add_memo(text="Dokument-Memo\r\nzweite Zeile", document=document, acting_user=contributor_a)
    actions.do_add_memo(text="Stellen-Memo", coding=coding, acting_user=contributor_a)
    assert Memo.objects.get(document=document).text == "Dokument-Memo\nzweite Zeile"
    assert [m.text for m in coding.memos.all()] == ["Stellen-Memo"]
    with pytest.raises(ValidationError):
        actions.do_add_memo(text="  ", code=child, acting_user=contributor_a)


def test_merge_keeps_codings_and_knowledge_uses(coded, contributor_a, admin_user, city_a):
    _d, version, _s, parent, child, other = coded
    kept = actions.do_code_segment(version, start=0, end=9, code=other, acting_user=contributor_a)
    observation = f.ObservationFactory(municipality=city_a)
    observation.codes.set([other, parent])
    actions.do_add_memo(text="Memo am Personal-Code", code=other, acting_user=contributor_a)
    actions.do_merge_codes(other, into=parent, acting_user=admin_user)
    kept.refresh_from_db()
    assert kept.code == parent and kept.segment == TEXT[0:9]
    assert not Code.objects.filter(key="personal").exists()
    assert list(Observation.objects.get(pk=observation.pk).codes.all()) == [parent]
    assert parent.memos.get().text == "Memo am Personal-Code"
    with pytest.raises(ValidationError):
        actions.do_merge_codes(parent, into=child, acting_user=admin_user)
    with pytest.raises(PermissionDenied):
        actions.do_merge_codes(child, into=parent, acting_user=contributor_a)


def test_split_moves_the_chosen_codings(coded, contributor_a, admin_user):
    _d, version, _s, parent, child, _o = coded
    first = actions.do_code_segment(version, start=0, end=9, code=child, acting_user=contributor_a)
    second = actions.do_code_segment(version, start=10, end=20, code=child, acting_user=contributor_a)
    new = actions.do_split_code(child, codings=[second], name="Hotline-Überlastung", key="hotline-last", acting_user=admin_user)
    assert new.parent == parent and new.scheme == child.scheme
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.code, second.code) == (child, new)
    assert second.segment == TEXT[10:20]


def test_move_and_rename(coded, admin_user):
    _d, _v, _s, parent, child, other = coded
    actions.do_move_code(child, parent=other, acting_user=admin_user)
    actions.do_rename_code(child, name="Hotline", acting_user=admin_user)
    child.refresh_from_db()
    assert child.parent == other and child.name == "Hotline"
    with pytest.raises(ValidationError):
        actions.do_move_code(other, parent=child, acting_user=admin_user)


def test_retrieval_shows_only_readable_documents(coded, contributor_a, city_b, admin_user):
    _d, version, _s, parent, child, _o = coded
    actions.do_code_segment(version, start=0, end=9, code=child, acting_user=contributor_a)
    _d2, version_b = make_document(city_b, title="Internes aus B")
    actions.do_code_segment(version_b, start=0, end=9, code=child, acting_user=admin_user)
    assert selectors.code_segments(code=child, user=contributor_a).count() == 1
    assert selectors.code_segments(code=parent, user=contributor_a, subcodes=True).count() == 1
    assert selectors.code_segments(code=child, user=admin_user).count() == 2
    assert selectors.code_segments(code=child, user=admin_user, municipality_id=city_b.pk).get().document.title == "Internes aus B"


def test_cooccurrence_and_agreement(coded, contributor_a, city_a):
    _d, version, _s, _p, child, other = coded
    second = f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__first_name="Zweite",
                                 user__last_name="Person").user
    actions.do_code_segment(version, start=0, end=20, code=child, acting_user=contributor_a)
    actions.do_code_segment(version, start=10, end=30, code=other, acting_user=contributor_a)
    actions.do_code_segment(version, start=0, end=20, code=child, acting_user=second)
    table = selectors.cooccurrence(user=contributor_a)
    assert table.counts[(child.pk, other.pk)] == 2  # both coders’ segments overlap the other code
    [(code, result)] = [r for r in selectors.intercoder_agreement(version, contributor_a.get_full_name(), "Zweite Person")
                        if r[0] == child]
    assert result.percent == 1.0
    [(_c, result_other)] = [r for r in selectors.intercoder_agreement(version, contributor_a.get_full_name(), "Zweite Person")
                            if r[0] == other]
    assert result_other.percent == (len(TEXT) - 20) / len(TEXT)
