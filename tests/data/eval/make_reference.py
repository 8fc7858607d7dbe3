#!/usr/bin/python3
"""Reference values for tests/test_eval.cpp, computed by scikit-learn on fixed predictions.

Run with Debian's interpreter, which has python3-sklearn:  /usr/bin/python3 make_reference.py
It rewrites reference.json beside this script. The predictions come from a seeded numpy RNG, so
the output only changes when numpy's generator, scikit-learn's definitions or this script change;
the versions used are stored in the file.

Cases (each a different trap for an implementation):
  binary_ties           scores rounded to 0.1: many tied scores, exact 0 and 1 probabilities
                        (log loss clipping), a positive scored 0 and a negative scored 1
  binary_imbalanced     5% positives, scores from two beta distributions
  multiclass5           5 classes: class 3 is never predicted, class 4 never occurs in y_true;
                        probabilities with exact zeros and rows that do not sum to 1 exactly
  multiclass_empty      4 classes, class 2 neither occurs nor is predicted (it gets 0s and
                        still counts in the macro average); hard predictions only
  all_positive          binary, every case positive: ROC-AUC undefined
  all_negative          binary, every case negative: ROC-AUC undefined, PR curve degenerate
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn import metrics

SEED = 20240611
THRESHOLDS = [0.3, 0.5, 0.7]  # decision thresholds checked with "score >= threshold"


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64)]


def ints(a):
    return [int(v) for v in np.asarray(a)]


def guarded(fn):
    """sklearn's value, or {"error": message} where sklearn refuses."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    except ValueError as e:
        return {"error": str(e)}


def classification_part(y_true, y_pred, n_classes):
    labels = list(range(n_classes))
    out = {}
    p, r, f, s = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0)
    out["per_class"] = {"precision": floats(p), "recall": floats(r), "f1": floats(f),
                        "support": ints(s)}
    for avg in ("macro", "micro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=avg, zero_division=0)
        out[avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    out["accuracy"] = float(metrics.accuracy_score(y_true, y_pred))
    out["confusion"] = metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist()
    return out


def best_f1_threshold(y_true, scores):
    """Brute force over the distinct scores: the highest threshold among equal best F1."""
    best = None
    for t in sorted(set(scores.tolist()), reverse=True):
        pred = (scores >= t).astype(int)
        tp = int(np.sum((pred == 1) & (y_true == 1)))
        fp = int(np.sum((pred == 1) & (y_true == 0)))
        fn = int(np.sum((pred == 0) & (y_true == 1)))
        den = 2 * tp + fp + fn
        f1 = 2 * tp / den if den else 0.0
        if best is None or f1 > best["f1"]:
            best = {"threshold": t, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    return best


def binary_case(y_true, scores, threshold=0.5):
    y_true = np.asarray(y_true, dtype=int)
    scores = np.asarray(scores, dtype=np.float64)
    y_pred = (scores >= threshold).astype(int)
    case = {"kind": "binary", "labels": ["no", "yes"], "threshold": threshold,
            "y_true": ints(y_true), "y_pred": ints(y_pred), "scores": floats(scores)}
    ref = classification_part(y_true, y_pred, 2)

    def roc(drop):
        fpr, tpr, thr = metrics.roc_curve(y_true, scores, drop_intermediate=drop)
        return {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr)}

    if len(np.unique(y_true)) == 2:
        ref["roc_curve"] = roc(True)
        ref["roc_curve_full"] = roc(False)
    ref["roc_auc"] = guarded(lambda: float(metrics.roc_auc_score(y_true, scores)))

    def pr():
        p, r, thr = metrics.precision_recall_curve(y_true, scores)
        return {"precision": floats(p), "recall": floats(r), "thresholds": floats(thr)}

    ref["pr_curve"] = guarded(pr)
    ref["average_precision"] = guarded(
        lambda: float(metrics.average_precision_score(y_true, scores)))
    ref["log_loss"] = float(metrics.log_loss(y_true, scores, labels=[0, 1]))
    at = []
    for t in THRESHOLDS:
        pred = (scores >= t).astype(int)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p, r, f, _ = metrics.precision_recall_fscore_support(
                y_true, pred, labels=[1], average=None, zero_division=0)
        at.append({"threshold": t,
                   "confusion": metrics.confusion_matrix(y_true, pred, labels=[0, 1]).tolist(),
                   "precision": float(p[0]), "recall": float(r[0]), "f1": float(f[0]),
                   "accuracy": float(metrics.accuracy_score(y_true, pred))})
    ref["at_thresholds"] = at
    if y_true.sum() > 0:
        ref["best_f1"] = best_f1_threshold(y_true, scores)
    case["sklearn"] = ref
    return case


def multiclass_case(y_true, y_pred, labels, probabilities=None):
    n_classes = len(labels)
    case = {"kind": "multiclass", "labels": labels, "y_true": ints(y_true), "y_pred": ints(y_pred)}
    ref = classification_part(y_true, y_pred, n_classes)
    if probabilities is not None:
        case["probabilities"] = [floats(row) for row in probabilities]
        ref["log_loss"] = float(metrics.log_loss(y_true, probabilities,
                                                 labels=list(range(n_classes))))
    case["sklearn"] = ref
    return case


def main():
    rng = np.random.default_rng(SEED)
    cases = {}

    n = 300
    y = (rng.random(n) < 0.4).astype(int)
    s = np.clip(np.round(0.35 + 0.3 * y + rng.normal(0, 0.25, n), 1), 0.0, 1.0)
    s[np.flatnonzero(y == 1)[0]] = 0.0  # a confident miss: log loss must clip it
    s[np.flatnonzero(y == 0)[0]] = 1.0
    cases["binary_ties"] = binary_case(y, s)

    n = 600
    y = (rng.random(n) < 0.05).astype(int)
    s = np.where(y == 1, rng.beta(3, 4, n), rng.beta(1.5, 8, n))
    cases["binary_imbalanced"] = binary_case(y, np.round(s, 4), threshold=0.3)

    labels5 = ["view", "fav", "cart", "buy", "remove_from_cart"]
    n = 400
    y = rng.choice(4, size=n, p=[0.6, 0.15, 0.15, 0.1])  # class 4 never occurs
    logits = rng.normal(0, 1.2, (n, 5))
    logits[np.arange(n), y] += 1.5
    logits[:, 3] -= 12.0  # class 3 is never the most probable
    logits[:, 4] += 0.3
    prob = np.exp(logits)
    prob /= prob.sum(axis=1, keepdims=True)
    prob = np.round(prob, 6)  # exact zeros, and rows summing to 1 +- 1e-6 (sklearn renormalises)
    y_pred = prob.argmax(axis=1)
    assert 3 not in set(y_pred.tolist()) and 4 in set(y_pred.tolist()) and 4 not in set(y.tolist())
    cases["multiclass5"] = multiclass_case(y, y_pred, labels5, prob)

    n = 60
    y = rng.choice([0, 1, 3], size=n)
    y_pred = np.where(rng.random(n) < 0.7, y, rng.choice([0, 1, 3], size=n))
    cases["multiclass_empty"] = multiclass_case(y, y_pred, ["a", "b", "c", "d"])

    n = 50
    cases["all_positive"] = binary_case(np.ones(n, dtype=int), np.round(rng.random(n), 2))
    cases["all_negative"] = binary_case(np.zeros(n, dtype=int), np.round(rng.random(n), 2))

    doc = {"generator": "tests/data/eval/make_reference.py", "seed": SEED,
           "sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    # One case per line keeps the file small and its diffs readable.
    lines = ['"%s": %s' % (k, json.dumps(v, separators=(",", ":"))) for k, v in cases.items()]
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"})[:-1]
    with open(path, "w") as f:
        f.write(head + ', "cases": {\n' + ",\n".join(lines) + "\n}}\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)), file=sys.stderr)


if __name__ == "__main__":
    main()
