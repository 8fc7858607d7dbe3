#!/usr/bin/env bash
# Preparation benchmark: our swb::prepare against the same steps written with pandas, in one run,
# reported as ratios, with a check that both give the same counts. See README.md in this folder.
#
#   run_prep_bench.sh [--bench-prep PATH] [--config PREP.json] [--allow-no-pandas] [ROWS]
#                                                             (ROWS defaults to 10000000)
#
# Steps: make (or reuse) a ROWS-row Taobao file scaled from the real sample (the import
# benchmark's file); then, each as its own process so peak memory is per tool:
#   1. pandas_prep.py  pandas.read_csv (not timed), then clean, de-duplicate, sessions, filter,
#                      split and features with pandas (timed)
#   2. bench_prep      swb::importLog (not timed), then swb::prepare (timed)
# compare every count (rows out of each step and removed by reason, sessions, split sizes, distinct
# ids, split times, the scaler) and print a table with the ratios and the issue's targets
# (>= 10x faster, <= 1/3 of pandas' peak memory). Exits 0 when everything ran and the counts agree
# (whether or not the targets are met); 1 when a run failed or the counts differ; 2 when a tool is
# missing. With --allow-no-pandas (the CTest smoke run) a missing pandas is not an error: our side
# runs alone and nothing is compared.
#
# Environment:
#   SWB_BENCH_PREP       path of bench_prep (or --bench-prep)
#   SWB_BENCH_PYTHON     interpreter with pandas (default /usr/bin/python3)
#   SWB_BENCH_SAMPLE     the real Taobao sample (default ../../../shared/data/... from this script)
#   SWB_BENCH_CACHE_DIR  where big generated files are kept and reused (default <repo>/build/bench-data)
#   SWB_BENCH_TMPDIR     parent of the scratch folder (default $TMPDIR or /tmp)
#   SWB_BENCH_KEEP_TMP   1: keep the scratch folder (JSON, logs) and print its path
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

bench_prep=${SWB_BENCH_PREP:-}
config=""
allow_no_pandas=0
rows=10000000
while [[ $# -gt 0 ]]; do
    case $1 in
        --bench-prep) bench_prep=${2:?--bench-prep needs a path}; shift 2 ;;
        --bench-prep=*) bench_prep=${1#*=}; shift ;;
        --config) config=${2:?--config needs a file}; shift 2 ;;
        --config=*) config=${1#*=}; shift ;;
        --allow-no-pandas) allow_no_pandas=1; shift ;;
        -h | --help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *)
            if [[ $1 =~ ^[1-9][0-9]*$ ]]; then rows=$1; shift
            else echo "run_prep_bench: unknown argument: $1" >&2; exit 2; fi ;;
    esac
done

python=${SWB_BENCH_PYTHON:-/usr/bin/python3}
sample=${SWB_BENCH_SAMPLE:-$repo/../shared/data/taobao-userbehavior-head.csv}
cache_dir=${SWB_BENCH_CACHE_DIR:-$repo/build/bench-data}
generator_version=v1 # as in run_import_bench.sh: bump when make_taobao_scaled.py changes its output

die() { echo "run_prep_bench: $*" >&2; exit 2; }

# --- prerequisites -------------------------------------------------------------------------------
[[ -x $python ]] || die "$python is missing; install Debian's python3 and python3-pandas"
with_pandas=1
if ! "$python" -c 'import pandas' 2>/dev/null; then
    (( allow_no_pandas )) || die "$python has no pandas; install it with: apt-get install python3-pandas"
    with_pandas=0
    echo "run_prep_bench: $python has no pandas; running ours alone, nothing is compared" >&2
fi
if [[ -z $bench_prep ]]; then
    for candidate in "$repo"/build/*/tests/bench/bench_prep; do
        [[ -x $candidate ]] && { bench_prep=$candidate; break; }
    done
fi
[[ -n $bench_prep && -x $bench_prep ]] \
    || die "bench_prep not found; build the target and pass --bench-prep PATH (or SWB_BENCH_PREP)"
[[ -f $sample ]] || die "the Taobao sample is missing: $sample (see shared/data/README.md)"
[[ -z $config || -f $config ]] || die "the config file is missing: $config"
config_args=()
[[ -n $config ]] && config_args=(--config "$config")

time_bin=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    time_bin=/usr/bin/time
else
    echo "run_prep_bench: /usr/bin/time -v is unavailable; peak memory comes from each program's own readings" >&2
fi

work=$(mktemp -d "${SWB_BENCH_TMPDIR:-${TMPDIR:-/tmp}}/swb-prep-bench.XXXXXX")
if [[ ${SWB_BENCH_KEEP_TMP:-0} == 1 ]]; then
    trap 'echo "run_prep_bench: scratch folder kept: $work" >&2' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi

# --- the input file (the same as the import benchmark's) -----------------------------------------
file_name=taobao-scaled-$generator_version-$rows.csv
cached=$cache_dir/$file_name
line_count() { wc -l <"$1" | tr -d ' '; }
if [[ -f $cached && $(line_count "$cached") == "$rows" ]]; then
    file=$cached
    echo "run_prep_bench: reusing $file" >&2
else
    if (( rows >= 1000000 )) && [[ -d $(dirname "$cache_dir") ]] && mkdir -p "$cache_dir" 2>/dev/null; then
        # Written under a temporary name and renamed, so a concurrent run never reads half a file.
        partial=$(mktemp "$cache_dir/.$file_name.XXXXXX")
        "$python" "$here/make_taobao_scaled.py" --sample "$sample" "$rows" "$partial"
        mv -f "$partial" "$cached"
        file=$cached
    else
        file=$work/$file_name
        "$python" "$here/make_taobao_scaled.py" --sample "$sample" "$rows" "$file"
    fi
fi
[[ $(line_count "$file") == "$rows" ]] || die "$file does not have $rows rows"
cat "$file" >/dev/null # into the page cache, so the first tool does not pay for the disk alone

# --- the runs ------------------------------------------------------------------------------------
# run NAME CMD...: stdout (one JSON line) to NAME.json, stderr to NAME.err, /usr/bin/time to NAME.time.
run() {
    local name=$1; shift
    echo "run_prep_bench: running $name ..." >&2
    local status=0
    if [[ -n $time_bin ]]; then
        "$time_bin" -v -o "$work/$name.time" "$@" >"$work/$name.json" 2>"$work/$name.err" || status=$?
    else
        "$@" >"$work/$name.json" 2>"$work/$name.err" || status=$?
        : >"$work/$name.time"
    fi
    if (( status != 0 )); then
        echo "run_prep_bench: $name failed (exit status $status):" >&2
        cat "$work/$name.err" >&2
        exit 1
    fi
}

if (( with_pandas )); then
    run pandas "$python" "$here/pandas_prep.py" "$file" "${config_args[@]}"
fi
run swb "$bench_prep" --file "$file" "${config_args[@]}"

# --- the report ----------------------------------------------------------------------------------
"$python" - "$work" "$rows" "$file" "$with_pandas" <<'PY'
import json, math, os, re, sys

work, rows, path, with_pandas = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
MiB = 1024.0 * 1024.0


def load(name):
    with open(os.path.join(work, name + ".json")) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    if not lines:
        sys.exit(f"run_prep_bench: {name} printed no JSON")
    data = json.loads(lines[-1])
    with open(os.path.join(work, name + ".time")) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    # Each program resets VmHWM before its timed part, which also lowers what the kernel reports
    # to /usr/bin/time; the program's own process peak covers the part before the reset.
    timed = int(m.group(1)) / 1024.0 if m else 0.0
    data["process_peak_mb"] = max(timed, data.get("peak_rss_mb", 0.0))
    return data


swb = load("swb")
pandas = load("pandas") if with_pandas else None
size = os.path.getsize(path)

# --- the counts must agree -----------------------------------------------------------------------
problems = []
if swb["rows_read"] != rows:
    problems.append(f"swb read {swb['rows_read']} rows, expected {rows}")
if swb.get("rows_rejected", 0):
    print(f"run_prep_bench: warning: swb's importer rejected {swb['rows_rejected']} rows",
          file=sys.stderr)


def comparable_steps(steps, tool):
    out = []
    for s in steps:
        s = dict(s)
        if s["name"] == "clean":
            # Rows our importer refuses never reach our clean step; pandas reads them and its clean
            # step removes them. Compare what is left and the window, not what came in.
            s.pop("rows_in")
            s["removed_by_reason"] = {k: v for k, v in s["removed_by_reason"].items()
                                      if k in ("before_window", "after_window")}
        out.append(s)
    return out


if pandas is not None:
    if pandas["rows"] != rows:
        problems.append(f"pandas read {pandas['rows']} rows, expected {rows}")
    checks = [("steps", comparable_steps(pandas["steps"], "pandas"), comparable_steps(swb["steps"], "swb"))]
    for key in ("events", "sessions", "users", "items", "split", "unseen_in_validation", "unseen_in_test",
                "split_times"):
        checks.append((key, pandas[key], swb[key]))
    checks.append(("features.fitted_on_events", pandas["features"]["fitted_on_events"],
                   swb["features"]["fitted_on_events"]))
    for key, theirs, ours in checks:
        if theirs != ours:
            problems.append(f"{key} differs:\n    pandas: {json.dumps(theirs)}\n    swb:    {json.dumps(ours)}")
    # The scaler: our features are floats and the factor is stored as a float, so equal to about
    # 1e-7 relative; 1e-5 leaves room for float summation order and nothing more.
    for key in ("offset", "factor"):
        for name, a, b in zip(swb["features"]["names"], pandas["features"][key], swb["features"][key]):
            if not math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9):
                problems.append(f"scaler {key} of {name} differs: pandas {a!r}, swb {b!r}")

# --- the table -----------------------------------------------------------------------------------
print()
print(f"Preparation benchmark: {rows:,} rows, {size / MiB:,.1f} MiB ({os.path.basename(path)})")
train, validation, test = (swb["split"][p] for p in ("train", "validation", "test"))
print(f"kept {swb['events']:,} events in {swb['sessions']:,} sessions "
      f"(train {train['events']:,} / {train['sessions']:,}, validation {validation['events']:,} / "
      f"{validation['sessions']:,}, test {test['events']:,} / {test['sessions']:,} events / sessions)")
print("steps (rows out): " + ", ".join(f"{s['name']} {s['rows_out']:,}" for s in swb["steps"]))
if pandas is not None:
    print(f"pandas {pandas['pandas_version']} (numpy {pandas['numpy_version']}), {os.cpu_count()} CPUs")
print()
header = (f"{'tool':<16} {'prep s':>8} {'events/s':>12} {'loaded MiB':>11} {'peak MiB':>9} "
          f"{'prep peak':>10} {'prep adds':>10}")
print(header)
table = []
if pandas is not None:
    table.append(("pandas", pandas, pandas["frame_mb"]))
table.append(("swb prepare", swb, swb["table_mb"]))
for tool, data, loaded in table:
    print(f"{tool:<16} {data['prep_seconds']:8.3f} {rows / data['prep_seconds']:12,.0f} {loaded:11.0f} "
          f"{data['process_peak_mb']:9.0f} {data['peak_rss_prep_mb']:10.0f} {data['prep_increase_mb']:10.0f}")
step_names = [st["name"] for st in swb["steps"]]
if all(name in swb.get("step_seconds", {}) for name in step_names):
    print()
    print(f"{'seconds by step':<16} " + " ".join(f"{name:>9}" for name in step_names))
    for tool, data, _ in table:
        print(f"{tool:<16} " + " ".join(f"{data['step_seconds'].get(name, float('nan')):9.3f}"
                                        for name in step_names))
    if pandas is not None:
        print(f"{'pandas / swb':<16} " + " ".join(
            f"{pandas['step_seconds'][name] / swb['step_seconds'][name]:8.1f}x"
            if swb["step_seconds"][name] > 0 else f"{'-':>9}" for name in step_names))
print()
print("prep s: the preparation alone, in-process (pandas after read_csv, ours after importLog); "
      "events/s: input rows / prep s.\n"
      "loaded: the DataFrame (memory_usage deep) / our EventTable. peak: the process's max RSS "
      "(/usr/bin/time -v and the program's own VmHWM), reading included.\n"
      "prep peak: max RSS while preparing, loaded data included (VmHWM reset just before); "
      "prep adds: prep peak - RSS just before.")

ratios = {}
if pandas is not None:
    ratios = {
        "speed_vs_pandas": pandas["prep_seconds"] / swb["prep_seconds"],
        "peak_memory_vs_pandas": swb["process_peak_mb"] / pandas["process_peak_mb"],
        "prep_peak_memory_vs_pandas": swb["peak_rss_prep_mb"] / pandas["peak_rss_prep_mb"],
        "prep_increase_vs_pandas": (swb["prep_increase_mb"] / pandas["prep_increase_mb"]
                                    if pandas["prep_increase_mb"] > 0 else float("nan")),
    }
    rows_out = [
        ("speed, pandas time / swb time", ratios["speed_vs_pandas"], ">= 10x", ratios["speed_vs_pandas"] >= 10),
        ("peak memory (process, loaded data included), swb / pandas", ratios["peak_memory_vs_pandas"],
         "<= 1/3", ratios["peak_memory_vs_pandas"] <= 1 / 3),
        ("peak memory while preparing (loaded data included), swb / pandas",
         ratios["prep_peak_memory_vs_pandas"], "<= 1/3", ratios["prep_peak_memory_vs_pandas"] <= 1 / 3),
        ("memory added by preparing, swb / pandas", ratios["prep_increase_vs_pandas"], "(info)", None),
    ]
    print()
    print(f"{'ratio':<68} {'value':>8} {'target':>8}")
    for name, value, target, met in rows_out:
        unit = "x" if target.endswith("x") else " "
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"{name:<68} {value:7.3g}{unit} {target:>8}  {verdict}")
    print()
    print("counts: " + ("all equal (steps, sessions, split, distinct ids, split times, scaler)"
                        if not problems else "DIFFER (see below)"))


def brief(data):
    if data is None:
        return None
    return {k: data[k] for k in ("prep_seconds", "step_seconds", "process_peak_mb", "peak_rss_prep_mb", "prep_increase_mb",
                                 "rss_before_prep_mb") if k in data}


summary = {
    "rows": rows, "bytes": size,
    "events": swb["events"], "sessions": swb["sessions"], "split": swb["split"],
    "steps": {s["name"]: s["rows_out"] for s in swb["steps"]},
    "swb": dict(brief(swb), table_mb=swb["table_mb"], import_seconds=swb["import_seconds"]),
    "pandas": (dict(brief(pandas), frame_mb=pandas["frame_mb"], read_seconds=pandas["read_seconds"],
                    version=pandas["pandas_version"]) if pandas is not None else None),
    "ratios": ratios,
    "counts_equal": (not problems) if pandas is not None else None,
}
print("json: " + json.dumps(summary))

if problems:
    for p in problems:
        print("run_prep_bench: " + p, file=sys.stderr)
    sys.exit(1)
PY
