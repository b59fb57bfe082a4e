#!/usr/bin/python3
"""Time one BTW weights refresh the way the reference code computes it: numpy for the Gaussian KL with residual
sigmas, scikit-learn's mutual_info_regression (KSG, k = 3) for the modality MI, rule kl*mi, then one EMA step.

Same generated data (in distribution) and the same output shape as `btw bench weights`:
labels y ~ N(0, 1); modality m predicts y + N(0, sd_m^2) with sd_m evenly from 0.2 to 3.0; fused prediction
y + N(0, 0.3^2). Prints one JSON line: {"bench": "weights", "n", "m", "seconds" (best of --repeats after
--warm-up runs), "cpu_seconds" (best process CPU time), ...}. Run single-threaded for a fair comparison:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 scripts/bench/weights_numpy_sklearn.py
"""
import argparse
import json
import platform
import time

import numpy as np
import sklearn
from sklearn.feature_selection import mutual_info_regression


def make_data(n, m, seed):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal(n)
    q = y + 0.3 * rng.standard_normal(n)
    sds = [1.0] if m == 1 else [0.2 + 2.8 * j / (m - 1) for j in range(m)]
    p = np.stack([y + sd * rng.standard_normal(n) for sd in sds])
    return y, q, p


def refresh(y, q, p, seed=0):
    """One reference-style refresh (kl*mi, residual sigmas, floors as in btw-method.md) and the first EMA step."""
    floor = 1e-3 * y.std()
    sq = np.maximum(np.abs(y - q), floor)
    sp = np.maximum(np.abs(y[None, :] - p), floor)
    kl = np.log(sq / sp) + (sp ** 2 + (p - q[None, :]) ** 2) / (2 * sq ** 2) - 0.5
    kl = np.nan_to_num(kl, nan=1e-5)
    kl = np.clip(kl, 1e-5, 1e12)
    k = kl / kl.sum(axis=0, keepdims=True)
    mi = np.array([mutual_info_regression(pm.reshape(-1, 1), q, n_neighbors=3, random_state=seed)[0] for pm in p])
    mu = np.maximum(mi, 1e-5)
    mu = mu / mu.sum()
    f = k * mu[:, None]
    f = f / f.sum(axis=0, keepdims=True)
    w = 0.5 * f + 0.5 * np.ones_like(f)
    return mu, w


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--m", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--warm-up", type=int, default=1)
    args = ap.parse_args()
    y, q, p = make_data(args.n, args.m, args.seed)
    times = []
    cpu_times = []
    mu = w = None
    for run in range(args.warm_up + args.repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        mu, w = refresh(y, q, p)
        t1 = time.perf_counter()
        c1 = time.process_time()
        if run >= args.warm_up:
            times.append(t1 - t0)
            cpu_times.append(c1 - c0)
    times.sort()
    cpu_times.sort()
    print(json.dumps({
        "bench": "weights", "n": args.n, "m": args.m, "seconds": times[0],
        "median_seconds": times[len(times) // 2], "cpu_seconds": cpu_times[0], "repeats": args.repeats, "warm_up": args.warm_up,
        "impl": "numpy+sklearn", "python": platform.python_version(), "numpy": np.__version__,
        "sklearn": sklearn.__version__, "threads": 1,
        "mi": {"m%d" % j: float(v) for j, v in enumerate(mu)},
        "mean_weight": {"m%d" % j: float(v) for j, v in enumerate(w.mean(axis=1))},
    }))


if __name__ == "__main__":
    main()
