from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_db(db):
    """The full demo content (knowledge + learning) with a current search index."""
    from krisenwissen.search.indexing import reindex_all

    call_command("load_demo", stdout=StringIO())
    reindex_all()


@pytest.fixture
def users(demo_db):
    from krisenwissen.accounts.models import User

    return {u.username: u for u in User.objects.all()}
