#!/usr/bin/python3
"""The pandas peer of bench_import: parse a Taobao-format file and dictionary-encode its ids.

Does what our importer does, in the fastest plain way pandas offers:
* ``pandas.read_csv`` (C engine) with the column names and explicit dtypes: int64 for the three
  ids and the timestamp, ``category`` for behavior_type (the counterpart of our one-byte behaviour
  code);
* ``pandas.factorize`` on user_id, item_id and category_id: dense codes in order of first
  appearance plus the array of original ids, as our dictionaries hold them.

Prints one JSON line: rows, bytes, seconds (read_csv + factorize, measured in-process; interpreter
start-up and ``import pandas`` are not counted), read_seconds, encode_seconds, distinct counts and
peak_rss_mb (getrusage ru_maxrss of this process, MiB).

Run with Debian's interpreter: /usr/bin/python3 pandas_import.py FILE
"""

import json
import os
import resource
import sys
import time

try:
    import pandas as pd
except ImportError:
    print("pandas_import: this interpreter has no pandas; run it with /usr/bin/python3 "
          "(Debian package python3-pandas)", file=sys.stderr)
    sys.exit(3)

NAMES = ["user_id", "item_id", "category_id", "behavior_type", "timestamp"]
DTYPES = {
    "user_id": "int64",
    "item_id": "int64",
    "category_id": "int64",
    "behavior_type": "category",
    "timestamp": "int64",
}


def main(argv):
    if len(argv) != 1:
        print("usage: pandas_import.py FILE", file=sys.stderr)
        return 2
    path = argv[0]

    start = time.perf_counter()
    frame = pd.read_csv(path, header=None, names=NAMES, dtype=DTYPES, engine="c")
    read_done = time.perf_counter()
    codes = {}
    uniques = {}
    for column in ("user_id", "item_id", "category_id"):
        codes[column], uniques[column] = pd.factorize(frame[column], sort=False)
    end = time.perf_counter()

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({
        "tool": "pandas",
        "pandas_version": pd.__version__,
        "rows": int(len(frame)),
        "bytes": os.path.getsize(path),
        "seconds": end - start,
        "read_seconds": read_done - start,
        "encode_seconds": end - read_done,
        "users": int(len(uniques["user_id"])),
        "items": int(len(uniques["item_id"])),
        "categories": int(len(uniques["category_id"])),
        "behaviours": int(len(frame["behavior_type"].cat.categories)),
        "peak_rss_mb": peak_kib / 1024.0,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
