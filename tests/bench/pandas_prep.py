#!/usr/bin/python3
"""The pandas peer of bench_prep: the preparation steps of core/prep, written with pandas.

Reads a Taobao-format file with ``pandas.read_csv`` (explicit dtypes; not timed), then times the
steps swb::prepare runs, with the same definitions (core/prep/preparation.cpp, features.cpp):

1. clean      rows the importer would refuse (unknown behaviour, timestamp outside 1990..2100)
              and rows outside the optional [clean.start, clean.end) window are removed
              (nothing is removed from the scaled Taobao file);
2. dedup      exact duplicates on (user, item, behaviour, timestamp) removed, the first in file
              order kept; then a stable sort by user, then time (file order breaks ties);
3. sessions   a user's stream is cut where the gap to the previous event exceeds the gap
              (30 minutes); sessions are ordered by their first event's time, ties by that
              event's row in the file, and the events laid out session by session;
4. filter     repeated until a pass removes nothing: events of items with fewer than
              min_item_support remaining events are removed, then sessions with fewer than
              min_session_length remaining events (and, when set, more than max_session_length);
5. split      temporal, on whole sessions: test_start = max ts + 1 - test_days, validation_start
              = test_start - validation_days; test: first ts >= test_start; validation: first ts
              >= validation_start and last ts < test_start; train: last ts < validation_start;
              any other session crosses a boundary and is dropped;
6. features   over the training events: per event the position in the session, the running count
              of each behaviour, seconds since the previous event of the session, mean dwell
              ((t - session start) / (position - 1)), price (0: Taobao has none), the item's and
              the category's popularity log1p(training events) and conversion buys / (events + 1);
              then the scaler (min-max: offset min, factor 1 / (max - min) or 0) over them;
              distinct users and items kept, and those of validation and test unseen in training.

Prints one JSON line shaped like bench_prep's: rows, prep_seconds (in-process, after read_csv;
interpreter start-up, ``import pandas`` and read_csv are not counted), read_seconds, step_seconds
(prep_seconds by step; features includes counting distinct ids), steps (rows in and out and
removed rows by reason), events, sessions, users, items, split, unseen_in_validation,
unseen_in_test, split_times, features (scaler offset and factor), and memory in MiB: frame_mb
(the DataFrame read, index included), peak_rss_read_mb (VmHWM after read_csv), rss_before_prep_mb (the DataFrame loaded),
peak_rss_prep_mb (VmHWM while the steps ran, the DataFrame included; VmHWM is reset first through
/proc/self/clear_refs), prep_increase_mb and peak_rss_mb (the process peak).

A --config PREP.json in the format of swb::PrepConfig::fromJson is honoured for the settings these
steps have (clean start/end, sessions.gap_minutes, the filter, temporal test/validation days,
minmax or zscore scaling); a setting they cannot follow (a repeat window, another split method)
is refused.

Run with Debian's interpreter: /usr/bin/python3 pandas_prep.py FILE [--config PREP.json]
"""

import argparse
import datetime
import json
import math
import os
import resource
import sys
import time

try:
    import numpy as np
    import pandas as pd
except ImportError:
    print("pandas_prep: this interpreter has no pandas; run it with /usr/bin/python3 "
          "(Debian package python3-pandas)", file=sys.stderr)
    sys.exit(3)

NAMES = ["user_id", "item_id", "category_id", "behavior_type", "timestamp"]
# The Taobao behaviours in the order of swb::Behaviour (view, fav, cart, [remove], buy).
BEHAVIOURS = ["pv", "fav", "cart", "buy"]
DTYPES = {
    "user_id": "int64",
    "item_id": "int64",
    "category_id": "int64",
    "behavior_type": pd.CategoricalDtype(BEHAVIOURS),  # anything else reads as NaN: cleaned
    "timestamp": "int64",
}
# The importer's accepted timestamps (core/io/importer.h): rows outside are never imported.
MIN_TIMESTAMP, MAX_TIMESTAMP = 631152000, 4102444800
DAY = 86400
FEATURES = ["position", "views", "favs", "carts", "removes", "buys", "seconds_since_previous",
            "mean_dwell", "price", "item_popularity", "item_conversion", "category_popularity",
            "category_conversion"]
TRAIN, VALIDATION, TEST, DROPPED = 0, 1, 2, -1
MiB = 1024.0 * 1024.0


# --- settings --------------------------------------------------------------------------------

class Config:
    """The defaults of swb::PrepConfig, and the subset of its JSON these steps follow."""

    def __init__(self):
        self.start = None
        self.end = None
        self.gap_seconds = 30 * 60
        self.min_item_support = 5
        self.min_session_length = 2
        self.max_session_length = 0
        self.iterate = True
        self.test_days = 1.0
        self.validation_days = 1.0
        self.scaling = "minmax"

    @staticmethod
    def load(path):
        config = Config()
        with open(path) as f:
            root = json.load(f)

        def refuse(key, why):
            sys.exit(f"pandas_prep: {path}: {key}: {why}")

        def bound(key, value):
            if value is None:
                return None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(value)
            for form in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
                try:
                    moment = datetime.datetime.strptime(str(value).strip().rstrip("Z"), form)
                    return int(moment.replace(tzinfo=datetime.timezone.utc).timestamp())
                except ValueError:
                    pass
            refuse(key, f"cannot read the time {value!r}")

        for section, values in root.items():
            for key, value in values.items():
                name = f"{section}.{key}"
                if name == "clean.start":
                    config.start = bound(name, value)
                elif name == "clean.end":
                    config.end = bound(name, value)
                elif name == "dedup.repeat_window_seconds":
                    if value != 0:
                        refuse(name, "only 0 (exact duplicates) is written with pandas here")
                elif name == "sessions.use_source_sessions":
                    pass  # Taobao logs have no session ids: sessions always come from the gap
                elif name == "sessions.gap_minutes":
                    config.gap_seconds = llround(value * 60.0)
                elif name == "filter.min_item_support":
                    config.min_item_support = int(value)
                elif name == "filter.min_session_length":
                    config.min_session_length = int(value)
                elif name == "filter.max_session_length":
                    config.max_session_length = int(value)
                elif name == "filter.iterate":
                    config.iterate = bool(value)
                elif name == "split.method":
                    if value != "temporal":
                        refuse(name, "only the temporal split is written with pandas here")
                elif name == "split.test_days":
                    config.test_days = float(value)
                elif name == "split.validation_days":
                    config.validation_days = float(value)
                elif name in ("split.test_fraction", "split.validation_fraction", "split.seed"):
                    pass  # used by the random split only
                elif name == "features.scaling":
                    if value not in ("minmax", "zscore"):
                        refuse(name, "expected minmax or zscore")
                    config.scaling = value
                else:
                    refuse(name, "unknown setting")
        return config


def llround(x):
    """C's llround: halves away from zero (Python's round() rounds halves to even)."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


# --- memory ----------------------------------------------------------------------------------

def proc_status_mb(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return -1.0


def reset_peak_rss():
    """VmHWM back to the current resident set (Linux 4.0+), so later VmHWM is the peak since."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# --- the steps -------------------------------------------------------------------------------

def step(name, rows_in, rows_out, removed=None):
    return {"name": name, "rows_in": int(rows_in), "rows_out": int(rows_out),
            "removed_by_reason": {k: int(v) for k, v in (removed or {}).items() if v > 0}}


def prepare(frame, config):
    steps = []
    clock = []  # when each step starts, and when the last ends

    clock.append(time.perf_counter())
    # 1. Clean.
    n = len(frame)
    ts = frame["timestamp"]
    unknown = frame["behavior_type"].isna()
    out_of_range = (ts < MIN_TIMESTAMP) | (ts >= MAX_TIMESTAMP)
    before = ts < config.start if config.start is not None else pd.Series(False, index=frame.index)
    after = ts >= config.end if config.end is not None else pd.Series(False, index=frame.index)
    # The reasons are exclusive, in the order preparation.cpp tests them.
    removed = {"timestamp_out_of_range": int(out_of_range.sum()),  # the importer refuses these
               "unknown_behaviour": int((unknown & ~out_of_range).sum()),
               "before_window": int((before & ~unknown & ~out_of_range).sum()),
               "after_window": int((after & ~before & ~unknown & ~out_of_range).sum())}
    bad = unknown | out_of_range | before | after
    if bad.any():
        frame = frame[~bad]
    steps.append(step("clean", n, len(frame), removed))

    clock.append(time.perf_counter())
    # 2. De-duplicate (the first in file order kept), then each user's events in time order.
    n = len(frame)
    duplicate = frame.duplicated(subset=["user_id", "item_id", "behavior_type", "timestamp"], keep="first")
    exact = int(duplicate.sum())
    if exact:
        frame = frame[~duplicate]
    # A sort on several columns is stable in pandas: file order breaks ties in time.
    frame = frame.sort_values(["user_id", "timestamp"], kind="stable")
    steps.append(step("dedup", n, len(frame), {"exact_duplicate": exact}))

    clock.append(time.perf_counter())
    # 3. Sessions: cut where the user changes or the gap exceeds the limit; then sessions in
    # order of their first event's time, ties by that event's row in the file.
    n = len(frame)
    user, ts = frame["user_id"], frame["timestamp"]
    starts = (user != user.shift()) | (ts.diff() > config.gap_seconds)
    number = starts.cumsum() - 1
    firsts = pd.DataFrame({"timestamp": ts[starts].to_numpy(), "row": frame.index[starts.to_numpy()]})
    order = firsts.sort_values(["timestamp", "row"]).index.to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    frame = frame.assign(session=rank[number.to_numpy()])
    frame = frame.sort_values("session", kind="stable")
    steps.append(step("sessions", n, n))

    clock.append(time.perf_counter())
    # 4. Filter, until a pass removes nothing.
    n = len(frame)
    by_item = by_short = by_long = 0
    while True:
        changed = False
        support = frame.groupby("item_id", sort=False)["item_id"].transform("size")
        rare = support < config.min_item_support
        if rare.any():
            by_item += int(rare.sum())
            frame = frame[~rare]
            changed = True
        length = frame.groupby("session", sort=False)["session"].transform("size")
        short = length < config.min_session_length
        remove = short
        if config.max_session_length > 0:
            long = (length > config.max_session_length) & ~short
            by_long += int(long.sum())
            remove = short | long
        if remove.any():
            by_short += int(short.sum())
            frame = frame[~remove]
            changed = True
        if not changed or not config.iterate:
            break
    steps.append(step("filter", n, len(frame),
                      {"item_support": by_item, "short_session": by_short, "long_session": by_long}))
    if frame.empty:
        raise SystemExit("pandas_prep: the filter removes every event")

    clock.append(time.perf_counter())
    # 5. Temporal split on whole sessions.
    n = len(frame)
    max_ts = int(frame["timestamp"].max())
    test_start = max_ts + 1 - llround(config.test_days * DAY)
    validation_start = test_start - llround(config.validation_days * DAY)
    bounds = frame.groupby("session", sort=False)["timestamp"].agg(["first", "last"])
    first, last = bounds["first"], bounds["last"]
    part = pd.Series(np.select(
        [first >= test_start, (first >= validation_start) & (last < test_start), last < validation_start],
        [TEST, VALIDATION, TRAIN], default=DROPPED), index=bounds.index)
    event_part = frame["session"].map(part)
    crossing = int((event_part == DROPPED).sum())
    if crossing:
        keep = event_part != DROPPED
        frame, event_part = frame[keep], event_part[keep]
    frame = frame.assign(part=event_part.to_numpy(dtype=np.int8))
    events_by_part = frame["part"].value_counts()
    sessions_by_part = part[part != DROPPED].value_counts()
    split = {name: {"events": int(events_by_part.get(p, 0)), "sessions": int(sessions_by_part.get(p, 0))}
             for name, p in (("train", TRAIN), ("validation", VALIDATION), ("test", TEST))}
    steps.append(step("split", n, len(frame), {"crosses_split_boundary": crossing}))
    for name in ("test", "train"):
        if split[name]["sessions"] == 0:
            raise SystemExit(f"pandas_prep: the {name} split is empty")

    clock.append(time.perf_counter())
    # 6. Features of the training events and the scaler fitted on them.
    train = frame[frame["part"] == TRAIN]
    bought = (train["behavior_type"] == "buy").astype(np.int64)

    def statistics(key):
        grouped = bought.groupby(train[key], sort=False)
        events = grouped.size()
        buys = grouped.sum()
        popularity = np.log1p(events.astype(np.float32))
        conversion = buys.astype(np.float32) / (events + 1).astype(np.float32)
        return train[key].map(popularity), train[key].map(conversion)

    sessions = train.groupby("session", sort=False)
    position = sessions.cumcount() + 1
    counts = pd.get_dummies(train["behavior_type"], dtype=np.int64).groupby(train["session"], sort=False).cumsum()
    ts = train["timestamp"]
    since_previous = sessions["timestamp"].diff().fillna(0)
    elapsed = (ts - sessions["timestamp"].transform("first")).astype(np.float32)
    mean_dwell = (elapsed / (position - 1).astype(np.float32)).where(position > 1, np.float32(0))
    item_popularity, item_conversion = statistics("item_id")
    category_popularity, category_conversion = statistics("category_id")
    zero = pd.Series(np.zeros(len(train), dtype=np.float32), index=train.index)
    columns = [position, counts["pv"], counts["fav"], counts["cart"], zero, counts["buy"], since_previous,
               mean_dwell, zero, item_popularity, item_conversion, category_popularity, category_conversion]
    offset, factor = [], []
    for column in columns:
        values = column.astype(np.float32).astype(np.float64)  # features are floats, as in C++
        if config.scaling == "minmax":
            low, high = float(values.min()), float(values.max())
            offset.append(low)
            factor.append(1.0 / (high - low) if high > low else 0.0)
        else:
            mean, sd = float(values.mean()), float(values.std(ddof=0))
            offset.append(mean)
            factor.append(1.0 / sd if sd > 0 else 0.0)
    steps.append(step("features", len(frame), len(frame)))

    # Distinct users and items, and those of validation and test never seen in training.
    def unseen(key, p):
        seen = frame.loc[frame["part"] == TRAIN, key].unique()
        there = pd.Series(frame.loc[frame["part"] == p, key].unique())
        return int((~there.isin(seen)).sum())

    clock.append(time.perf_counter())
    names = ("clean", "dedup", "sessions", "filter", "split", "features")
    return {
        "steps": steps,
        "step_seconds": {name: clock[i + 1] - clock[i] for i, name in enumerate(names)},
        "events": int(len(frame)),
        "sessions": int((part != DROPPED).sum()),
        "users": int(frame["user_id"].nunique()),
        "items": int(frame["item_id"].nunique()),
        "split": split,
        "unseen_in_validation": {"items": unseen("item_id", VALIDATION), "users": unseen("user_id", VALIDATION)},
        "unseen_in_test": {"items": unseen("item_id", TEST), "users": unseen("user_id", TEST)},
        "split_times": {"validation_start": validation_start, "test_start": test_start},
        "features": {"names": FEATURES, "scaling": config.scaling, "offset": offset, "factor": factor,
                     "fitted_on_events": int(len(train))},
    }


def main(argv):
    parser = argparse.ArgumentParser(description="The preparation steps written with pandas.")
    parser.add_argument("file")
    parser.add_argument("--config", help="a PrepConfig JSON file (the subset these steps have)")
    args = parser.parse_args(argv)
    config = Config.load(args.config) if args.config else Config()

    read_start = time.perf_counter()
    frame = pd.read_csv(args.file, header=None, names=NAMES, dtype=DTYPES, engine="c")
    read_seconds = time.perf_counter() - read_start
    rows = len(frame)
    frame_mb = frame.memory_usage(index=True, deep=True).sum() / MiB

    peak_read = proc_status_mb("VmHWM")
    rss_before = proc_status_mb("VmRSS")
    hwm_reset = reset_peak_rss()
    start = time.perf_counter()
    result = prepare(frame, config)
    prep_seconds = time.perf_counter() - start
    peak_prep = proc_status_mb("VmHWM")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    out = {
        "tool": "pandas",
        "pandas_version": pd.__version__,
        "numpy_version": np.__version__,
        "file": args.file,
        "bytes": os.path.getsize(args.file),
        "rows": rows,
        "read_seconds": read_seconds,
        "frame_mb": float(frame_mb),
        "prep_seconds": prep_seconds,
    }
    out.update(result)
    out.update({
        "peak_rss_read_mb": peak_read,
        "rss_before_prep_mb": rss_before,
        "hwm_reset": hwm_reset,
        "peak_rss_prep_mb": peak_prep,
        "prep_increase_mb": peak_prep - rss_before if peak_prep >= 0 and rss_before >= 0 else -1.0,
        # Resetting VmHWM also resets what getrusage reports, so the read's peak is added back.
        "peak_rss_mb": max(peak_kib / 1024.0, peak_read, peak_prep),
    })
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
