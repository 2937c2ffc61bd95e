"""What every benchmark script shares: Django set up from the checkout, and best-of timing.

Scripts run as `python benchmarks/NAME.py`, so this module is imported as `common`.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()


def best_of(runs, *functions):
    """The best time and the last result of each function over `runs` rounds.

    The functions take turns within a round, so that a machine busy with something else
    for a while slows them alike rather than skewing their ratio.
    """
    timings = [[] for _ in functions]
    results = [None] * len(functions)
    for _ in range(runs):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            results[i] = function()
            timings[i].append(time.perf_counter() - start)
    return [(min(times), result) for times, result in zip(timings, results, strict=True)]
