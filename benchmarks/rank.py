"""Time ranking the whole portfolio against one hand-written SQL query (run by hand).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/rank.py [--sizes 1000 10000] [--raters 5]

For each size it seeds a synthetic portfolio (`seed_bench --replace`, bench-* projects
only), then prints the best of several runs (taking turns) of:
  - rank: `scoring.selectors.score_projects` — loading the ratings and running the engine
    (scores, spreads, quadrants, ranks);
  - SQL reference: one query computing the same impact and feasibility scores in the
    database (no spreads, quadrants or ranks);
and their ratio. Target: ratio ≤ 1.5 at 10,000 projects.
"""

import argparse

from common import best_of
from django.core.management import call_command
from django.db import connection

from portfolio.models import Project
from scoring.selectors import default_profile, score_projects

REFERENCE_SQL = """
WITH criterion_values AS (
    SELECT r.project_id, c.dimension, c.weight,
           AVG(CASE WHEN c.higher_is_better THEN (r.score - 1) * 25.0
                    ELSE (5 - r.score) * 25.0 END) AS value
    FROM portfolio_rating r
    JOIN scoring_criterion c ON c.id = r.criterion_id
    JOIN portfolio_project p ON p.id = r.project_id
    WHERE c.weight > 0 AND p.key LIKE 'bench-%%'
    GROUP BY r.project_id, c.id, c.dimension, c.weight
)
SELECT project_id, dimension, SUM(weight * value) / SUM(weight)
FROM criterion_values
GROUP BY project_id, dimension
"""


def rank():
    return score_projects(Project.objects.filter(key__startswith="bench-"), default_profile())


def reference():
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL)
        return cursor.fetchall()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--raters", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    print(f"{'projects':>9} {'ratings':>9} {'rank s':>8} {'SQL s':>8} {'ratio':>6}")
    for size in args.sizes:
        call_command("seed_bench", projects=size, raters=args.raters, replace=True, verbosity=0)
        (rank_time, scored), (sql_time, rows) = best_of(args.runs, rank, reference)
        assert len(scored.ranked) == size and len(rows) == 2 * size
        ratings = size * args.raters * len(scored.criteria)
        ratio = rank_time / sql_time
        print(f"{size:>9} {ratings:>9} {rank_time:>8.3f} {sql_time:>8.3f} {ratio:>6.2f}")


if __name__ == "__main__":
    main()
