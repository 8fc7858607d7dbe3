#!/usr/bin/python3
"""The scikit-learn peer of bench_models' purchase model: LogisticRegression on the very purchase
cases bench_models wrote (DIR/purchase-{train,test}-{x.f32,y.i32}, shapes in DIR/meta.json).

    /usr/bin/python3 sklearn_logreg.py DIR

LogisticRegression(class_weight="balanced", max_iter=1000) with its defaults otherwise (lbfgs, L2,
C = 1). Balanced weights n / (2 * n_c) weigh the positives n_0 / n_1 times the negatives, the
pos_weight our BinaryCrossEntropy gets. Timed: fit() alone (reading the files is not). Prints one
JSON line: fit_seconds, n_iter, test roc_auc (sklearn.metrics.roc_auc_score on the positive class's
probability), the versions.
"""

import json
import os
import sys
import time

try:
    import numpy as np
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
except ImportError as error:
    print(f"sklearn_logreg: {error}; run it with /usr/bin/python3 and install python3-sklearn",
          file=sys.stderr)
    sys.exit(2)


def read(folder, name, dtype, shape):
    path = os.path.join(folder, name)
    data = np.fromfile(path, dtype=dtype)
    if data.size != int(np.prod(shape)):
        sys.exit(f"sklearn_logreg: {path} holds {data.size} values, expected {int(np.prod(shape))}")
    return data.reshape(shape)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sklearn_logreg.py DIR")
    folder = sys.argv[1]
    with open(os.path.join(folder, "meta.json")) as f:
        info = json.load(f)["purchase"]
    width = info["width"]
    parts = {}
    for part in ("train", "test"):
        n = info["cases"][part]
        parts[part] = (read(folder, f"purchase-{part}-x.f32", "<f4", (n, width)),
                       read(folder, f"purchase-{part}-y.i32", "<i4", (n,)))
    x, y = parts["train"]
    model = LogisticRegression(class_weight="balanced", max_iter=1000)
    start = time.perf_counter()
    model.fit(x, y)
    fit_seconds = time.perf_counter() - start
    tx, ty = parts["test"]
    auc = float(roc_auc_score(ty, model.predict_proba(tx)[:, 1]))
    print(json.dumps({"tool": "sklearn", "sklearn_version": sklearn.__version__, "fit_seconds": fit_seconds,
                      "n_iter": int(np.max(model.n_iter_)), "train_cases": int(len(y)),
                      "test": {"roc_auc": auc, "cases": int(len(ty))}}))


if __name__ == "__main__":
    main()
