"""Background jobs of the ingest part (django-tasks; in production `krisenwissen db_worker`)."""

from django_tasks import task


@task()
def extract_document_version(version_id: int) -> str:
    from .ingest_actions import run_extraction

    return run_extraction(version_id).status
