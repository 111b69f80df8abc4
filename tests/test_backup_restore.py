"""deploy/backup.sh and deploy/restore.sh: a dump restored into a fresh database holds the site's content."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import make_standard_page
from tests.services import require_service

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def url_for(database: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgresql://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{database}"


def test_a_backup_restores_into_a_fresh_database_with_pages_and_media(home_page, tmp_path):
    require_service(connection.vendor == "postgresql", "backups are tested on PostgreSQL (set DATABASE_URL)")
    make_standard_page(home_page, title="Restorable fees page", introduction="Sliding scale available.")
    media = tmp_path / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "photo.jpg").write_bytes(b"jpeg bytes")
    fresh = f"restore_check_{os.getpid()}"
    admin_url = url_for("postgres")

    backup_dir = subprocess.run(
        [DEPLOY / "backup.sh", url_for(connection.settings_dict["NAME"]), media, tmp_path / "backups"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        subprocess.run(
            [DEPLOY / "restore.sh", backup_dir, url_for(fresh), tmp_path / "restored-media"], check=True
        )
        with psycopg.connect(url_for(fresh)) as restored:
            titles = [row[0] for row in restored.execute("SELECT title FROM wagtailcore_page ORDER BY path")]
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    assert "Restorable fees page" in titles
    assert (tmp_path / "restored-media" / "images" / "photo.jpg").read_bytes() == b"jpeg bytes"
