#!/usr/bin/env bash
# The sqlite3 shell peer of bench_import's storage phase: load a Taobao-format CSV into a new
# SQLite database with the shell's `.import`, into a table with the file's schema.
#
#   sqlite_import.sh DB FILE
#
# DB must not exist yet. The timed part is one `sqlite3 DB` process that creates the table and
# runs `.mode csv` + `.import FILE events` (which the shell wraps in a single transaction), with
# the shell's default settings (rollback journal, synchronous=FULL). The row count is checked
# afterwards, untimed. Prints one JSON line: rows, bytes, seconds, db_bytes, sqlite_version.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: sqlite_import.sh DB FILE" >&2
    exit 2
fi
db=$1
file=$2
sqlite=${SQLITE3:-sqlite3}

if ! command -v "$sqlite" >/dev/null 2>&1; then
    echo "sqlite_import: the sqlite3 shell is missing (Debian package sqlite3)" >&2
    exit 3
fi
if [[ -e $db ]]; then
    echo "sqlite_import: $db exists already; give a new path" >&2
    exit 2
fi
if [[ ! -r $file ]]; then
    echo "sqlite_import: cannot read $file" >&2
    exit 2
fi
case $file in
    *\"* | *\'*) echo "sqlite_import: the file name must not contain quotes: $file" >&2; exit 2 ;;
esac

start=$(date +%s.%N)
"$sqlite" -batch -bail "$db" <<EOF
CREATE TABLE events (
    user_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    category_id INTEGER NOT NULL,
    behavior_type TEXT NOT NULL,
    timestamp INTEGER NOT NULL
);
.mode csv
.import '$file' events
EOF
end=$(date +%s.%N)

rows=$("$sqlite" -batch "$db" 'SELECT count(*) FROM events;')
bytes=$(stat -c %s "$file")
db_bytes=$(stat -c %s "$db")
version=$("$sqlite" -batch :memory: 'SELECT sqlite_version();')
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }')
printf '{"tool": "sqlite3 .import", "sqlite_version": "%s", "rows": %s, "bytes": %s, "seconds": %s, "db_bytes": %s}\n' \
    "$version" "$rows" "$bytes" "$seconds" "$db_bytes"
