#!/usr/bin/python3
"""The report of run_models_bench.sh: reads the JSON lines the runs left in WORK and prints the
ratios with the issue's targets, the next-item table, and a json: summary line.

    models_report.py WORK DATASET...

Standard library only, so it also runs where the peers are missing.
"""

import json
import os
import sys


def load(work, name):
    path = os.path.join(work, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    if not lines:
        sys.exit(f"run_models_bench: {name} printed no JSON")
    return json.loads(lines[-1])


def fmt(value, spec):
    if isinstance(value, (int, float)):
        return format(value, spec)
    width = "".join(c for c in spec.split(".")[0] if c.isdigit())
    return "-".rjust(int(width or 0))


def verdict(met):
    return "" if met is None else ("met" if met else "MISSED")


def main():
    work, names = sys.argv[1], sys.argv[2:]
    config = load(work, "torch-config")
    print()
    print(f"Model benchmark ({os.cpu_count()} CPUs; ours and the peers on 2 threads, same cases)")
    if config:
        print(f"torch {config['torch']}: {config['threads']} threads, {config['blas_info']}, CPU capability "
              f"{config['cpu_capability']}, OMP_WAIT_POLICY {config['omp_wait_policy']}; BLAS libraries loaded: "
              f"{', '.join(config['blas_libraries']) or 'none'}")
    else:
        print("torch: missing (python3-torch), its comparisons are skipped")
    if not any(os.path.exists(os.path.join(work, name + "-sklearn.json")) for name in names):
        print("scikit-learn: missing (python3-sklearn), the logistic regression is not compared")

    summary = {"torch": config, "datasets": {}}
    ratio_rows = []
    for name in names:
        ours = load(work, name + "-swb")
        sk = load(work, name + "-sklearn")
        mlp = load(work, name + "-torch-mlp")
        neural = load(work, name + "-torch-neural")
        summary["datasets"][name] = {"swb": ours, "sklearn": sk, "torch_mlp": mlp, "torch_neural": neural}
        print()
        print(f"{name}: products {ours['products']}; {ours['rows']:,} rows ({ours['format']}) -> {ours['events']:,} events, "
              f"{ours['sessions']:,} sessions; purchase {ours['logreg']['train_cases']:,} training cases, intent "
              f"{ours['mlp']['train_cases']:,}, next item {ours['neural']['train_cases']:,} "
              f"(catalogue {ours['neural']['catalogue']:,} items); split {ours['split']['method']}")
        lr, m, n = ours["logreg"], ours["mlp"], ours["neural"]
        print(f"  {'model':<30} {'ours s':>9} {'peer s':>9} {'ours/peer':>9} {'target':>7}   "
              f"{'metric':<10} {'ours':>7} {'peer':>7} {'diff':>8} {'target':>7}")

        def row(model, ours_s, peer_s, time_target, metric, ours_v, peer_v, tol):
            ratio = ours_s / peer_s if ours_s is not None and peer_s else None
            diff = ours_v - peer_v if ours_v is not None and peer_v is not None else None
            time_met = ratio <= time_target if ratio is not None else None
            metric_met = abs(diff) <= tol if diff is not None else None
            print(f"  {model:<30} {fmt(ours_s, '9.4f')} {fmt(peer_s, '9.4f')} {fmt(ratio, '9.3f')} "
                  f"{'<= ' + format(time_target, 'g'):>7} {verdict(time_met):>6} {metric:<10} "
                  f"{fmt(ours_v, '7.4f')} {fmt(peer_v, '7.4f')} {fmt(diff, '+8.4f')} {'+-' + format(tol, 'g'):>7} "
                  f"{verdict(metric_met)}")
            ratio_rows.append({"dataset": name, "model": model, "ours_seconds": ours_s, "peer_seconds": peer_s,
                               "ratio": ratio, "time_target": time_target, "metric": metric, "ours": ours_v,
                               "peer": peer_v, "diff": diff, "metric_target": tol})

        row("logreg vs sklearn (fit)", lr["fit_seconds"], sk["fit_seconds"] if sk else None, 1.0,
            "ROC-AUC", lr["test"]["roc_auc"], sk["test"]["roc_auc"] if sk else None, 0.005)
        row("mlp vs torch (per epoch)", m["seconds_per_epoch"], mlp["seconds_per_epoch"] if mlp else None, 0.5,
            "accuracy", m["test"]["accuracy"], mlp["test"]["accuracy"] if mlp else None, 0.01)
        row("", None, None, 0.5, "macro F1", m["test"]["macro_f1"], mlp["test"]["macro_f1"] if mlp else None,
            0.01)
        row("neural vs torch (per epoch)", n["seconds_per_epoch"], neural["seconds_per_epoch"] if neural else None,
            1.0, "HR@20", n["test"]["hr20"], neural["test"]["hr20"] if neural else None, 0.01)
        row("", None, None, 1.0, "MRR@20", n["test"]["mrr20"], neural["test"]["mrr20"] if neural else None, 0.01)
        # On a loaded machine the median epoch swings with the other jobs; the fastest epoch of
        # each side is the steadier figure, so both are shown.
        for label, a, b in (("mlp", m, mlp), ("neural", n, neural)):
            if b:
                fa = min(a["epoch_seconds"][1:] or a["epoch_seconds"])
                fb = min(b["epoch_seconds"][1:] or b["epoch_seconds"])
                print(f"  {label}: fastest epoch ours {fa:.4f} s, torch {fb:.4f} s, ours/torch {fa / fb:.3f}")
                ratio_rows.append({"dataset": name, "model": label + " fastest epoch", "ours_seconds": fa,
                                   "peer_seconds": fb, "ratio": fa / fb})
        batches = -(-n["train_cases"] // 256)
        print(f"  neural: {n['train_cases']:,} training cases = {batches} batches of 256 per epoch; "
              f"ours {n['seconds_per_epoch'] / batches * 1000:.1f} ms per batch (validation pass included)"
              + (f", torch {neural['seconds_per_epoch'] / batches * 1000:.1f} ms" if neural else ""))
        base = load(work, name + "-swb-baseline")
        if base:
            summary["datasets"][name]["swb_baseline_products"] = base
            print(f"  ours with the baseline SSE2 products instead of AVX2: mlp {base['mlp']['seconds_per_epoch']:.4f} "
                  f"s/epoch, neural {base['neural']['seconds_per_epoch']:.4f} s/epoch (AVX2 speed-up "
                  f"{base['neural']['seconds_per_epoch'] / n['seconds_per_epoch']:.2f}x; fastest epochs "
                  f"{min(base['neural']['epoch_seconds']) / min(n['epoch_seconds']):.2f}x); its metrics: "
                  f"HR@20 {base['neural']['test']['hr20']:.4f}, MRR@20 {base['neural']['test']['mrr20']:.4f}, "
                  f"accuracy {base['mlp']['test']['accuracy']:.4f}")
        if sk:
            print(f"  sklearn: lbfgs, {sk['n_iter']} iterations; ours: {lr['epochs_run']} epochs of Adam "
                  f"(its defaults: {json.dumps(lr['params'])})")

    # --- the next-item table ----------------------------------------------------------------------
    tables = [name for name in names if "next_item" in summary["datasets"][name]["swb"]]
    if tables:
        print()
        print("Next item, test split (every test case; a target outside the training catalogue is a miss)")
        header = f"  {'model':<16}" + "".join(f" {name + ' HR@20':>22} {'MRR@20':>8}" for name in tables)
        print(header)
        models = ["pop", "rules", "sknn", "neural (ours)", "neural (torch)"]
        for model in models:
            cells = []
            for name in tables:
                d = summary["datasets"][name]
                if model == "neural (ours)":
                    value = d["swb"]["neural"]["test"]
                elif model == "neural (torch)":
                    value = d["torch_neural"]["test"] if d["torch_neural"] else None
                else:
                    value = d["swb"]["next_item"][model]
                cells.append(f" {fmt(value['hr20'] if value else None, '22.4f')} "
                             f"{fmt(value['mrr20'] if value else None, '8.4f')}")
            print(f"  {model:<16}" + "".join(cells))
        print("  (published HR@20 on the full RetailRocket data, session-rec 2021: SKNN ~0.58, GRU4Rec ~0.57)")

    summary["ratios"] = ratio_rows
    print()
    print("json: " + json.dumps(summary))


if __name__ == "__main__":
    main()
