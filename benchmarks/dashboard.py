"""Server time and response size of the dashboard as the portfolio grows (run by hand).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/dashboard.py \
        [--sizes 100 1000 10000] [--raters 5] [--browser]

For each size it seeds a synthetic portfolio (`seed_bench --replace`) and prints, for a
manager who sees every project, the best of several runs of:
  - the whole page (GET /dashboard/): server time, bytes, bytes per project;
  - the htmx fragment a filter change fetches (team filter): server time and bytes;
  - the time per 1,000 projects, to read the growth (near-linear or better is the target).
With --browser it also starts the app (runserver) and drives Debian's Chromium: time until
the matrix is drawn on a first visit (plotly.js not cached yet) and on a second one, and
until a filter change has swapped the results and redrawn it.
Use a database of its own: seeding replaces the bench-* projects.
"""

import argparse
import os
import subprocess
import sys
import time

from common import ROOT, best_of
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from portfolio.models import Team

USERNAME = "bench-manager"
PASSWORD = "bench-manager-password"
PORT = 8765
# The matrix has been drawn: plotly.js has laid it out (SVG or WebGL alike).
DRAWN = "() => { const m = document.querySelector('.matrix'); return !!(m && m._fullLayout); }"


def manager():
    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_superuser": True, "is_staff": True}
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def server_figures(size, runs):
    client = Client()
    client.force_login(manager())
    team = Team.objects.get(name="Bench Vision")

    def page():
        response = client.get("/dashboard/")
        assert response.status_code == 200
        return response

    def fragment():
        response = client.get("/dashboard/", {"team": team.pk}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response

    (page_time, response), (fragment_time, partial) = best_of(runs, page, fragment)
    page_bytes, fragment_bytes = len(response.content), len(partial.content)
    per_thousand = page_time / size * 1000
    print(
        f"{size:>9} {page_time:>8.3f} {per_thousand:>8.3f} {page_bytes:>11,} "
        f"{page_bytes / size:>8,.0f} {fragment_time:>8.3f} {fragment_bytes:>11,}"
    )


def browser_figures(size, team_pk):
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "DEBUG": "1"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        base = f"http://127.0.0.1:{PORT}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", USERNAME)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            drawn = []
            for _visit in ("cold", "warm"):  # the second visit has plotly.js in its cache
                start = time.perf_counter()
                page.goto(f"{base}/dashboard/")
                page.wait_for_function(DRAWN, timeout=120_000)
                drawn.append(time.perf_counter() - start)
            start = time.perf_counter()
            page.select_option("#id_team", str(team_pk))
            page.wait_for_url(f"**team={team_pk}**")
            page.wait_for_function(DRAWN, timeout=120_000)
            swapped = time.perf_counter() - start
            browser.close()
        print(f"{size:>9} {drawn[0]:>10.2f} {drawn[1]:>10.2f} {swapped:>10.2f}")
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--raters", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time Chromium")
    args = parser.parse_args()
    setup_test_environment()  # the test client's host, "testserver", is allowed
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'projects':>9} {'page s':>8} {'s/1k':>8} {'page bytes':>11} {'B/proj':>8} "
        f"{'htmx s':>8} {'htmx bytes':>11}"
    )
    for size in args.sizes:
        call_command("seed_bench", projects=size, raters=args.raters, replace=True, verbosity=0)
        server_figures(size, args.runs)
        if args.browser:
            print(f"{'projects':>9} {'cold s':>10} {'warm s':>10} {'filter s':>10}  (Chromium)")
            browser_figures(size, Team.objects.get(name="Bench Vision").pk)


if __name__ == "__main__":
    main()
