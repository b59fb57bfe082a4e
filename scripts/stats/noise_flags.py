#!/usr/bin/env python3
"""How well a low per-instance modality weight flags known noise on held-out data.

  noise_flags.py derive DATA_DIR OUT_DIR [--seed N]
      From a tabular data set built by `btw data` (manifest.csv + config.yaml), writes two copies with known noise:
      OUT_DIR/corrupt: the modality named by --modality (default serum, diabetes' strongest) added again as
        <modality>_copy, each instance with its own noise level: the copy's columns are standardised with the
        train split's mean and std, then N(0, sd^2) is added with sd drawn per instance uniformly from
        {0, 0.5, 1, 2, 4} (as the bench suite's corrupted copy); the level is written in column noise_sd.
      OUT_DIR/noise-2: two modalities noise_1 and noise_2 of 8 standard normal columns each, for every instance.
  noise_flags.py auroc MANIFEST PREDICTIONS CONDITION [--split test]
      Reads `btw predict`'s weight:<modality> columns for the split's instances and prints one JSON line:
      corrupt: AUROC of -weight:<modality>_copy for "noise_sd >= 1" (and for "noise_sd > 0");
      noise-2: AUROC of -weight over every (instance, modality) pair for "the modality is noise_*".
      0.5 is chance; 1 means every noisy case weighs less than every clean one.

Only the Python standard library and numpy (Debian python3-numpy).
"""
import argparse
import csv
import json
import os
import re

import numpy as np

LEVELS = [0.0, 0.5, 1.0, 2.0, 4.0]


def read_manifest(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def write_manifest(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def modality_columns(config_text, modality):
    m = re.search(r"^  " + re.escape(modality) + r":\n    encoder: columns\n    columns: \[([^\]]*)\]", config_text,
                  re.MULTILINE)
    if not m:
        raise SystemExit(f"no tabular modality '{modality}' in the config")
    return [c.strip().strip('"') for c in m.group(1).split(",")]


def add_modality(config_text, name, columns):
    cols = ", ".join(f'"{c}"' for c in columns)
    return config_text.rstrip("\n") + f"\n  {name}:\n    encoder: columns\n    columns: [{cols}]\n"


def derive(args):
    with open(os.path.join(args.data, "config.yaml")) as f:
        config = f.read()
    rows = read_manifest(os.path.join(args.data, "manifest.csv"))
    header = list(rows[0].keys())
    rng = np.random.default_rng(args.seed)

    # corrupted copy
    src = modality_columns(config, args.modality)
    train = np.array([[float(r[c]) for c in src] for r in rows if r["split"] == "train"])
    mean, std = train.mean(axis=0), train.std(axis=0)
    std[std == 0] = 1.0
    copy = [f"{c}_copy" for c in src]
    out_rows = []
    for r in rows:
        sd = LEVELS[rng.integers(len(LEVELS))]
        x = (np.array([float(r[c]) for c in src]) - mean) / std + sd * rng.standard_normal(len(src))
        o = dict(r)
        o.update({c: repr(float(v)) for c, v in zip(copy, x)})
        o["noise_sd"] = repr(sd)
        out_rows.append(o)
    cfg = add_modality(config, f"{args.modality}_copy", copy)
    write_manifest(os.path.join(args.out, "corrupt", "manifest.csv"), header + copy + ["noise_sd"], out_rows)
    with open(os.path.join(args.out, "corrupt", "config.yaml"), "w") as f:
        f.write(cfg)

    # two noise modalities
    noise_cols = {f"noise_{k}": [f"noise_{k}_{j}" for j in range(8)] for k in (1, 2)}
    out_rows = []
    for r in rows:
        o = dict(r)
        for cols in noise_cols.values():
            o.update({c: repr(float(v)) for c, v in zip(cols, rng.standard_normal(len(cols)))})
        out_rows.append(o)
    cfg = config
    for name, cols in noise_cols.items():
        cfg = add_modality(cfg, name, cols)
    all_noise = [c for cols in noise_cols.values() for c in cols]
    write_manifest(os.path.join(args.out, "noise-2", "manifest.csv"), header + all_noise, out_rows)
    with open(os.path.join(args.out, "noise-2", "config.yaml"), "w") as f:
        f.write(cfg)


def auroc(scores, positive):
    """Mann-Whitney AUROC with average ranks for ties."""
    scores = np.asarray(scores, dtype=float)
    positive = np.asarray(positive, dtype=bool)
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = positive.sum(), (~positive).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def evaluate(args):
    manifest = {r["id"]: r for r in read_manifest(args.manifest)}
    with open(args.predictions, newline="") as f:
        preds = [r for r in csv.DictReader(f) if manifest[r["id"]]["split"] == args.split]
    weights = [c for c in preds[0].keys() if c.startswith("weight:")]
    if not weights:
        raise SystemExit(f"{args.predictions}: no weight:<modality> columns (export with this btw version)")
    out = {"condition": args.condition, "split": args.split, "n": len(preds)}
    if args.condition == "corrupt":
        copy = next(c for c in weights if c.endswith("_copy"))
        sd = np.array([float(manifest[r["id"]]["noise_sd"]) for r in preds])
        score = -np.array([float(r[copy]) for r in preds])
        out["modality"] = copy[len("weight:"):]
        out["auroc_sd_ge_1"] = auroc(score, sd >= 1)
        out["auroc_sd_gt_0"] = auroc(score, sd > 0)
        out["mean_weight_by_sd"] = {repr(l): float(-score[sd == l].mean()) for l in LEVELS if (sd == l).any()}
    else:
        score, noisy = [], []
        for r in preds:
            for c in weights:
                score.append(-float(r[c]))
                noisy.append(c.startswith("weight:noise_"))
        out["auroc_noise_modality"] = auroc(score, noisy)
        out["mean_weight"] = {c[len("weight:"):]: float(np.mean([float(r[c]) for r in preds])) for c in weights}
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("derive")
    d.add_argument("data")
    d.add_argument("out")
    d.add_argument("--modality", default="serum")
    d.add_argument("--seed", type=int, default=1111)
    a = sub.add_parser("auroc")
    a.add_argument("manifest")
    a.add_argument("predictions")
    a.add_argument("condition", choices=["corrupt", "noise-2"])
    a.add_argument("--split", default="test")
    args = p.parse_args()
    derive(args) if args.cmd == "derive" else evaluate(args)


if __name__ == "__main__":
    main()
