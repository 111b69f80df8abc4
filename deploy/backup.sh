#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media folder into one dated folder.
# Usage: deploy/backup.sh DATABASE_URL MEDIA_ROOT BACKUP_DIR
set -euo pipefail
database_url="$1"
media_root="$2"
target="$3/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$database_url"
if [ -d "$media_root" ]; then
    tar --create --gzip --file="$target/media.tar.gz" --directory="$media_root" .
fi
echo "$target"
