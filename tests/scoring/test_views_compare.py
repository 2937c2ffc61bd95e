"""Compare side by side: two to six projects in columns, with a radar chart and the matrix."""

import json
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Answer
from scoring.models import Criterion, ScoringProfile
from tests.factories import BaselineFactory, MetricFactory, ProjectFactory, UserFactory, rate

pytestmark = pytest.mark.django_db

URL = reverse("compare")
HTMX = {"HTTP_HX_REQUEST": "true"}


def rate_everything(project, rater, score):
    rate(project, rater, **dict.fromkeys(Criterion.objects.values_list("key", flat=True), score))


def compare_url(*projects, **params):
    query = "&".join(f"projects={project.key}" for project in projects)
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    return f"{URL}?{query}{extra}"


def figure(response, name):
    """The figure the page hands to plotly.js in `data-figure` of the `.chart.<name>`."""
    content = response.content.decode()
    start = content.index(f'class="chart {name}"')
    attribute = content.index('data-figure="', start) + len('data-figure="')
    return json.loads(unescape(content[attribute : content.index('"', attribute)]))


def test_manager_compares_projects_of_any_team(client, manager, team, other_team, lead):
    vision = ProjectFactory(team=team, title="Defect detector")
    search = ProjectFactory(team=other_team, title="Query rewriter")
    rate(vision, lead, business_value=5, data_availability=4)
    rate(search, manager, business_value=2, data_availability=5)
    client.force_login(manager)

    response = client.get(compare_url(vision, search))

    assert response.status_code == 200
    assert [column.project for column in response.context["columns"]] == [vision, search]
    content = response.content.decode()
    assert f'href="{vision.get_absolute_url()}"' in content
    assert f'href="{search.get_absolute_url()}"' in content
    radar = figure(response, "radar")
    assert [trace["name"] for trace in radar["data"]] == ["Defect detector", "Query rewriter"]
    assert all(trace["type"] == "scatterpolar" for trace in radar["data"])
    assert radar["layout"]["polar"]["radialaxis"]["range"] == [0, 100]
    matrix = figure(response, "matrix")
    assert sum(len(trace["x"]) for trace in matrix["data"]) == 2


def test_lead_compares_the_projects_of_their_team(client, lead, team):
    first, second = ProjectFactory(team=team), ProjectFactory(team=team)
    client.force_login(lead)

    response = client.get(compare_url(first, second))

    assert response.status_code == 200
    assert len(response.context["columns"]) == 2


def test_columns_follow_the_order_of_the_link(client, manager, team):
    first, second, third = (ProjectFactory(team=team) for _ in range(3))
    client.force_login(manager)

    response = client.get(compare_url(third, first, second))

    assert [column.project for column in response.context["columns"]] == [third, first, second]


def test_ranks_are_those_of_the_whole_portfolio(client, manager, team):
    best = ProjectFactory(team=team, title="Best")
    middle = ProjectFactory(team=team, title="Middle")
    worst = ProjectFactory(team=team, title="Worst")
    rate(best, manager, business_value=5, data_availability=5)
    rate(middle, manager, business_value=4, data_availability=4)
    rate(worst, manager, business_value=2, data_availability=2)
    client.force_login(manager)

    response = client.get(compare_url(worst, middle))

    assert [column.score.rank for column in response.context["columns"]] == [3, 2]


def test_radar_shows_criterion_values_and_gaps_for_unrated_criteria(client, manager, team):
    first, second = ProjectFactory(team=team), ProjectFactory(team=team)
    rate(first, manager, business_value=5, data_availability=3)
    client.force_login(manager)

    response = client.get(compare_url(first, second))

    trace = figure(response, "radar")["data"][0]
    names = [criterion.name for criterion in Criterion.objects.all()]
    assert trace["theta"] == [*names, names[0]]  # the first point again closes the shape
    values = dict(zip(trace["theta"], trace["r"], strict=False))
    assert values["Business value"] == 100
    assert values["Data availability"] == 50
    assert values["Automation"] is None


def test_outsider_gets_404_for_another_teams_project(client, outsider, other_team, project):
    own = ProjectFactory(team=other_team)
    client.force_login(outsider)

    response = client.get(compare_url(own, project))

    assert response.status_code == 404


def test_unknown_key_is_a_404(client, manager, project):
    client.force_login(manager)

    response = client.get(f"{URL}?projects={project.key}&projects=no-such-project")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 7])
def test_too_few_or_too_many_projects_show_the_picker_with_an_error(client, manager, team, count):
    projects = [ProjectFactory(team=team) for _ in range(count)]
    client.force_login(manager)

    response = client.get(compare_url(*projects))

    assert response.status_code == 200
    assert "columns" not in response.context
    content = response.content.decode()
    assert f"Choose from 2 to 6 projects to compare; {count} chosen." in content
    assert 'class="field-errors"' in content
    assert 'type="checkbox" name="projects"' in content
    assert 'data-figure="' not in content


def test_without_a_selection_the_picker_lists_only_visible_projects(client, lead, team, other_team):
    mine = ProjectFactory(team=team, title="Mine")
    ProjectFactory(team=other_team, title="Theirs")
    client.force_login(lead)

    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "field-errors" not in content
    assert f'value="{mine.key}"' in content
    assert "Theirs" not in content


def test_the_same_key_twice_counts_once(client, manager, team):
    first, second = ProjectFactory(team=team), ProjectFactory(team=team)
    client.force_login(manager)

    response = client.get(compare_url(first, first, second))

    assert [column.project for column in response.context["columns"]] == [first, second]


def test_profile_switch_rescores_and_htmx_gets_the_comparison_only(client, manager, team):
    first, second = ProjectFactory(team=team), ProjectFactory(team=team)
    rate(first, manager, business_value=5, data_availability=2)  # impact 100, feasibility 25
    rate(second, manager, business_value=3, data_availability=3)
    ScoringProfile.objects.create(name="Lenient", feasibility_threshold=20)
    client.force_login(manager)

    default = client.get(compare_url(first, second))
    lenient = client.get(compare_url(first, second, profile="Lenient"), **HTMX)

    assert default.context["columns"][0].score.quadrant == "big_bet"
    content = lenient.content.decode()
    assert "quadrant-big_bet" not in content  # feasibility 25 is high under "Lenient"
    assert "quadrant-do_first" in content
    assert content.lstrip().startswith('<div id="comparison"')
    assert "<html" not in content
    assert "HX-Request" in lenient["Vary"]


def test_unknown_profile_is_a_404(client, manager, team):
    first, second = ProjectFactory(team=team), ProjectFactory(team=team)
    client.force_login(manager)

    assert client.get(compare_url(first, second, profile="Nope")).status_code == 404


def test_table_shows_metrics_baselines_and_key_question_answers(client, manager, team):
    first = ProjectFactory(team=team, archetype="automate")
    second = ProjectFactory(team=team, archetype="improve")
    metric = MetricFactory(project=first, name="Latency", threshold=100, current=120, unit="ms")
    MetricFactory(
        project=second, name="Recall", role="optimizing", direction="ge", threshold=0.9, current=1
    )
    BaselineFactory(project=first, metric=metric, value=250)
    Answer.objects.create(
        project=first, question="automate_failure_rate", value="yes", note="One in a thousand"
    )
    client.force_login(manager)

    response = client.get(compare_url(first, second))

    content = response.content.decode()
    assert "Latency" in content
    assert "≤ 100 ms" in content
    assert "Not met" in content
    assert "Recall" in content
    assert "Optimizing" in content
    assert '<span aria-hidden="true">✓</span> Met' in content
    assert "Human: domain experts: <strong>250 ms</strong>" in content
    assert "What failure rate is acceptable?" in content
    assert "One in a thousand" in content
    assert "Does the model truly improve performance?" in content
    assert "Not answered" in content


def test_ratings_are_shown_per_rater(client, manager, team, lead, member):
    first, second = ProjectFactory(team=team), ProjectFactory(team=team)
    rate(first, lead, business_value=4)
    rate(first, member, business_value=2)
    client.force_login(manager)

    response = client.get(compare_url(first, second))

    row = response.context["criterion_rows"][0]
    assert row.criterion.key == "business_value"
    value, ratings = row.cells[0]
    assert value == 50  # the mean of 75 and 25
    assert sorted(rating.rater.username for rating in ratings) == ["lena", "max"]


def test_blind_rating_shows_only_own_ratings_until_everything_is_rated(client, team, lead, member):
    blind = ProjectFactory(team=team, blind_rating=True, title="Blind")
    open_project = ProjectFactory(team=team, title="Open")
    rate(blind, lead, business_value=5)
    rate(blind, member, business_value=1)
    rate(open_project, lead, business_value=4)
    client.force_login(member)

    response = client.get(compare_url(blind, open_project))

    blind_column, open_column = response.context["columns"]
    assert not blind_column.sees_others
    assert open_column.sees_others
    row = response.context["criterion_rows"][0]
    blind_value, blind_ratings = row.cells[0]
    assert blind_value is None
    assert [rating.rater for rating in blind_ratings] == [member]
    assert [rating.rater for rating in row.cells[1][1]] == [lead]
    content = response.content.decode()
    assert "this project is rated blind" in content
    assert [trace["name"] for trace in figure(response, "radar")["data"]] == ["Open"]
    assert "Rated blind, so not drawn until you have rated every criterion:" in content


def test_blind_rating_shows_everything_once_the_user_has_rated_every_criterion(
    client, team, lead, member
):
    blind = ProjectFactory(team=team, blind_rating=True)
    other = ProjectFactory(team=team)
    rate(blind, lead, business_value=5)
    rate_everything(blind, member, 3)
    client.force_login(member)

    response = client.get(compare_url(blind, other))

    assert response.context["columns"][0].sees_others
    _value, ratings = response.context["criterion_rows"][0].cells[0]
    assert sorted(rating.rater.username for rating in ratings) == ["lena", "max"]


def test_titles_are_escaped_in_the_figures_and_the_page(client, manager, team):
    attack = "<img src=x onerror=alert(1)>"
    first = ProjectFactory(team=team, title=attack)
    second = ProjectFactory(team=team)
    rate(first, manager, business_value=5, data_availability=5)
    rate(second, manager, business_value=3, data_availability=3)
    client.force_login(manager)

    response = client.get(compare_url(first, second))

    content = response.content.decode()
    assert attack not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert figure(response, "radar")["data"][0]["name"] == "&lt;img src=x onerror=alert(1)&gt;"
    labels = [text for trace in figure(response, "matrix")["data"] for text in trace["text"]]
    assert "&lt;img src=x onerror=alert(1)&gt;" in labels


def test_anonymous_user_is_sent_to_log_in(client, project):
    response = client.get(compare_url(project, project))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_query_count_does_not_grow_with_the_selection_or_the_portfolio(
    client, manager, team, lead, member, django_assert_max_num_queries
):
    projects = []
    for number in range(8):
        project = ProjectFactory(team=team, archetype="augment")
        metric = MetricFactory(project=project)
        BaselineFactory(project=project, metric=metric)
        Answer.objects.create(project=project, question="augment_good_enough", value="yes")
        rate(project, lead, business_value=number % 5 + 1, data_availability=3)
        rate(project, member, business_value=2, data_availability=4)
        rate(project, UserFactory(), accuracy_requirement=2)
        projects.append(project)
    client.force_login(manager)

    with CaptureQueriesContext(connection) as two:
        assert client.get(compare_url(*projects[:2])).status_code == 200
    ProjectFactory.create_batch(8, team=team)  # a larger portfolio too

    with django_assert_max_num_queries(len(two.captured_queries)):
        assert client.get(compare_url(*projects[:6])).status_code == 200
