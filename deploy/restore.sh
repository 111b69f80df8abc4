#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and a media folder.
# Usage: deploy/restore.sh BACKUP_FOLDER DATABASE_URL MEDIA_ROOT
set -euo pipefail
source_dir="$1"
database_url="$2"
media_root="$3"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$database_url" "$source_dir/database.dump"
if [ -f "$source_dir/media.tar.gz" ]; then
    mkdir -p "$media_root"
    tar --extract --gzip --file="$source_dir/media.tar.gz" --directory="$media_root"
fi
