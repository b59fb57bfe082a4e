#!/usr/bin/python3
"""Generate the golden JSON fixtures that the Java tests of btw-core compare against.

Run from anywhere with the system Python (Debian: scikit-learn 1.2.1, numpy, scipy):

    /usr/bin/python3 scripts/golden/make_golden.py [--verbose]

Every input is drawn from a fixed numpy seed, so running the script again rewrites the same files. The
outputs go to btw-core/src/test/resources/golden/, located relative to this script, and are committed: the
Java tests never need Python.

Files written (formats are read by other code; do not change them casually):

* mi_regression.json    {"sklearn": version, "cases": [{"name", "k", "x", "y", "mi"}]}
                        mi = mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k, random_state=0)[0]
* mi_regression_ties.json
                        the same shape plus "mi_min" and "mi_max": cases whose sklearn estimate depends on the
                        tie-breaking jitter (it moves by more than 0.2 % and 0.001 across random_state 0..10).
                        A Java estimator with its own random stream can only be expected to land near
                        [mi_min, mi_max], not within 2 % of "mi"; mi_regression.json holds only stable cases.
* mi_discrete.json      {"cases": [{"name", "a", "b", "mi"}]}, mi = mutual_info_score(a, b) in nats
* pearson.json          {"cases": [{"name", "x", "y", "r"}]}, r = scipy.stats.pearsonr(x, y)[0]
* metrics_regression.json
                        {"sklearn": version, "cases": [{"name", "y_true", "y_pred", "mae", "rmse", "r2", "corr"}
                        plus, for the sentiment cases, "acc7", "acc5", "acc2_has0", "f1_has0", "acc2_non0",
                        "f1_non0" computed the way the MMSA toolkit's metricsTop.py does, in float64 and without
                        its final round(value, 4)]}
* metrics_classification.json
                        {"sklearn": version, "cases": [{"name", "y_true", "y_prob", "accuracy", "f1_macro",
                        "f1_weighted", "auroc", "confusion"}]}
* seed_summary.json     {"cases": [{"name", "values", "mean", "std"}]}, std = sample standard deviation
                        (ddof = 1), 0 for a single value

With --verbose the script prints every MI regression case with its range over random_state.
"""

import json
import os
import sys

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.feature_selection import mutual_info_regression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, mean_absolute_error,
                             mean_squared_error, mutual_info_score, r2_score, roc_auc_score)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "btw-core", "src", "test", "resources", "golden")

SIGNIFICANT = 10  # inputs are rounded before use (compact JSON); the references see exactly the written numbers


def _floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def _ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def _r(a):
    """Round to SIGNIFICANT significant digits: compact, and too fine to create ties by accident."""
    a = np.asarray(a, dtype=np.float64)
    return np.array([float("%.*g" % (SIGNIFICANT, v)) for v in a.ravel()]).reshape(a.shape)


def _write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d cases)" % (os.path.relpath(path, REPO), len(payload["cases"])))


# ---------------------------------------------------------------------------------------------------------
# Mutual information, continuous (KSG as in sklearn)
# ---------------------------------------------------------------------------------------------------------

def mi_regression_inputs():
    """(name, k, x, y) tuples; x and y already rounded by _r."""
    cases = []
    rng = np.random.default_rng(101)
    x = rng.normal(size=5)
    cases.append(("gauss_tiny_n5", 3, x, x + 0.3 * rng.normal(size=5)))
    rng = np.random.default_rng(102)
    x = rng.normal(size=8)
    cases.append(("gauss_tiny_n8_k1", 1, x, x + 0.5 * rng.normal(size=8)))
    rng = np.random.default_rng(103)
    x = rng.normal(size=200)
    cases.append(("gauss_rho08_n200", 3, x, 0.8 * x + 0.6 * rng.normal(size=200)))
    rng = np.random.default_rng(104)
    x = rng.normal(size=500)
    cases.append(("gauss_independent_n500_clipped_to_zero", 3, x, rng.normal(size=500)))
    rng = np.random.default_rng(105)
    x = rng.normal(size=60)
    cases.append(("gauss_independent_n60", 3, x, rng.normal(size=60)))
    rng = np.random.default_rng(106)
    x = rng.normal(size=2000)
    y = x + 0.2 * rng.normal(size=2000)
    cases.append(("gauss_strong_n2000", 3, x, y))
    cases.append(("gauss_strong_n2000_k5", 5, x, y))
    rng = np.random.default_rng(107)
    x = rng.normal(size=2000)
    cases.append(("gauss_noisy_n2000_k10", 10, x, x + 1.6 * rng.normal(size=2000)))
    rng = np.random.default_rng(108)
    x = rng.uniform(-3, 3, size=1000)
    cases.append(("nonlinear_sin_n1000", 3, x, np.sin(2 * x) + 0.3 * rng.normal(size=1000)))
    rng = np.random.default_rng(109)
    x = rng.standard_t(2, size=1000)
    cases.append(("student_t2_n1000", 3, x, x + rng.standard_t(2, size=1000)))
    rng = np.random.default_rng(110)
    x = rng.standard_cauchy(size=500)
    cases.append(("cauchy_n500", 3, x, x + rng.standard_cauchy(size=500)))
    rng = np.random.default_rng(111)
    x = rng.standard_cauchy(size=300)
    cases.append(("cauchy_n300_k2", 2, x, 0.5 * x + rng.normal(size=300)))
    rng = np.random.default_rng(112)
    x = rng.normal(size=400)
    # a sentiment-like scale with a large offset: scaling is not centred, so the offset matters
    cases.append(("offset_1e3_n400", 3, 1000.0 + 3 * x, 1000.0 + 3 * x + rng.normal(size=400)))
    rng = np.random.default_rng(113)
    x = rng.normal(size=400)
    cases.append(("scaled_1e-3_n400", 4, 1e-3 * x, 1e-3 * (x + 0.5 * rng.normal(size=400))))
    rng = np.random.default_rng(114)
    x = rng.normal(size=600)
    # moderate ties: one decimal on one side only
    cases.append(("ties_x_one_decimal_n600", 3, np.round(x, 1), x + 0.5 * rng.normal(size=600)))
    rng = np.random.default_rng(115)
    x = rng.normal(size=800)
    y = x + 0.7 * rng.normal(size=800)
    cases.append(("ties_both_one_decimal_n800", 3, np.round(x, 1), np.round(y, 1)))
    rng = np.random.default_rng(116)
    labels = rng.integers(-3, 4, size=1000).astype(float)
    # sentiment-style: discrete labels against continuous predictions
    cases.append(("ties_discrete_labels_vs_continuous_n1000", 3, labels + 0.8 * rng.normal(size=1000), labels))
    rng = np.random.default_rng(117)
    a = rng.integers(0, 5, size=500).astype(float)
    b = np.where(rng.random(500) < 0.7, a, rng.integers(0, 5, size=500)).astype(float)
    cases.append(("discrete_both_5_values_n500", 3, a, b))
    rng = np.random.default_rng(118)
    x = rng.exponential(size=300)
    cases.append(("exponential_skewed_n300", 3, x, np.log1p(x) + 0.1 * rng.normal(size=300)))
    return [(n, k, _r(x), _r(y)) for n, k, x, y in cases]


def mi_regression_value(x, y, k, seed=0):
    return float(mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k, random_state=seed)[0])


JITTER_SEEDS = range(0, 11)
JITTER_REL = 0.002   # a case whose estimate moves more than this (relative) ...
JITTER_ABS = 0.001   # ... and more than this (absolute) across sklearn's random_state is "jitter-sensitive"


def make_mi_regression(verbose):
    """Stable cases go to mi_regression.json; cases whose value depends on the tie-breaking jitter (exact
    ties in both coordinates, or a k-th neighbour distance equal to a grid step) go to
    mi_regression_ties.json with the range of sklearn's estimates over random_state 0..10."""
    stable, sensitive = [], []
    for name, k, x, y in mi_regression_inputs():
        mi = mi_regression_value(x, y, k)
        values = [mi_regression_value(x, y, k, seed) for seed in JITTER_SEEDS]
        lo, hi = min(values), max(values)
        spread = hi - lo
        is_sensitive = spread > JITTER_ABS and spread > JITTER_REL * max(mi, 1e-12)
        if verbose:
            print("  %-40s n=%4d k=%2d mi=%.6f jitter range [%.6f, %.6f]%s"
                  % (name, len(x), k, mi, lo, hi, "  -> ties file" if is_sensitive else ""))
        case = {"name": name, "k": k, "x": _floats(x), "y": _floats(y), "mi": mi}
        if is_sensitive:
            case.update({"mi_min": lo, "mi_max": hi})
            sensitive.append(case)
        else:
            stable.append(case)
    _write("mi_regression.json", {"sklearn": sklearn.__version__, "cases": stable})
    _write("mi_regression_ties.json", {"sklearn": sklearn.__version__,
                                        "random_states": [JITTER_SEEDS.start, JITTER_SEEDS.stop - 1],
                                        "cases": sensitive})


# ---------------------------------------------------------------------------------------------------------
# Mutual information, discrete (plug-in, nats)
# ---------------------------------------------------------------------------------------------------------

def make_mi_discrete():
    cases = []

    def add(name, a, b):
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        cases.append({"name": name, "a": _ints(a), "b": _ints(b), "mi": float(mutual_info_score(a, b))})

    add("tiny_n5", [0, 1, 1, 0, 2], [0, 1, 1, 1, 2])
    add("identical_3_classes", [0, 1, 2, 0, 1, 2, 2, 2], [0, 1, 2, 0, 1, 2, 2, 2])
    add("relabelled_is_identical", [0, 0, 1, 1, 2, 2, 2], [2, 2, 0, 0, 1, 1, 1])
    add("one_side_constant", [1, 1, 1, 1, 1, 1], [0, 1, 0, 1, 2, 2])
    add("both_constant", [3, 3, 3, 3], [0, 0, 0, 0])
    add("binary_perfect_n2", [0, 1], [1, 0])
    rng = np.random.default_rng(201)
    add("independent_binary_n2000", rng.integers(0, 2, 2000), rng.integers(0, 2, 2000))
    rng = np.random.default_rng(202)
    a = rng.integers(0, 3, 300)
    add("noisy_copy_3_classes_n300", a, np.where(rng.random(300) < 0.6, a, rng.integers(0, 3, 300)))
    rng = np.random.default_rng(203)
    a = rng.integers(0, 7, 1000)
    add("noisy_copy_7_classes_n1000", a, np.where(rng.random(1000) < 0.4, a, rng.integers(0, 7, 1000)))
    rng = np.random.default_rng(204)
    a = rng.integers(0, 4, 500)
    add("different_cardinalities_4_vs_2", a, (a >= 2).astype(int))
    rng = np.random.default_rng(205)
    a = rng.choice([0, 3, 7], size=200, p=[0.8, 0.15, 0.05])
    add("imbalanced_noncontiguous_labels", a, np.where(rng.random(200) < 0.5, a, 0))
    return _write("mi_discrete.json", {"cases": cases})


# ---------------------------------------------------------------------------------------------------------
# Pearson correlation
# ---------------------------------------------------------------------------------------------------------

def make_pearson():
    cases = []

    def add(name, x, y):
        x, y = _r(x), _r(y)
        r = float(scipy.stats.pearsonr(x, y)[0])
        assert abs(r - np.corrcoef(x, y)[0, 1]) < 1e-12, name
        cases.append({"name": name, "x": _floats(x), "y": _floats(y), "r": r})

    add("n2_positive", [1.0, 2.0], [3.0, 5.0])
    add("n2_negative", [1.0, 2.0], [5.0, 3.0])
    add("n3", [1.0, 2.0, 4.0], [2.0, 1.0, 7.0])
    add("perfect_linear", np.arange(10.0), 2.5 * np.arange(10.0) - 1.0)
    add("perfect_negative", np.arange(10.0), -0.5 * np.arange(10.0) + 4.0)
    rng = np.random.default_rng(301)
    x = rng.normal(size=5)
    add("gauss_tiny_n5", x, x + rng.normal(size=5))
    rng = np.random.default_rng(302)
    x = rng.normal(size=2000)
    add("gauss_rho06_n2000", x, 0.6 * x + 0.8 * rng.normal(size=2000))
    rng = np.random.default_rng(303)
    add("independent_n500", rng.normal(size=500), rng.normal(size=500))
    rng = np.random.default_rng(304)
    x = rng.standard_cauchy(size=400)
    add("cauchy_n400", x, x + rng.standard_cauchy(size=400))
    rng = np.random.default_rng(305)
    x = rng.standard_t(3, size=700)
    add("student_t3_n700", x, 0.3 * x + rng.standard_t(3, size=700))
    rng = np.random.default_rng(306)
    x = rng.normal(size=300)
    add("large_offset_1e6_n300", 1e6 + x, 1e6 + x + rng.normal(size=300))
    rng = np.random.default_rng(307)
    x = rng.integers(-3, 4, size=250).astype(float)
    add("ties_discrete_n250", x, np.clip(x + rng.integers(-1, 2, size=250), -3, 3))
    rng = np.random.default_rng(308)
    x = rng.normal(size=100)
    add("tiny_scale_1e-4_n100", 1e-4 * x, 1e-4 * (x + rng.normal(size=100)))
    return _write("pearson.json", {"cases": cases})


# ---------------------------------------------------------------------------------------------------------
# Regression metrics, including the MMSA sentiment set
# ---------------------------------------------------------------------------------------------------------

def mmsa_sentiment(y_pred, y_true):
    """The MOSI/MOSEI regression metrics exactly as MMSA's metricsTop.__eval_mosei_regression computes them,
    in float64 and without the final round(value, 4). np.round rounds half to even."""
    preds, truth = np.asarray(y_pred, dtype=np.float64), np.asarray(y_true, dtype=np.float64)

    def multiclass_acc(p, t):
        return float(np.sum(np.round(p) == np.round(t)) / float(len(t)))

    acc7 = multiclass_acc(np.clip(preds, -3.0, 3.0), np.clip(truth, -3.0, 3.0))
    acc5 = multiclass_acc(np.clip(preds, -2.0, 2.0), np.clip(truth, -2.0, 2.0))
    non_zeros = np.array([i for i, e in enumerate(truth) if e != 0])
    nz_truth = truth[non_zeros] > 0
    nz_preds = preds[non_zeros] > 0
    acc2_non0 = float(accuracy_score(nz_preds, nz_truth))
    f1_non0 = float(f1_score(nz_truth, nz_preds, average="weighted", zero_division=0))
    b_truth = truth >= 0
    b_preds = preds >= 0
    acc2_has0 = float(accuracy_score(b_preds, b_truth))
    f1_has0 = float(f1_score(b_truth, b_preds, average="weighted", zero_division=0))
    return {"acc7": acc7, "acc5": acc5, "acc2_has0": acc2_has0, "f1_has0": f1_has0,
            "acc2_non0": acc2_non0, "f1_non0": f1_non0}


def make_metrics_regression():
    cases = []

    def add(name, y_true, y_pred, sentiment=False):
        t, p = _r(y_true), _r(y_pred)
        case = {"name": name, "y_true": _floats(t), "y_pred": _floats(p),
                "mae": float(mean_absolute_error(t, p)),
                "rmse": float(np.sqrt(mean_squared_error(t, p))),
                "r2": float(r2_score(t, p)),
                "corr": float(scipy.stats.pearsonr(p, t)[0])}
        if sentiment:
            case.update(mmsa_sentiment(p, t))
        cases.append(case)

    rng = np.random.default_rng(401)
    y = rng.normal(size=5)
    add("gauss_tiny_n5", y, y + 0.4 * rng.normal(size=5))
    rng = np.random.default_rng(402)
    y = rng.normal(3, 2, size=2000)
    add("gauss_n2000", y, 0.9 * y + 0.5 + rng.normal(size=2000))
    rng = np.random.default_rng(403)
    y = rng.standard_t(2, size=500)
    add("student_t2_n500", y, y + rng.standard_t(2, size=500))
    rng = np.random.default_rng(404)
    y = rng.normal(size=300)
    add("negative_r2_n300", y, -y + rng.normal(size=300))
    rng = np.random.default_rng(405)
    y = rng.normal(size=50)
    add("biased_prediction_n50", y, y + 3.0)

    # Sentiment-style labels: the mean of three annotators' integer scores in [-3, 3] (multiples of 1/3),
    # with exact half values and exact zeros mixed in; predictions spill beyond [-3, 3] so clipping matters.
    def sentiment_labels(rng, n):
        lab = _r(rng.integers(-3, 4, size=(n, 3)).mean(axis=1))
        halves = rng.random(n) < 0.15
        lab[halves] = rng.choice([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5], size=halves.sum())
        zeros = rng.random(n) < 0.08
        lab[zeros] = 0.0
        return lab

    rng = np.random.default_rng(406)
    t = sentiment_labels(rng, 12)
    add("sentiment_tiny_n12", t, t + 0.9 * rng.normal(size=12), sentiment=True)
    rng = np.random.default_rng(407)
    t = sentiment_labels(rng, 700)
    add("sentiment_n700", t, 0.8 * t + 1.1 * rng.normal(size=700), sentiment=True)
    rng = np.random.default_rng(408)
    t = sentiment_labels(rng, 2000)
    add("sentiment_n2000_overshoot", t, 1.6 * t + 0.8 * rng.normal(size=2000), sentiment=True)
    rng = np.random.default_rng(409)
    t = sentiment_labels(rng, 300)
    p = t.copy()
    # predictions exactly on half values and exact zeros: tests round-half-to-even and the >= 0 / > 0 rules
    idx = rng.random(300) < 0.5
    p[idx] = rng.choice([-3.5, -2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.5], size=idx.sum())
    add("sentiment_exact_halves_n300", t, p, sentiment=True)
    add("sentiment_hand_halves",
        [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.0, 0.0, 3.0, -3.0, 1.0 / 3, -2.0 / 3],
        [0.4, 2.0, 2.4, -1.0, -2.0, -2.0, 0.0, -0.2, 3.6, -3.4, 0.0, -0.5], sentiment=True)
    rng = np.random.default_rng(410)
    t = sentiment_labels(rng, 200)
    add("sentiment_all_predicted_positive_n200", t, np.abs(t) + 0.1 + 0.2 * rng.random(200), sentiment=True)
    return _write("metrics_regression.json", {"sklearn": sklearn.__version__, "cases": cases})


# ---------------------------------------------------------------------------------------------------------
# Classification metrics
# ---------------------------------------------------------------------------------------------------------

def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def make_metrics_classification():
    cases = []

    def add(name, y_true, y_prob):
        y_true = np.asarray(y_true, dtype=np.int64)
        y_prob = _r(y_prob)
        n_classes = y_prob.shape[1]
        y_pred = np.argmax(y_prob, axis=1)  # first maximum wins on ties
        if n_classes == 2:
            auroc = roc_auc_score(y_true, y_prob[:, 1])
        else:
            # ovr requires rows summing to 1; rounding to SIGNIFICANT digits keeps them within allclose
            auroc = roc_auc_score(y_true, y_prob, multi_class="ovr", average="macro")
        cases.append({
            "name": name,
            "y_true": _ints(y_true),
            "y_prob": [_floats(row) for row in y_prob],
            "accuracy": float(accuracy_score(y_true, y_pred)),
            "f1_macro": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
            "f1_weighted": float(f1_score(y_true, y_pred, average="weighted", zero_division=0)),
            "auroc": float(auroc),
            "confusion": confusion_matrix(y_true, y_pred, labels=list(range(n_classes))).tolist(),
        })

    add("binary_tiny_n6", [0, 1, 1, 0, 1, 0],
        [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45], [0.1, 0.9], [0.4, 0.6]])
    rng = np.random.default_rng(501)
    y = rng.integers(0, 2, 400)
    add("binary_n400", y, _softmax(np.stack([np.zeros(400), 1.5 * (2 * y - 1) + 1.5 * rng.normal(size=400)], 1)))
    rng = np.random.default_rng(502)
    y = rng.integers(0, 2, 300)
    p = np.round(np.clip(0.5 + 0.25 * (2 * y - 1) + 0.25 * rng.normal(size=300), 0, 1), 1)
    add("binary_ties_one_decimal_n300", y, np.stack([1 - p, p], 1))
    add("binary_argmax_ties_half", [0, 1, 1, 0, 1, 0, 1, 0],
        [[0.5, 0.5], [0.5, 0.5], [0.2, 0.8], [0.5, 0.5], [0.3, 0.7], [0.9, 0.1], [0.5, 0.5], [0.6, 0.4]])
    rng = np.random.default_rng(503)
    y = (rng.random(2000) < 0.05).astype(int)
    add("binary_imbalanced_5pct_n2000", y,
        _softmax(np.stack([np.zeros(2000), -2.5 + 2.0 * y + rng.normal(size=2000)], 1)))
    rng = np.random.default_rng(504)
    y = rng.integers(0, 2, 100)
    add("binary_never_predicts_positive_n100", y,
        np.stack([1 - 0.3 * rng.random(100) * (1 + y) / 2, 0.3 * rng.random(100) * (1 + y) / 2], 1))
    rng = np.random.default_rng(505)
    y = rng.integers(0, 3, 300)
    z = rng.normal(size=(300, 3))
    z[np.arange(300), y] += 1.2
    add("multiclass3_n300", y, _softmax(z))
    rng = np.random.default_rng(506)
    y = rng.integers(0, 5, 1000)
    palette = _softmax(rng.normal(size=(8, 5)) * 1.5)
    rows = np.where(rng.random(1000) < 0.5, y % 8, rng.integers(0, 8, 1000))
    add("multiclass5_ties_palette_n1000", y, palette[rows])
    rng = np.random.default_rng(507)
    y = rng.choice(4, size=600, p=[0.7, 0.2, 0.07, 0.03])
    z = rng.normal(size=(600, 4))
    z[np.arange(600), y] += 1.0
    z[:, 3] -= 10.0  # class 3 is never predicted: its F1 is 0 (zero_division = 0)
    add("multiclass4_imbalanced_class3_never_predicted_n600", y, _softmax(z))
    add("multiclass3_tiny_n6", [0, 1, 2, 2, 1, 0],
        [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6]])
    return _write("metrics_classification.json", {"sklearn": sklearn.__version__, "cases": cases})


# ---------------------------------------------------------------------------------------------------------
# Mean and sample standard deviation over seeds
# ---------------------------------------------------------------------------------------------------------

def make_seed_summary():
    cases = []

    def add(name, values):
        v = np.asarray(values, dtype=np.float64)
        std = float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
        cases.append({"name": name, "values": _floats(v), "mean": float(np.mean(v)), "std": std})

    add("one_run", [0.731])
    add("two_runs", [0.7, 0.8])
    add("five_seeds", [0.812, 0.799, 0.821, 0.805, 0.817])
    add("constant", [1.25, 1.25, 1.25])
    rng = np.random.default_rng(601)
    add("large_offset", _r(1e6 + rng.normal(size=10)))
    return _write("seed_summary.json", {"cases": cases})


def main(argv):
    verbose = "--verbose" in argv
    print("numpy %s, scipy %s, scikit-learn %s" % (np.__version__, scipy.__version__, sklearn.__version__))
    make_mi_regression(verbose)
    make_mi_discrete()
    make_pearson()
    make_metrics_regression()
    make_metrics_classification()
    make_seed_summary()


if __name__ == "__main__":
    main(sys.argv[1:])
