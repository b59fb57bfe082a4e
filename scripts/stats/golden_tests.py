"""Golden values for dev.btw.core.stats (StudentT, PairedTTest, SignTest), from scipy.

Run: /usr/bin/python3 scripts/stats/golden_tests.py  (scipy 1.10 on Debian 12 gave the values in the tests)
"""
import numpy as np
from scipy import stats

print("# StudentT.cdf(t, df)")
for t, df in [(0.0, 1), (1.0, 1), (-2.5, 3), (2.0, 4), (0.3, 10), (-4.0, 2), (12.0, 4), (1.96, 1000), (-0.7, 2.5)]:
    print(f"{{{t}, {df}, {stats.t.cdf(t, df)!r}}},")

print("# PairedTTest.of(a, b) -> t, p")
pairs = [
    ([52.1, 50.3, 51.7, 53.0, 49.8], [53.0, 51.1, 51.2, 54.4, 50.9]),
    ([0.71, 0.66, 0.74, 0.69, 0.70], [0.69, 0.67, 0.70, 0.65, 0.66]),
    ([1.0, 2.0], [0.5, 2.2]),
]
for a, b in pairs:
    r = stats.ttest_rel(a, b)
    print(f"a={a} b={b} t={r.statistic!r} p={r.pvalue!r}")

print("# SignTest: binomtest(k=min, n, 0.5) two-sided")
for w, l in [(5, 0), (4, 1), (3, 2), (9, 1), (0, 0 + 6), (7, 3)]:
    n = w + l
    print(f"wins={w} losses={l} p={stats.binomtest(min(w, l), n, 0.5).pvalue!r}")
