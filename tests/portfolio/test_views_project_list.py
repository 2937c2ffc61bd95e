"""The portfolio list: who sees which projects, filters, search, sort, pages and htmx."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Project
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("project_list")


def titles(response):
    return [project.title for project in response.context["page"].object_list]


def table_body(response):
    return re.search(r"<tbody>.*</tbody>", response.content.decode(), re.DOTALL).group()


@pytest.fixture
def search_project(other_team, outsider):
    return ProjectFactory(key="query-ranker", title="Query ranker", team=other_team, owner=outsider)


# --- Who sees what -------------------------------------------------------------------


def test_anonymous_user_is_redirected_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_is_the_portfolio(client, member):
    client.force_login(member)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == URL


def test_portfolio_is_the_current_navigation_entry_after_the_dashboard(client, member):
    client.force_login(member)

    response = client.get(URL)

    dashboard, portfolio = response.context["navigation"][:2]
    assert dashboard["url"] == reverse("dashboard")
    assert (portfolio["url"], portfolio["current"], dashboard["current"]) == (URL, True, False)


def test_member_sees_own_teams_projects_but_not_other_teams(
    client, member, project, search_project
):
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == ["Defect detector"]
    assert "Query ranker" not in response.content.decode()


def test_outsider_does_not_see_visions_projects(client, outsider, project, search_project):
    client.force_login(outsider)

    response = client.get(URL)

    assert titles(response) == ["Query ranker"]
    assert "Defect detector" not in response.content.decode()


def test_manager_sees_every_teams_projects(client, manager, project, search_project):
    client.force_login(manager)

    response = client.get(URL)

    assert titles(response) == ["Defect detector", "Query ranker"]


def test_row_shows_the_projects_fields(client, member, project):
    client.force_login(member)

    body = table_body(client.get(URL))

    assert "Vision" in body
    assert "Automate a manual process" in body
    assert "Planning &amp; project setup" in body
    assert "Proposed" in body
    assert '<td class="number">12</td>' in body
    assert '<td class="number">50</td>' in body
    assert "defect-detector" in body


def test_title_links_to_the_project_page(client, member, project):
    client.force_login(member)

    response = client.get(URL)

    link = f'<a href="{project.get_absolute_url()}">Defect detector</a>'
    assert link in response.content.decode()


def test_user_text_is_escaped(client, lead, team):
    ProjectFactory(team=team, title="<img src=x onerror=alert(1)>", summary="<b>bold</b>")
    client.force_login(lead)

    content = client.get(URL).content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "<img src=x" not in content


# --- Proposing -------------------------------------------------------------------------


def test_lead_sees_the_new_proposal_button(client, lead):
    client.force_login(lead)

    content = client.get(URL).content.decode()

    assert "New proposal" in content
    assert f'href="{reverse("project_create")}"' in content


def test_member_does_not_see_the_new_proposal_button(client, member, project):
    client.force_login(member)

    assert "New proposal" not in client.get(URL).content.decode()


# --- Empty states ----------------------------------------------------------------------


def test_user_in_no_team_is_told_how_to_join_one(client, project):
    client.force_login(UserFactory(username="nina"))

    response = client.get(URL)

    assert response.status_code == 200
    assert "You are not on a team yet" in response.content.decode()
    assert 'id="project-filters"' not in response.content.decode()


def test_manager_without_any_team_is_told_where_teams_are_set_up(client, manager):
    client.force_login(manager)

    assert "There are no teams yet" in client.get(URL).content.decode()


def test_team_without_projects_says_so(client, member):
    client.force_login(member)

    assert "Your teams have no projects yet." in client.get(URL).content.decode()


def test_no_match_offers_to_clear_the_filters(client, member, project):
    client.force_login(member)

    content = client.get(URL, {"q": "no such thing"}).content.decode()

    assert "No projects match these filters." in content
    assert f'<a href="{URL}">Clear filters</a>' in content


# --- Filters and search ----------------------------------------------------------------


def test_team_filter_offers_only_the_teams_the_user_sees(client, member, team, other_team):
    client.force_login(member)

    response = client.get(URL)

    assert list(response.context["form"].fields["team"].queryset) == [team]


def test_team_filter_shows_only_that_teams_projects(
    client, manager, project, search_project, other_team
):
    client.force_login(manager)

    response = client.get(URL, {"team": other_team.pk})

    assert titles(response) == ["Query ranker"]
    assert f'<option value="{other_team.pk}" selected>Search</option>' in response.content.decode()


def test_team_filter_with_a_team_the_user_cannot_see_is_reset(
    client, member, project, search_project, other_team
):
    client.force_login(member)

    response = client.get(URL, {"team": other_team.pk})

    assert response.status_code == 200
    assert titles(response) == ["Defect detector"]
    assert "Query ranker" not in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("archetype", Project.Archetype.AUGMENT),
        ("stage", Project.Stage.TRAINING),
        ("status", Project.Status.ACTIVE),
    ],
)
def test_choice_filter_shows_only_matching_projects(client, member, team, project, field, value):
    ProjectFactory(team=team, title="Matching", **{field: value})
    client.force_login(member)

    response = client.get(URL, {field: value})

    assert titles(response) == ["Matching"]
    assert f'<option value="{value}" selected>' in response.content.decode()


@pytest.mark.parametrize("query", ["DEFECT", "detector-", "assembly LINE"])
def test_search_matches_title_key_or_summary_ignoring_case(client, member, team, project, query):
    ProjectFactory(team=team, title="Churn model", key="churn", summary="Who cancels?")
    client.force_login(member)

    response = client.get(URL, {"q": query.replace("detector-", "defect-det")})

    assert titles(response) == ["Defect detector"]


def test_filters_combine(client, member, team, project):
    ProjectFactory(team=team, title="Defect counter", status=Project.Status.ACTIVE)
    client.force_login(member)

    response = client.get(URL, {"q": "defect", "status": Project.Status.ACTIVE})

    assert titles(response) == ["Defect counter"]


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"team": "99999999999999999999999"},
        {"team": "-1"},
        {"archetype": "nope"},
        {"stage": "Planning"},
        {"status": "<script>"},
        {"sort": "password"},
        {"sort": "-team__name"},
        {"sort": "--title"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "9999"},
        {"q": "null\x00byte"},
        {"q": "x" * 5000},
    ],
)
def test_invalid_parameters_are_ignored(client, manager, project, params):
    client.force_login(manager)

    response = client.get(URL, params)

    assert response.status_code == 200
    assert titles(response) == ["Defect detector"]


def test_invalid_filter_is_shown_reset_while_valid_ones_stay(client, member, project):
    client.force_login(member)

    response = client.get(URL, {"archetype": "nope", "stage": "planning", "q": "defect"})

    content = response.content.decode()
    assert '<option value="" selected>All</option>' in content  # the archetype
    assert '<option value="planning" selected>' in content
    assert 'value="defect"' in content
    assert "nope" not in content


# --- Sorting ---------------------------------------------------------------------------


@pytest.fixture
def three_projects(team):
    ProjectFactory(team=team, title="Bravo", effort_weeks=8, stage=Project.Stage.DEPLOYMENT)
    ProjectFactory(team=team, title="alpha", effort_weeks=20, stage=Project.Stage.DATA)
    ProjectFactory(team=team, title="Charlie", effort_weeks=None, stage=Project.Stage.PLANNING)


def test_projects_are_sorted_by_title_ignoring_case_by_default(client, member, three_projects):
    client.force_login(member)

    response = client.get(URL)

    assert titles(response) == ["alpha", "Bravo", "Charlie"]
    assert '<th scope="col" aria-sort="ascending">' in response.content.decode()


def test_sort_descending(client, member, three_projects):
    client.force_login(member)

    assert titles(client.get(URL, {"sort": "-title"})) == ["Charlie", "Bravo", "alpha"]


def test_projects_without_effort_come_last_either_way(client, member, three_projects):
    client.force_login(member)

    assert titles(client.get(URL, {"sort": "effort"})) == ["Bravo", "alpha", "Charlie"]
    assert titles(client.get(URL, {"sort": "-effort"})) == ["alpha", "Bravo", "Charlie"]


def test_stages_sort_in_lifecycle_order(client, member, three_projects):
    client.force_login(member)

    assert titles(client.get(URL, {"sort": "stage"})) == ["Charlie", "alpha", "Bravo"]


def test_sorted_header_says_so_and_links_to_the_other_direction(client, member, three_projects):
    client.force_login(member)

    content = client.get(URL, {"sort": "effort", "status": "proposed"}).content.decode()

    assert '<th scope="col" class="number" aria-sort="ascending">' in content
    assert f'href="{URL}?status=proposed&amp;sort=-effort"' in content
    assert f'href="{URL}?status=proposed&amp;sort=title"' in content


def test_same_values_keep_a_stable_order(client, member, team):
    for number in range(4):
        ProjectFactory(team=team, title="Same", key=f"same-{number}")
    client.force_login(member)

    response = client.get(URL, {"sort": "-title"})

    keys = [project.key for project in response.context["page"].object_list]
    assert keys == ["same-0", "same-1", "same-2", "same-3"]


# --- Pages -----------------------------------------------------------------------------


def test_pages_of_25_whose_links_keep_filters_and_sort(client, member, team, project):
    ProjectFactory.create_batch(30, team=team, archetype=Project.Archetype.AUGMENT)
    client.force_login(member)

    first = client.get(URL, {"archetype": "augment", "sort": "-title"})

    assert len(titles(first)) == 25
    content = first.content.decode()
    assert '<nav class="pagination" aria-label="Pages of projects">' in content
    next_page = f"{URL}?archetype=augment&amp;sort=-title&amp;page=2"
    assert f'href="{next_page}" hx-get="{next_page}" rel="next"' in content

    second = client.get(URL, {"archetype": "augment", "sort": "-title", "page": 2})

    assert len(titles(second)) == 5
    assert "Defect detector" not in titles(second)
    assert set(titles(first)).isdisjoint(titles(second))


def test_a_single_page_has_no_pagination(client, member, project):
    client.force_login(member)

    assert 'class="pagination"' not in client.get(URL).content.decode()


# --- htmx ------------------------------------------------------------------------------


def test_htmx_request_gets_only_the_results(client, member, project):
    client.force_login(member)

    response = client.get(URL, {"q": "defect"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert "<html" not in content
    assert 'id="project-filters"' not in content
    assert content.strip().startswith('<div id="project-results"')
    assert "Defect detector" in content


def test_full_page_has_the_same_rows_as_the_htmx_results(client, member, team, project):
    ProjectFactory.create_batch(3, team=team)
    client.force_login(member)
    params = {"sort": "-effort", "q": "e"}

    partial = client.get(URL, params, headers={"HX-Request": "true"})
    page = client.get(URL, params)

    assert "HX-Request" in page["Vary"]
    assert "<html" in page.content.decode()
    assert table_body(page) == table_body(partial)


def test_filter_form_works_with_and_without_javascript(client, member, project):
    client.force_login(member)

    content = client.get(URL).content.decode()

    assert f'method="get" action="{URL}"' in content
    assert f'hx-get="{URL}" hx-target="#project-results"' in content
    assert 'hx-push-url="true"' in content
    assert '<button type="submit">Apply filters</button>' in content
    # The current sort travels with the filter form, though it sits in the results.
    assert '<input type="hidden" name="sort" value="title" form="project-filters">' in content


def test_every_filter_has_a_label(client, member, project):
    client.force_login(member)

    content = client.get(URL).content.decode()

    for name in ["team", "archetype", "stage", "status", "q"]:
        assert f'<label for="id_{name}">' in content
        assert f'id="id_{name}"' in content


# --- Queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_projects(
    client, lead, team, django_assert_max_num_queries, count
):
    for _ in range(count):
        owner = MembershipFactory(team=team).user
        ProjectFactory(team=team, owner=owner)
    client.force_login(lead)

    with django_assert_max_num_queries(9):
        response = client.get(URL, {"sort": "owner", "stage": "planning"})

    assert len(titles(response)) == min(count, 25)
