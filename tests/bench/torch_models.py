#!/usr/bin/python3
"""The PyTorch peer of bench_models: the intent MLP and the neural next-item model of core/models,
the same architecture trained the same way on the very cases bench_models wrote.

    /usr/bin/python3 torch_models.py DIR {mlp|neural} [--threads 2]

DIR is a dataset folder written by bench_models (meta.json plus raw little-endian float32/int32
files read with numpy.fromfile). What matches ours (core/models/classifiers.cpp,
neuralrecommender.cpp, nn/trainer.cpp):

* mlp: Linear(width, hidden) He uniform U(+-sqrt(6/fan_in)), ReLU, Linear(hidden, classes) Xavier
  uniform, zero biases; CrossEntropyLoss with the balanced class weights n / (classes * n_c)
  (PyTorch's weighted mean is ours);
* neural: Embedding(items + 1, dim, padding_idx = items) U(+-sqrt(3/dim)) (the padding row is our
  kPadId: zero, no gradient), the L embeddings concatenated, Linear(L*dim, hidden) Xavier uniform,
  Tanh, Linear(hidden, items) Xavier uniform; full-softmax CrossEntropyLoss. The embedding takes
  sparse gradients and SparseAdam, which is our lazy Adam (only the rows of the batch move);
* both: our initial weights and our batch order when bench_models wrote them (DIR/*-init-*.f32,
  *-order.i32: then only float rounding separates the two trainings), else the same init family
  and a random order; Adam (lr, betas 0.9/0.999, eps 1e-8, no weight decay), batches of
  batch_size (the last one shorter), a validation pass after every
  epoch in the same batch size, and at the end the weights of the epoch with the best validation
  figure ours stops on (core/models/validationmetrics.h: macro-F1 for the MLP, HR@20 for the
  neural model; the first such epoch on ties), then the test metrics.

Metrics: mlp: accuracy and macro F1 on the test cases (sklearn's definitions, zero_division 0);
neural: HR@20 and MRR@20 over every test case, a case whose target is not in the training
catalogue (-1 in the file) counting as a miss, the rank with our tie rule (equal scores: the lower
catalogue index ranks first).

Prints one JSON line: epoch_seconds (per epoch: training pass + validation pass), seconds_per_epoch
(the median over epochs 2.. when there are several: the first pays for warming up), train_seconds,
the history and the test metrics, torch's version and thread count.
"""

import argparse
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as error:
    print(f"torch_models: {error}; run it with /usr/bin/python3 and install python3-torch",
          file=sys.stderr)
    sys.exit(2)


def read(folder, name, dtype, shape):
    path = os.path.join(folder, name)
    data = np.fromfile(path, dtype=dtype)
    expected = int(np.prod(shape))
    if data.size != expected:
        sys.exit(f"torch_models: {path} holds {data.size} values, expected {expected}")
    return data.reshape(shape)


def split_arrays(folder, task, part, meta):
    info = meta[task]
    n = info["cases"][part]
    if task == "intent":
        x = torch.from_numpy(read(folder, f"intent-{part}-x.f32", "<f4", (n, info["width"])).copy())
    else:
        ids = read(folder, f"next-item-{part}-ids.i32", "<i4", (n, info["context"])).astype(np.int64)
        ids[ids < 0] = info["catalogue"]  # our kPadId -> the padding row
        x = torch.from_numpy(ids)
    prefix = "intent" if task == "intent" else "next-item"
    y = read(folder, f"{prefix}-{part}-y.i32", "<i4", (n,)).astype(np.int64)
    return x, torch.from_numpy(y)


class NextItemNet(nn.Module):
    def __init__(self, items, context, dim, hidden):
        super().__init__()
        self.embedding = nn.Embedding(items + 1, dim, padding_idx=items, sparse=True)
        self.hidden = nn.Linear(context * dim, hidden)
        self.output = nn.Linear(hidden, items)
        limit = (3.0 / dim) ** 0.5
        with torch.no_grad():
            self.embedding.weight.uniform_(-limit, limit)
            self.embedding.weight[items].zero_()
        for layer in (self.hidden, self.output):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, ids):
        return self.output(torch.tanh(self.hidden(self.embedding(ids).flatten(1))))


def make_mlp(width, hidden, classes):
    layers = []
    inputs = width
    for units in hidden:
        layer = nn.Linear(inputs, units)
        nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")  # U(+-sqrt(6 / fan_in))
        nn.init.zeros_(layer.bias)
        layers += [layer, nn.ReLU()]
        inputs = units
    out = nn.Linear(inputs, classes)
    nn.init.xavier_uniform_(out.weight)
    nn.init.zeros_(out.bias)
    return nn.Sequential(*layers, out)


def macro_f1(y_true, y_pred, classes):
    scores = []
    for c in range(classes):
        tp = int(np.sum((y_pred == c) & (y_true == c)))
        fp = int(np.sum((y_pred == c) & (y_true != c)))
        fn = int(np.sum((y_pred != c) & (y_true == c)))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores))


def ranks(scores, target):
    """1-based rank of each row's target among its scores, equal scores: the lower index first."""
    index = torch.arange(scores.shape[1])
    t = target.clamp(min=0)
    score_t = scores.gather(1, t.unsqueeze(1))
    ahead = (scores > score_t) | ((scores == score_t) & (index.unsqueeze(0) < t.unsqueeze(1)))
    return ahead.sum(1) + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("model", choices=("mlp", "neural"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.folder, "meta.json")) as f:
        meta = json.load(f)
    task = "intent" if args.model == "mlp" else "next_item"
    info = meta[task]
    params = info["params"]
    torch.manual_seed(int(params.get("seed", 42)))

    train_x, train_y = split_arrays(args.folder, task, "train", meta)
    val_x, val_y = split_arrays(args.folder, task, "validation", meta)
    test_x, test_y = split_arrays(args.folder, task, "test", meta)

    if args.model == "mlp":
        classes = info["classes"]
        counts = np.bincount(train_y.numpy(), minlength=classes).astype(np.float64)
        n = float(len(train_y))
        weights = np.where(counts > 0, n / (classes * np.maximum(counts, 1)), 0.0).astype(np.float32)
        net = make_mlp(info["width"], params["hidden"], classes)
        loss_fn = nn.CrossEntropyLoss(weight=torch.from_numpy(weights))
        optimizers = [torch.optim.Adam(net.parameters(), lr=params["lr"], betas=(0.9, 0.999), eps=1e-8)]
    else:
        net = NextItemNet(info["catalogue"], info["context"], params["embedding"], params["hidden"])
        loss_fn = nn.CrossEntropyLoss()
        dense = [p for name, p in net.named_parameters() if not name.startswith("embedding")]
        optimizers = [torch.optim.SparseAdam([net.embedding.weight], lr=params["lr"], betas=(0.9, 0.999),
                                             eps=1e-8),
                      torch.optim.Adam(dense, lr=params["lr"], betas=(0.9, 0.999), eps=1e-8)]
        # Our cases of train and validation all have a target in the catalogue.
        if int(train_y.min()) < 0 or int(val_y.min()) < 0:
            sys.exit("torch_models: a training or validation target is outside the catalogue")

    batch = params["batch_size"]
    epochs = params["epochs"]
    n_train = len(train_y)
    prefix = "intent" if task == "intent" else "next-item"
    # Our initial weights and batch order (bench_models' writeStart), when given.
    same_start = "init" in info
    if same_start:
        modules = ({"0": net[0], "2": net[2]} if args.model == "mlp"
                   else {"0": net.hidden, "2": net.output})
        with torch.no_grad():
            for t in info["init"]:
                value = torch.from_numpy(read(args.folder, f"{prefix}-init-{t['name']}.f32", "<f4",
                                              (t["rows"], t["cols"])).copy())
                owner, kind = t["name"].split(".")
                if owner == "embedding":
                    net.embedding.weight[:t["rows"]] = value
                elif kind == "weight":
                    modules[owner].weight.copy_(value.t())
                else:
                    modules[owner].bias.copy_(value.reshape(-1))
    orders = None
    if "order_epochs" in info and info["order_epochs"] >= epochs:
        orders = torch.from_numpy(read(args.folder, f"{prefix}-order.i32", "<i4",
                                       (info["order_epochs"], n_train)).astype(np.int64))
    history = []
    epoch_seconds = []
    best_metric = -float("inf")
    best_epoch = 0
    best_state = None
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        net.train()
        order = orders[epoch - 1] if orders is not None else torch.randperm(n_train)
        loss_sum = 0.0
        for begin in range(0, n_train, batch):
            rows = order[begin:begin + batch]
            for opt in optimizers:
                opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(train_x[rows]), train_y[rows])
            loss.backward()
            for opt in optimizers:
                opt.step()
            loss_sum += float(loss) * len(rows)
        net.eval()
        val_sum = 0.0
        val_weight = 0.0
        val_pred = []
        val_hits = 0
        with torch.no_grad():
            for begin in range(0, len(val_y), batch):
                logits = net(val_x[begin:begin + batch])
                target = val_y[begin:begin + batch]
                # Our batch weight: the number of cases, or the sum of their class weights.
                weight = float(loss_fn.weight[target].sum()) if loss_fn.weight is not None else len(target)
                val_sum += float(loss_fn(logits, target)) * weight
                val_weight += weight
                if args.model == "mlp":
                    val_pred.append(logits.argmax(1))
                else:
                    val_hits += int((ranks(logits, target) <= 20).sum())
        val_loss = val_sum / val_weight
        if args.model == "mlp":
            val_metric = macro_f1(val_y.numpy(), torch.cat(val_pred).numpy(), info["classes"])
        else:
            val_metric = val_hits / len(val_y)
        epoch_seconds.append(time.perf_counter() - t0)
        history.append({"epoch": epoch, "train_loss": loss_sum / n_train, "val_loss": val_loss,
                        "val_metric": val_metric})
        if val_metric > best_metric:
            best_metric = val_metric
            best_epoch = epoch
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    train_seconds = time.perf_counter() - started
    if best_state is not None:
        net.load_state_dict(best_state)

    result = {"tool": "torch", "model": args.model, "torch_version": torch.__version__,
              "threads": torch.get_num_threads(), "epochs": epochs, "epoch_seconds": epoch_seconds,
              "seconds_per_epoch": statistics.median(epoch_seconds[1:] if len(epoch_seconds) > 1
                                                     else epoch_seconds),
              "train_seconds": train_seconds, "train_cases": n_train, "best_epoch": best_epoch,
              "same_start": same_start, "same_order": orders is not None,
              "history": history}
    net.eval()
    with torch.no_grad():
        if args.model == "mlp":
            pred = torch.cat([net(test_x[b:b + 4096]).argmax(1) for b in range(0, len(test_y), 4096)])
            y = test_y.numpy()
            p = pred.numpy()
            result["test"] = {"accuracy": float(np.mean(p == y)), "macro_f1": macro_f1(y, p, info["classes"]),
                              "cases": len(y)}
        else:
            hits = 0
            reciprocal = 0.0
            for begin in range(0, len(test_y), 1024):
                scores = net(test_x[begin:begin + 1024])
                target = test_y[begin:begin + 1024]
                seen = target >= 0
                rank = ranks(scores, target)
                hit = seen & (rank <= 20)
                hits += int(hit.sum())
                reciprocal += float((hit.double() / rank.double()).sum())
            n = len(test_y)
            result["test"] = {"hr20": hits / n, "mrr20": reciprocal / n, "cases": n}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
