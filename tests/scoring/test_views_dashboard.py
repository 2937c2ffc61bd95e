"""The dashboard: projects in priority order under a profile and filters, with counts,
the matrix, spread, rank stability and movement since a snapshot."""

import json
from html import unescape

import pytest
from django.urls import reverse

from portfolio.models import Project, Rating
from scoring import selectors, services
from scoring.models import ScoringProfile
from tests.factories import ProjectFactory, UserFactory, rate, rated_project

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
HTMX = {"HTTP_HX_REQUEST": "true"}


def figure_of(response):
    html = response.content.decode()
    return json.loads(unescape(html.split('data-figure="')[1].split('"')[0]))


def bubbles(figure):
    """The traces of project bubbles (each bubble carries its project's URL)."""
    return [trace for trace in figure["data"] if trace.get("customdata")]


def ranked_titles(response):
    return [row.project.title for row in response.context["ranked"]]


def test_ranking_lists_projects_in_the_order_the_engine_ranks_them(client, manager, team):
    rated_project(team, manager, "Churn model", impact=3, feasibility=4)
    rated_project(team, manager, "Defect detector", impact=5, feasibility=5)
    rated_project(team, manager, "Label assistant", impact=4, feasibility=2)
    client.force_login(manager)

    response = client.get(URL)

    scored = selectors.score_projects(Project.objects.all(), selectors.default_profile())
    assert ranked_titles(response) == [project.title for project, _ in scored.rows()]
    assert ranked_titles(response) == ["Defect detector", "Churn model", "Label assistant"]
    content = response.content.decode()
    assert content.index("Defect detector") < content.index("Churn model")
    assert content.index("Churn model") < content.index("Label assistant")


def test_row_shows_scores_quadrant_team_and_links_to_the_project(client, manager, project):
    rate(project, manager, business_value=4, data_availability=3)  # impact 75, feasibility 50
    client.force_login(manager)

    response = client.get(URL)

    content = response.content.decode()
    assert f'href="{project.get_absolute_url()}"' in content
    assert "Vision" in content
    assert str(project.get_archetype_display()) in content
    assert str(project.get_stage_display()).replace("&", "&amp;") in content
    assert "75.0" in content
    assert "50.0" in content
    assert "61.2" in content  # priority √(75 · 50), one decimal
    assert 'class="badge quadrant-do_first"' in content


def test_quadrant_counts_are_shown_at_the_top(client, manager, team):
    rated_project(team, manager, "A", impact=5, feasibility=5)
    rated_project(team, manager, "B", impact=4, feasibility=4)
    rated_project(team, manager, "C", impact=1, feasibility=5)
    client.force_login(manager)

    response = client.get(URL)

    counts = {value: count for value, _, count in response.context["counts"]["quadrant"]}
    assert counts == {"do_first": 2, "big_bet": 0, "fill_in": 1, "deprioritize": 0}


def test_switching_profile_changes_thresholds_and_quadrants(client, manager, team):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4)  # 75 and 75
    ScoringProfile.objects.create(name="Ambitious", impact_threshold=90)
    client.force_login(manager)

    default = client.get(URL)
    ambitious = client.get(URL, {"profile": "Ambitious"})

    assert default.context["ranked"][0].score.quadrant == "do_first"
    assert ambitious.context["ranked"][0].score.quadrant == "fill_in"
    assert "impact counts as high from 90" in ambitious.content.decode()
    assert '<option value="Ambitious" selected>' in ambitious.content.decode()


def test_unknown_profile_falls_back_to_the_default_one(client, manager):
    client.force_login(manager)

    response = client.get(URL, {"profile": "No such profile"})

    assert response.status_code == 200
    assert response.context["profile"] == selectors.default_profile()


def test_outsider_does_not_see_another_teams_projects(client, outsider, other_team, project):
    rate(project, UserFactory(), business_value=5, data_availability=5)
    rated_project(other_team, outsider, "Query rewriter", impact=3, feasibility=3)
    client.force_login(outsider)

    response = client.get(URL)

    assert ranked_titles(response) == ["Query rewriter"]
    assert response.context["ranked"][0].score.rank == 1
    assert "Defect detector" not in response.content.decode()


def test_member_sees_the_teams_projects(client, member, project):
    rate(project, member, business_value=5, data_availability=5)
    client.force_login(member)

    response = client.get(URL)

    assert ranked_titles(response) == ["Defect detector"]


def test_unscored_projects_are_listed_under_needs_ratings_with_what_is_missing(
    client, manager, team
):
    rated_project(team, manager, "Ranked", impact=4, feasibility=4)
    half = ProjectFactory(team=team, title="Half rated")
    rate(half, manager, business_value=4)
    ProjectFactory(team=team, title="Unrated")
    client.force_login(manager)

    response = client.get(URL)

    assert ranked_titles(response) == ["Ranked"]
    missing = {row.project.title: row.missing for row in response.context["needs_ratings"]}
    assert missing == {"Half rated": ["Feasibility"], "Unrated": ["Impact", "Feasibility"]}
    content = response.content.decode()
    assert content.index("Needs ratings") < content.index("Half rated")
    assert "Impact, Feasibility" in content


def test_high_rater_disagreement_is_tagged_for_discussion(client, manager, member, team):
    contested = ProjectFactory(team=team, title="Contested")
    rate(contested, manager, business_value=1, data_availability=4)
    rate(contested, member, business_value=5, data_availability=4)  # impact spread 50
    calm = rated_project(team, manager, "Calm", impact=4, feasibility=4)
    rate(calm, member, business_value=4, data_availability=4)
    client.force_login(manager)

    response = client.get(URL)

    rows = {row.project.title: row for row in response.context["ranked"]}
    assert rows["Contested"].discuss
    assert not rows["Calm"].discuss
    content = response.content.decode()
    assert content.count(">discuss</span>") == 1
    assert "±50 / ±0" in content


def test_rank_stability_shows_the_rank_interval_and_top_k_share(client, manager, team):
    rated_project(team, manager, "Clear winner", impact=5, feasibility=5)
    rated_project(team, manager, "Runner-up", impact=2, feasibility=2)
    client.force_login(manager)

    response = client.get(URL)

    winner = response.context["ranked"][0]
    assert (winner.stability.best_rank, winner.stability.worst_rank) == (1, 1)
    assert winner.stability.top_k_share == 1.0
    assert "share in top 5" in response.content.decode()
    assert "100%" in response.content.decode()


def test_htmx_profile_switch_returns_only_the_table_and_varies_on_hx_request(client, manager, team):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4)
    ScoringProfile.objects.create(name="Ambitious", impact_threshold=90)
    client.force_login(manager)

    response = client.get(URL, {"profile": "Ambitious"}, **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="dashboard-results"')
    assert "Fill-in" in content
    assert "HX-Request" in response["Vary"]
    assert "HX-Request" in client.get(URL)["Vary"]


def test_profile_select_works_without_javascript(client, manager):
    ScoringProfile.objects.create(name="Ambitious", impact_threshold=90)
    client.force_login(manager)

    content = client.get(URL).content.decode()

    assert f'method="get" action="{URL}"' in content
    assert 'hx-push-url="true"' in content
    assert '<button type="submit">Apply</button>' in content


def test_only_managers_see_the_snapshot_form(client, manager, member):
    client.force_login(member)
    assert reverse("snapshot_create") not in client.get(URL).content.decode()

    client.force_login(manager)
    assert reverse("snapshot_create") in client.get(URL).content.decode()


def test_matrix_draws_one_bubble_per_ranked_project_with_escaped_titles(
    client, manager, team, lead
):
    rated_project(team, lead, "<img src=x onerror=alert(1)>", 5, 5)
    rated_project(team, lead, "Second", 2, 4)
    ProjectFactory(team=team, title="Unrated")
    client.force_login(manager)

    html = client.get(reverse("dashboard")).content.decode()

    figure = json.loads(unescape(html.split('data-figure="')[1].split('"')[0]))
    points = [point for trace in figure["data"] if trace.get("customdata") for point in trace["x"]]
    assert len(points) == 2
    assert "<img src=x" not in json.dumps(figure)
    assert "&lt;img src=x" in json.dumps(figure)


# --- Filters, counts and view choices ----------------------------------------------------


def test_filters_narrow_counts_matrix_and_table_but_ranks_stay_portfolio_wide(
    client, manager, team, other_team
):
    rated_project(other_team, manager, "Search ranker", impact=5, feasibility=5)
    rated_project(team, manager, "Defect detector", impact=4, feasibility=4)
    rated_project(team, manager, "Label assistant", impact=2, feasibility=2)
    client.force_login(manager)

    response = client.get(URL, {"team": team.pk})

    assert ranked_titles(response) == ["Defect detector", "Label assistant"]
    assert [row.score.rank for row in response.context["ranked"]] == [2, 3]
    assert response.context["counts"]["team"] == [(team.pk, "Vision", 2)]
    hover = [text for trace in bubbles(figure_of(response)) for text in trace["hovertext"]]
    assert len(hover) == 2
    assert not any("Search ranker" in text for text in hover)


def test_quadrant_filter_keeps_only_that_quadrants_projects(client, manager, team):
    rated_project(team, manager, "Winner", impact=5, feasibility=5)
    rated_project(team, manager, "Bet", impact=5, feasibility=1)
    ProjectFactory(team=team, title="Unrated")
    client.force_login(manager)

    response = client.get(URL, {"quadrant": "big_bet"})

    assert ranked_titles(response) == ["Bet"]
    assert response.context["needs_ratings"] == []
    counts = {value: count for value, _, count in response.context["counts"]["quadrant"]}
    assert counts == {"do_first": 0, "big_bet": 1, "fill_in": 0, "deprioritize": 0}


def test_counts_per_team_and_stage_link_to_their_filtered_view(client, manager, team, other_team):
    rated_project(team, manager, "A", impact=5, feasibility=5)
    ProjectFactory(team=other_team, title="B", stage="training")
    client.force_login(manager)

    response = client.get(URL, {"archetype": ""})

    counts = response.context["counts"]
    assert counts["team"] == [(other_team.pk, "Search", 1), (team.pk, "Vision", 1)]
    assert ("training", "Training & debugging", 1) in counts["stage"]
    content = response.content.decode()
    assert f'href="{URL}?archetype=&amp;team={other_team.pk}"' in content


def test_values_that_do_not_validate_are_dropped_not_an_error(client, manager, team):
    rated_project(team, manager, "A", impact=5, feasibility=5)
    client.force_login(manager)

    response = client.get(
        URL, {"team": "nope", "quadrant": "sideways", "size": "huge", "snapshot": "0", "page": "x"}
    )

    assert response.status_code == 200
    assert ranked_titles(response) == ["A"]


def test_needs_ratings_lists_unscored_projects_beside_the_matrix(client, manager, team):
    rated_project(team, manager, "Ranked", impact=5, feasibility=5)
    half = ProjectFactory(team=team, title="Half rated")
    rate(half, manager, business_value=4)
    client.force_login(manager)

    response = client.get(URL)

    (row,) = response.context["needs_ratings"]
    assert row.project == half
    assert row.missing == ["Feasibility"]
    assert "missing Feasibility" in response.content.decode()


def test_size_colour_and_error_bar_selectors_shape_the_matrix(client, manager, team, other_team):
    rated_project(team, manager, "A", impact=5, feasibility=5)
    rated_project(other_team, manager, "B", impact=3, feasibility=4)
    client.force_login(manager)

    figure = figure_of(client.get(URL, {"colour": "team", "spread": "hidden", "size": "value"}))

    assert [trace["name"] for trace in bubbles(figure)] == ["Search", "Vision"]
    assert figure["layout"]["legend"]["title"]["text"] == "Team"
    assert all("error_x" not in trace for trace in bubbles(figure))


def test_lead_sees_only_their_teams_projects(client, lead, manager, team, other_team):
    rated_project(team, manager, "Ours", impact=5, feasibility=5)
    rated_project(other_team, manager, "Theirs", impact=5, feasibility=5)
    client.force_login(lead)

    response = client.get(URL)

    assert ranked_titles(response) == ["Ours"]
    assert "Theirs" not in response.content.decode()


def test_table_is_paged_and_the_matrix_still_shows_every_ranked_project(client, manager, team):
    for n in range(60):
        rated_project(team, manager, f"P{n:02}", impact=1 + n % 5, feasibility=1 + n // 5 % 5)
    client.force_login(manager)

    response = client.get(URL, {"page": 2})

    page = response.context["page"]
    assert page.number == 2
    assert [row.score.rank for row in page.object_list] == list(range(51, 61))
    assert sum(len(trace["x"]) for trace in bubbles(figure_of(response))) == 60


def test_old_ranking_links_redirect_to_the_dashboard_keeping_the_view(client, manager):
    client.force_login(manager)

    response = client.get("/ranking/?profile=Default")

    assert response.status_code == 301 or response.status_code == 302
    assert response["Location"] == f"{URL}?profile=Default"


# --- Comparing with a snapshot -----------------------------------------------------------


def test_snapshot_shows_rank_movement_and_arrows_from_old_positions(client, manager, team):
    climber = rated_project(team, manager, "Climber", impact=2, feasibility=2)
    rated_project(team, manager, "Steady", impact=4, feasibility=4)
    snapshot = services.take_snapshot(name="Q1", profile=selectors.default_profile(), user=manager)
    Rating.objects.filter(project=climber).update(score=5)
    newcomer = rated_project(team, manager, "Newcomer", impact=1, feasibility=1)
    client.force_login(manager)

    response = client.get(URL, {"snapshot": snapshot.pk})

    rows = {row.project.title: row for row in response.context["ranked"]}
    assert rows["Climber"].movement == 1
    assert rows["Steady"].movement == -1
    assert rows["Newcomer"].before is None
    assert rows["Climber"].quadrant_changed
    content = response.content.decode()
    assert "▲ 1" in content and "▼ 1" in content and ">new</span>" in content
    traces = figure_of(response)["data"]
    (arrows,) = [trace for trace in traces if trace.get("mode") == "lines+markers"]
    assert arrows["name"] == "Since “Q1”"
    assert arrows["x"] == [25.0, 100.0, None]  # only the climber moved: from 25 to 100
    assert newcomer.pk not in {row.project.pk for row in response.context["needs_ratings"]}


# --- Queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("projects", [10, 200])
def test_dashboard_queries_do_not_grow_with_the_portfolio(
    client, manager, member, team, other_team, projects, django_assert_max_num_queries
):
    for n in range(projects):
        project = rated_project(
            team if n % 2 else other_team, manager, f"P{n}", 1 + n % 5, 1 + n // 5 % 5
        )
        rate(project, member, business_value=3, data_availability=3, prior_work=4)
    ProjectFactory(team=team, title="Unrated")
    snapshot = services.take_snapshot(name="Q1", profile=selectors.default_profile(), user=manager)
    client.force_login(manager)

    with django_assert_max_num_queries(16):
        response = client.get(URL)
    with django_assert_max_num_queries(17):
        filtered = client.get(URL, {"team": team.pk, "q": "P", "snapshot": snapshot.pk}, **HTMX)

    assert len(response.context["ranked"]) == projects
    assert len(filtered.context["ranked"]) == projects // 2
