"""Snapshots: managers freeze the ranking; everyone compares it with later rankings."""

import pytest
from django.urls import reverse

from portfolio import services as portfolio_services
from portfolio.models import Project, Rating
from scoring import selectors, services
from scoring.models import Criterion, ScoringProfile, Snapshot
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("snapshot_create")
LIST_URL = reverse("snapshot_list")
COMPARE_URL = reverse("snapshot_compare")


def rate(project, rater, **scores):
    """`rater` scores `project` on the criteria named, e.g. business_value=5."""
    criteria = {criterion.key: criterion for criterion in Criterion.objects.all()}
    Rating.objects.bulk_create(
        Rating(project=project, rater=rater, criterion=criteria[key], score=score)
        for key, score in scores.items()
    )


def rated_project(team, rater, title, impact, feasibility, key=None):
    """A project whose impact and feasibility are (score - 1) * 25: one criterion each."""
    project = ProjectFactory(team=team, title=title, **({"key": key} if key else {}))
    rate(project, rater, business_value=impact, data_availability=feasibility)
    return project


def rerate(project, rater, **scores):
    for key, score in scores.items():
        portfolio_services.rate_project(
            project=project, rater=rater, criterion=Criterion.objects.get(key=key), score=score
        )


def snapshot(manager, name="2027 Q1 planning", profile=None):
    profile = profile or selectors.default_profile()
    return services.take_snapshot(name=name, profile=profile, user=manager)


def movements(response):
    return {row.movement.key: row.movement for row in response.context["rows"]}


def test_manager_takes_a_snapshot_of_every_project_with_the_engines_numbers(
    client, manager, team, other_team
):
    rated_project(team, manager, "Churn model", impact=4, feasibility=3)
    rated_project(other_team, manager, "Query rewriter", impact=5, feasibility=5)
    ProjectFactory(team=team, title="Unrated")
    client.force_login(manager)

    response = client.post(CREATE_URL, {"name": "2027 Q1 planning", "profile": "Default"})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    taken = Snapshot.objects.get()
    assert (taken.name, taken.profile_name, taken.created_by) == (
        "2027 Q1 planning",
        "Default",
        manager,
    )
    assert (taken.impact_threshold, taken.feasibility_threshold) == (50, 50)
    scored = selectors.score_projects(Project.objects.all(), selectors.default_profile())
    entries = {entry.project_key: entry for entry in taken.entries.all()}
    assert len(entries) == Project.objects.count() == 3
    for project, score in scored.rows():
        entry = entries[project.key]
        assert (entry.project, entry.title, entry.team_name) == (
            project,
            project.title,
            project.team.name,
        )
        assert (entry.impact, entry.feasibility, entry.priority) == (
            score.impact,
            score.feasibility,
            score.priority,
        )
        assert (entry.quadrant or None, entry.rank) == (score.quadrant, score.rank)


def test_snapshot_uses_the_profile_selected_on_the_ranking_page(client, manager, team):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4)
    ScoringProfile.objects.create(name="Ambitious", impact_threshold=90)
    client.force_login(manager)

    client.post(CREATE_URL, {"name": "Ambitious view", "profile": "Ambitious"})

    taken = Snapshot.objects.get()
    assert (taken.profile_name, taken.impact_threshold) == ("Ambitious", 90)
    assert taken.entries.get().quadrant == "fill_in"


def test_blank_snapshot_name_is_422_with_the_error_next_to_the_field(client, manager, project):
    client.force_login(manager)

    response = client.post(CREATE_URL, {"name": "  ", "profile": "Default"})

    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert response.context["snapshot_form"].errors["name"]
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("who", ["lead", "member", "outsider"])
def test_non_manager_cannot_take_a_snapshot(client, request, who, project):
    client.force_login(request.getfixturevalue(who))

    response = client.post(CREATE_URL, {"name": "Mine", "profile": "Default"})

    assert response.status_code == 403
    assert not Snapshot.objects.exists()


def test_snapshot_list_shows_name_profile_taker_and_the_projects_the_user_may_see(
    client, manager, member, team, other_team
):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4)
    rated_project(other_team, manager, "Query rewriter", impact=4, feasibility=4)
    snapshot(manager)

    client.force_login(manager)
    as_manager = client.get(LIST_URL)
    client.force_login(member)
    as_member = client.get(LIST_URL)

    assert as_manager.context["snapshots"][0].projects_count == 2
    assert as_member.context["snapshots"][0].projects_count == 1
    content = as_member.content.decode()
    assert "2027 Q1 planning" in content
    assert "Default" in content
    assert manager.get_full_name() in content
    assert f"{COMPARE_URL}?old={Snapshot.objects.get().pk}&amp;new=now" in content


def test_compare_after_changing_a_rating_shows_the_movement_and_the_quadrant_change(
    client, manager, team
):
    leader = rated_project(team, manager, "Churn model", impact=4, feasibility=4, key="churn")
    rising = rated_project(team, manager, "Defect detector", impact=5, feasibility=2, key="defect")
    before = snapshot(manager, "Before")
    rerate(rising, manager, data_availability=5)  # big bet (100, 25) -> do first (100, 100)
    after = snapshot(manager, "After")
    client.force_login(manager)

    response = client.get(COMPARE_URL, {"old": before.pk, "new": after.pk})

    assert response.status_code == 200
    moved = movements(response)
    assert (moved["defect"].old_rank, moved["defect"].new_rank, moved["defect"].change) == (2, 1, 1)
    assert (moved["defect"].old_quadrant, moved["defect"].new_quadrant) == ("big_bet", "do_first")
    assert moved["churn"].change == -1
    assert not moved["churn"].quadrant_changed
    content = response.content.decode()
    assert "up 1" in content
    assert "down 1" in content
    assert 'class="badge quadrant-big_bet">Big bet</span>\n' in content
    assert content.index("quadrant-big_bet") < content.index("→") < content.index("Do first")
    assert f'href="{leader.get_absolute_url()}"' in content


def test_compare_with_now_scores_todays_ranking_under_the_snapshots_profile(client, manager, team):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4, key="churn")
    rising = rated_project(team, manager, "Defect detector", impact=5, feasibility=2, key="defect")
    ambitious = ScoringProfile.objects.create(name="Ambitious", impact_threshold=90)
    before = snapshot(manager, profile=ambitious)
    rerate(rising, manager, data_availability=5)
    client.force_login(manager)

    response = client.get(COMPARE_URL, {"old": before.pk, "new": "now"})

    assert response.context["comparison"].profile == ambitious
    moved = movements(response)
    assert moved["defect"].change == 1
    assert moved["churn"].new_quadrant == "fill_in"  # impact 75 < 90 under Ambitious
    assert "From “2027 Q1 planning” to now" in response.content.decode()


def test_compare_with_now_uses_the_default_profile_when_the_snapshots_is_gone(
    client, manager, project
):
    rate(project, manager, business_value=4, data_availability=4)
    ambitious = ScoringProfile.objects.create(name="Ambitious", impact_threshold=90)
    before = snapshot(manager, profile=ambitious)
    ambitious.delete()
    client.force_login(manager)

    response = client.get(COMPARE_URL, {"old": before.pk, "new": "now"})

    assert response.context["comparison"].profile == selectors.default_profile()
    moved = movements(response)["defect-detector"]
    assert (moved.old_quadrant, moved.new_quadrant) == ("fill_in", "do_first")
    assert "That profile no longer exists" in response.content.decode()


def test_compare_shows_new_and_removed_projects(client, manager, team):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4, key="churn")
    gone = rated_project(team, manager, "Old idea", impact=2, feasibility=2, key="old-idea")
    before = snapshot(manager)
    gone.delete()
    rated_project(team, manager, "Fresh idea", impact=5, feasibility=5, key="fresh")
    client.force_login(manager)

    response = client.get(COMPARE_URL, {"old": before.pk, "new": "now"})

    moved = movements(response)
    assert moved["fresh"].status == "new"
    assert moved["old-idea"].status == "removed"
    assert moved["churn"].change == -1
    content = response.content.decode()
    assert ">new</span>" in content
    assert ">removed</span>" in content
    assert 'Old idea <span class="muted">(deleted)</span>' in content
    assert response.context["summary"]["new"] == response.context["summary"]["removed"] == 1


def test_non_managers_see_only_entries_of_projects_they_may_see_now(
    client, manager, outsider, team, other_team
):
    rated_project(team, manager, "Churn model", impact=4, feasibility=4, key="churn")
    rated_project(other_team, manager, "Query rewriter", impact=5, feasibility=5, key="query")
    gone = rated_project(other_team, manager, "Old idea", impact=2, feasibility=2, key="old-idea")
    before = snapshot(manager)
    gone.delete()

    client.force_login(outsider)
    as_outsider = client.get(COMPARE_URL, {"old": before.pk, "new": "now"})
    client.force_login(manager)
    as_manager = client.get(COMPARE_URL, {"old": before.pk, "new": "now"})

    assert set(movements(as_outsider)) == {"query"}
    assert "Churn model" not in as_outsider.content.decode()
    assert "Old idea" not in as_outsider.content.decode()
    assert set(movements(as_manager)) == {"churn", "query", "old-idea"}


def test_compare_page_offers_two_selects_and_now(client, member, manager, project):
    taken = snapshot(manager)
    client.force_login(member)

    response = client.get(COMPARE_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<select name="old"' in content
    assert '<option value="now" selected>' in content
    assert f'<option value="{taken.pk}" selected>' in content
    assert "comparison" not in response.context


def test_compare_with_an_unknown_snapshot_is_422(client, manager, project):
    snapshot(manager)
    client.force_login(manager)

    response = client.get(COMPARE_URL, {"old": "9999", "new": "now"})

    assert response.status_code == 422
    assert response.context["form"].errors["old"]


@pytest.mark.parametrize("projects", [5, 40])
def test_snapshot_pages_queries_do_not_grow_with_the_portfolio(
    client, manager, member, team, other_team, projects, django_assert_max_num_queries
):
    for n in range(projects):
        project = rated_project(
            team if n % 2 else other_team, manager, f"P{n}", 1 + n % 5, 1 + n // 5 % 5
        )
        rate(project, member, business_value=3, data_availability=3)
    old, new = snapshot(manager, "Old"), snapshot(manager, "New")
    client.force_login(member)

    with django_assert_max_num_queries(6):
        client.get(LIST_URL)
    with django_assert_max_num_queries(13):
        response = client.get(COMPARE_URL, {"old": old.pk, "new": "now"})
    with django_assert_max_num_queries(8):
        client.get(COMPARE_URL, {"old": old.pk, "new": new.pk})

    assert len(response.context["rows"]) == projects // 2
