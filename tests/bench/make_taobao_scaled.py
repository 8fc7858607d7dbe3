#!/usr/bin/python3
"""Builds an N-row Taobao UserBehavior file by replaying the real sample.

How the file is made
--------------------
The input is the real sample ``taobao-userbehavior-head.csv`` (the first 84,475 rows of Alibaba
Tianchi's UserBehavior log, no header, ``user_id,item_id,category_id,behavior_type,timestamp``),
found at ``../../../shared/data`` relative to this script (override with ``--sample``).

The output repeats that sample in order, replay r = 0, 1, 2, ... until exactly N rows are written
(the last replay is cut after the row that makes N). In replay r every row is the sample row with

* ``user_id``   + r * (max user id in the sample + 1): each replay is a disjoint set of users with
  the sample's real per-user histories, so the number of distinct users grows with N as in a
  longer log;
* ``timestamp`` + d(r) whole days, d(r) = ((r + 7) mod 15) - 7, i.e. 0, +1, ..., +7, -7, ..., -1,
  0, +1, ...: replays are spread over +-7 days around the sample's period (late Nov - early Dec
  2017), keeping time of day, weekday mix within a replay, and every timestamp inside the
  importer's accepted range;
* ``item_id``, ``category_id`` and ``behavior_type`` unchanged, so the catalogue (items per
  category, item popularity, behaviour mix) is the real one and ids repeat across replays as
  popular items do in the full log.

The output is deterministic: the same N gives a byte-identical file. No header; LF line ends.

Usage: /usr/bin/python3 make_taobao_scaled.py ROWS OUTPUT [--sample PATH]
Standard library only; 10 million rows (about 0.4 GB) take a few seconds.
"""

import argparse
import os
import sys
import time

SAMPLE_NAME = "taobao-userbehavior-head.csv"
DAY = 86400
BLOCK_ROWS = 1 << 18  # rows formatted per write; keeps memory small and writes large


def default_sample():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", SAMPLE_NAME))


def day_shift(replay):
    return ((replay + 7) % 15) - 7


def load_sample(path):
    users, middles, stamps = [], [], []
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip(b"\r\n")
            if not line:
                continue
            parts = line.split(b",")
            if len(parts) != 5:
                raise ValueError(f"{path}:{number}: expected 5 fields, got {len(parts)}")
            users.append(int(parts[0]))
            middles.append(b",".join(parts[1:4]))
            stamps.append(int(parts[4]))
    if not users:
        raise ValueError(f"{path}: no rows")
    return users, middles, stamps


def write_scaled(rows, out_path, sample_path):
    users, middles, stamps = load_sample(sample_path)
    n = len(users)
    user_step = max(users) + 1
    written = 0
    replay = 0
    tmp_path = out_path + ".part"
    with open(tmp_path, "wb", buffering=1 << 22) as out:
        while written < rows:
            du = replay * user_step
            dt = day_shift(replay) * DAY
            take = min(n, rows - written)
            # The user and timestamp columns of this replay as text, then the rows in blocks.
            u_txt = [b"%d" % (u + du) for u in users[:take]]
            t_txt = [b"%d\n" % (t + dt) for t in stamps[:take]]
            for start in range(0, take, BLOCK_ROWS):
                stop = min(take, start + BLOCK_ROWS)
                out.write(b"".join(
                    b"%s,%s,%s" % triple
                    for triple in zip(u_txt[start:stop], middles[start:stop], t_txt[start:stop])))
            written += take
            replay += 1
    os.replace(tmp_path, out_path)
    return replay


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", type=int, help="number of rows to write (exactly)")
    parser.add_argument("output", help="output CSV path")
    parser.add_argument("--sample", default=default_sample(), help="the real Taobao sample")
    args = parser.parse_args(argv)
    if args.rows <= 0:
        parser.error("rows must be positive")
    if not os.path.isfile(args.sample):
        print(f"make_taobao_scaled: the Taobao sample is missing: {args.sample}\n"
              f"  (expected beside the project in ../shared/data; see shared/data/README.md)",
              file=sys.stderr)
        return 2
    start = time.monotonic()
    replays = write_scaled(args.rows, args.output, args.sample)
    seconds = time.monotonic() - start
    size = os.path.getsize(args.output)
    print(f"make_taobao_scaled: {args.rows} rows, {replays} replays, {size} bytes "
          f"in {seconds:.1f} s -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
