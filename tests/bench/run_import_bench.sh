#!/usr/bin/env bash
# Import benchmark: our importer and workspace against pandas and the sqlite3 shell, in one run,
# reported as ratios. See README.md in this folder.
#
#   run_import_bench.sh [--bench-import PATH] [ROWS]        (ROWS defaults to 10000000)
#
# Steps: make (or reuse) a ROWS-row Taobao file scaled from the real sample; then, each as its own
# process so peak memory is per tool:
#   1. pandas_import.py            pandas.read_csv with dtypes + factorize of the ids
#   2. bench_import --phase parse  swb::importLog (parse + dictionary-encode)
#   3. sqlite_import.sh            sqlite3 shell: .mode csv + .import into a new database
#   4. bench_import --phase both   swb::importLog, then Workspace::open + storeDataset
# and print a table with the ratios and the targets from the issue. Exits 0 when everything ran
# (whether or not the targets are met), non-zero when a tool is missing or a run failed or produced
# the wrong number of rows.
#
# Environment:
#   SWB_BENCH_IMPORT     path of bench_import (or --bench-import)
#   SWB_BENCH_PYTHON     interpreter with pandas (default /usr/bin/python3)
#   SWB_BENCH_SAMPLE     the real Taobao sample (default ../../../shared/data/... from this script)
#   SWB_BENCH_CACHE_DIR  where big generated files are kept and reused (default <repo>/build/bench-data)
#   SWB_BENCH_TMPDIR     parent of the scratch folder (default $TMPDIR or /tmp)
#   SWB_BENCH_KEEP_TMP   1: keep the scratch folder (databases, logs) and print its path
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

bench_import=${SWB_BENCH_IMPORT:-}
rows=10000000
while [[ $# -gt 0 ]]; do
    case $1 in
        --bench-import) bench_import=${2:?--bench-import needs a path}; shift 2 ;;
        --bench-import=*) bench_import=${1#*=}; shift ;;
        -h | --help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *)
            if [[ $1 =~ ^[1-9][0-9]*$ ]]; then rows=$1; shift
            else echo "run_import_bench: unknown argument: $1" >&2; exit 2; fi ;;
    esac
done

python=${SWB_BENCH_PYTHON:-/usr/bin/python3}
sample=${SWB_BENCH_SAMPLE:-$repo/../shared/data/taobao-userbehavior-head.csv}
cache_dir=${SWB_BENCH_CACHE_DIR:-$repo/build/bench-data}
generator_version=v1 # bump when make_taobao_scaled.py changes its output, so caches are not reused

die() { echo "run_import_bench: $*" >&2; exit 2; }

# --- prerequisites -------------------------------------------------------------------------------
[[ -x $python ]] || die "$python is missing; install Debian's python3 and python3-pandas"
"$python" -c 'import pandas' 2>/dev/null \
    || die "$python has no pandas; install it with: apt-get install python3-pandas"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing; install it with: apt-get install sqlite3"
if [[ -z $bench_import ]]; then
    for candidate in "$repo"/build/*/tests/bench/bench_import; do
        [[ -x $candidate ]] && { bench_import=$candidate; break; }
    done
fi
[[ -n $bench_import && -x $bench_import ]] \
    || die "bench_import not found; build the target and pass --bench-import PATH (or SWB_BENCH_IMPORT)"
[[ -f $sample ]] || die "the Taobao sample is missing: $sample (see shared/data/README.md)"

time_bin=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    time_bin=/usr/bin/time
else
    echo "run_import_bench: /usr/bin/time -v is unavailable; peak memory comes from each program's getrusage" >&2
fi

work=$(mktemp -d "${SWB_BENCH_TMPDIR:-${TMPDIR:-/tmp}}/swb-import-bench.XXXXXX")
if [[ ${SWB_BENCH_KEEP_TMP:-0} == 1 ]]; then
    trap 'echo "run_import_bench: scratch folder kept: $work" >&2' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi

# --- the input file ------------------------------------------------------------------------------
file_name=taobao-scaled-$generator_version-$rows.csv
cached=$cache_dir/$file_name
line_count() { wc -l <"$1" | tr -d ' '; }
if [[ -f $cached && $(line_count "$cached") == "$rows" ]]; then
    file=$cached
    echo "run_import_bench: reusing $file" >&2
else
    # Big files are worth keeping for the next run, in the build tree when there is one.
    if (( rows >= 1000000 )) && [[ -d $(dirname "$cache_dir") ]] && mkdir -p "$cache_dir" 2>/dev/null; then
        file=$cached
    else
        file=$work/$file_name
    fi
    "$python" "$here/make_taobao_scaled.py" --sample "$sample" "$rows" "$file"
fi
[[ $(line_count "$file") == "$rows" ]] || die "$file does not have $rows rows"
cat "$file" >/dev/null # into the page cache, so the first tool does not pay for the disk alone

# --- the runs ------------------------------------------------------------------------------------
# run NAME CMD...: stdout (one JSON line) to NAME.json, stderr to NAME.err, /usr/bin/time to NAME.time.
run() {
    local name=$1; shift
    echo "run_import_bench: running $name ..." >&2
    local status=0
    if [[ -n $time_bin ]]; then
        "$time_bin" -v -o "$work/$name.time" "$@" >"$work/$name.json" 2>"$work/$name.err" || status=$?
    else
        "$@" >"$work/$name.json" 2>"$work/$name.err" || status=$?
        : >"$work/$name.time"
    fi
    if (( status != 0 )); then
        echo "run_import_bench: $name failed (exit status $status):" >&2
        cat "$work/$name.err" >&2
        exit 1
    fi
}

run pandas "$python" "$here/pandas_import.py" "$file"
run swb_parse "$bench_import" --file "$file" --phase parse
run sqlite "$here/sqlite_import.sh" "$work/sqlite-import.db" "$file"
rm -f "$work/sqlite-import.db" # keep disk use at one database at a time
run swb_store "$bench_import" --file "$file" --phase both --workspace "$work/bench.swb"

# --- the report ----------------------------------------------------------------------------------
"$python" - "$work" "$rows" "$file" <<'PY'
import json, os, re, sys

work, rows, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
MiB = 1024.0 * 1024.0


def load(name):
    with open(os.path.join(work, name + ".json")) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    if not lines:
        sys.exit(f"run_import_bench: {name} printed no JSON")
    data = json.loads(lines[-1])
    with open(os.path.join(work, name + ".time")) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    data["peak_mb"] = int(m.group(1)) / 1024.0 if m else data.get("peak_rss_mb", float("nan"))
    return data


pandas, swb_parse, sqlite, swb_store = (load(n) for n in ("pandas", "swb_parse", "sqlite", "swb_store"))
size = os.path.getsize(path)

problems = []
for name, got in (("pandas", pandas["rows"]), ("sqlite3 .import", sqlite["rows"]),
                  ("swb (parse) rows read", swb_parse["rows_read"]),
                  ("swb (store) rows read", swb_store["rows_read"])):
    if got != rows:
        problems.append(f"{name}: {got} rows, expected {rows}")
if swb_store.get("stored_events") != swb_store["rows"]:
    problems.append(f"swb store: {swb_store.get('stored_events')} events stored of {swb_store['rows']}")
for name, data in (("parse", swb_parse), ("store", swb_store)):
    if data.get("rows_rejected", 0):
        print(f"run_import_bench: warning: swb ({name}) rejected {data['rows_rejected']} rows",
              file=sys.stderr)

swb_e2e = swb_store["parse_seconds"] + swb_store["store_seconds"]
table = [
    # tool, what is timed, seconds, peak MiB
    ("pandas read_csv+factorize", "parse+encode", pandas["seconds"], pandas["peak_mb"]),
    ("swb importLog", "parse+encode", swb_parse["parse_seconds"], swb_parse["peak_mb"]),
    ("sqlite3 .import", "CSV -> SQLite", sqlite["seconds"], sqlite["peak_mb"]),
    ("swb storeDataset", "table -> SQLite", swb_store["store_seconds"], None),
    ("swb importLog+store", "CSV -> SQLite", swb_e2e, swb_store["peak_mb"]),
]

print()
print(f"Import benchmark: {rows:,} rows, {size / MiB:,.1f} MiB ({os.path.basename(path)})")
print(f"pandas {pandas.get('pandas_version', '?')}, sqlite {sqlite.get('sqlite_version', '?')}, "
      f"{os.cpu_count()} CPUs")
print()
print(f"{'tool':<27} {'timed':<16} {'seconds':>9} {'rows/s':>13} {'MiB/s':>9} {'peak MiB':>9}")
for tool, what, seconds, peak in table:
    peak_txt = f"{peak:9.0f}" if peak is not None else f"{'n/a':>9}"
    print(f"{tool:<27} {what:<16} {seconds:9.2f} {rows / seconds:13,.0f} {size / MiB / seconds:9.1f} {peak_txt}")

ratios = [
    ("parse+encode throughput, swb / pandas", pandas["seconds"] / swb_parse["parse_seconds"], 10.0),
    ("parse+encode peak memory, pandas / swb", pandas["peak_mb"] / swb_parse["peak_mb"], 4.0),
    ("store time, sqlite3 .import / swb storeDataset", sqlite["seconds"] / swb_store["store_seconds"], 4.0),
    ("CSV -> SQLite time, sqlite3 .import / swb import+store", sqlite["seconds"] / swb_e2e, None),
]
print()
print(f"{'ratio':<56} {'value':>8} {'target':>8}")
for name, value, target in ratios:
    if target is None:
        print(f"{name:<56} {value:7.2f}x {'(info)':>8}")
    else:
        verdict = "met" if value >= target else "MISSED"
        print(f"{name:<56} {value:7.2f}x {'>= %gx' % target:>8}  {verdict}")
print()
print("seconds: in-process for pandas (after `import pandas`) and swb; the whole sqlite3 process "
      "for .import. peak: max RSS of each process (/usr/bin/time -v, else getrusage); "
      "storeDataset runs in the importLog+store process, whose peak is shown.")

summary = {
    "rows": rows, "bytes": size,
    "pandas": {"seconds": pandas["seconds"], "peak_mb": pandas["peak_mb"]},
    "swb_parse": {"seconds": swb_parse["parse_seconds"], "peak_mb": swb_parse["peak_mb"]},
    "sqlite_import": {"seconds": sqlite["seconds"], "peak_mb": sqlite["peak_mb"]},
    "swb_store": {"seconds": swb_store["store_seconds"], "parse_seconds": swb_store["parse_seconds"],
                  "peak_mb": swb_store["peak_mb"]},
    "ratios": {"throughput_vs_pandas": ratios[0][1], "memory_vs_pandas": ratios[1][1],
               "store_vs_sqlite_import": ratios[2][1], "csv_to_sqlite_vs_sqlite_import": ratios[3][1]},
}
print("json: " + json.dumps(summary))

if problems:
    for p in problems:
        print("run_import_bench: " + p, file=sys.stderr)
    sys.exit(1)
PY
