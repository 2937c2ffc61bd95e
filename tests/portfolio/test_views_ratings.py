"""Rating a project on its page: scores update in place, blind rating, disagreement."""

import pytest
from django.urls import reverse

from portfolio.models import AuditEntry, Rating
from scoring.models import Criterion, ScoringProfile
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def scores(value, **overrides):
    data = {f"score-{key}": value for key in Criterion.objects.values_list("key", flat=True)}
    return {**data, **overrides}


def rate(client, project, data, **headers):
    return client.post(reverse("project_ratings", args=[project.key]), data, headers=headers)


def test_member_rates_every_criterion_and_sees_the_scores(client, member, project):
    client.force_login(member)

    response = rate(client, project, scores(4, **{"note-business_value": "Saves a shift a day"}))

    assert response.status_code == 302
    assert Rating.objects.filter(project=project, rater=member).count() == Criterion.objects.count()
    page = client.get(project.get_absolute_url())
    assert b"Your ratings are saved." in page.content
    assert b"Saves a shift a day" in page.content


def test_rating_with_htmx_updates_scores_and_quadrant_in_place(client, lead, project):
    client.force_login(lead)

    response = rate(
        client, project, scores(5, **{"score-accuracy_requirement": 1}), HX_Request="true"
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="scores"' in content
    assert "quadrant-do_first" in content
    assert 'id="audit"' in content


def test_changing_a_rating_replaces_it_and_records_history(client, lead, project):
    client.force_login(lead)
    rate(client, project, {"score-business_value": 2})

    rate(client, project, {"score-business_value": 4})

    rating = Rating.objects.get(project=project, rater=lead, criterion__key="business_value")
    assert rating.score == 4
    entry = AuditEntry.objects.filter(project=project, field="rating:business_value").first()
    assert (entry.old, entry.new) == ("2", "4")


def test_score_out_of_range_is_refused_next_to_the_criterion(client, lead, project):
    client.force_login(lead)

    response = rate(client, project, {"score-business_value": 7})

    assert response.status_code == 422
    assert b"Select a valid choice" in response.content
    assert not Rating.objects.exists()


def test_note_without_a_score_is_refused(client, lead, project):
    client.force_login(lead)

    response = rate(client, project, {"note-automation": "maybe"})

    assert response.status_code == 422
    assert b"Pick a score to go with the note." in response.content


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_for_ratings(client, outsider, project, method):
    client.force_login(outsider)

    response = getattr(client, method)(reverse("project_ratings", args=[project.key]), scores(5))

    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_manager_rates_any_project(client, manager, project):
    client.force_login(manager)

    assert rate(client, project, {"score-business_value": 3}).status_code == 302
    assert Rating.objects.filter(rater=manager).count() == 1


def test_missing_ratings_name_criteria_and_raters(client, lead, member, project):
    client.force_login(lead)
    rate(client, project, scores(3))

    content = client.get(project.get_absolute_url()).content.decode()

    assert "Team members who have not rated every criterion:" in content
    assert member.get_full_name() in content


def test_unrated_project_says_it_needs_ratings(client, lead, project):
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert "Needs ratings" in content
    assert "Not rated by anyone yet:" in content


def test_disagreement_marks_the_criterion_to_discuss(client, lead, member, project):
    client.force_login(lead)
    rate(client, project, scores(1))
    client.force_login(member)
    rate(client, project, scores(5))

    content = client.get(project.get_absolute_url()).content.decode()

    assert 'class="discuss"' in content
    assert "discuss</span>" in content


def test_verdict_explains_the_quadrant(client, lead, project):
    client.force_login(lead)
    rate(client, project, scores(5, **{"score-data_availability": 1, "score-prior_work": 1}))

    content = client.get(project.get_absolute_url()).content.decode()

    assert "Big bet: Impact 100.0 ≥ 50, carried by" in content
    assert "held back by Data availability" in content


def test_profile_switch_changes_the_quadrant_never_the_ratings(client, lead, project):
    ScoringProfile.objects.create(name="Strict", impact_threshold=90, feasibility_threshold=90)
    client.force_login(lead)
    rate(client, project, scores(4, **{"score-accuracy_requirement": 2}))
    before = list(Rating.objects.values_list("score", flat=True))

    default = client.get(project.get_absolute_url()).content.decode()
    strict = client.get(project.get_absolute_url(), {"profile": "Strict"}).content.decode()

    assert "quadrant-do_first" in default
    assert "quadrant-deprioritize" in strict
    assert list(Rating.objects.values_list("score", flat=True)) == before


def test_blind_rating_hides_others_until_the_rater_has_rated_everything(
    client, lead, member, project
):
    project.blind_rating = True
    project.save()
    client.force_login(lead)
    rate(client, project, scores(5, **{"note-automation": "lead's secret note"}))
    client.force_login(member)

    before = client.get(project.get_absolute_url()).content.decode()
    rate(client, project, scores(2))
    after = client.get(project.get_absolute_url()).content.decode()

    assert "Blind rating:" in before
    assert "lead&#x27;s secret note" not in before
    assert "quadrant-" not in before.split('id="scores"')[1].split("</section>")[0]
    assert "lead&#x27;s secret note" in after


def test_manager_reveals_a_blind_round_and_others_may_not(client, manager, member, project):
    project.blind_rating = True
    project.save()
    url = reverse("project_ratings_reveal", args=[project.key])
    client.force_login(member)

    assert client.post(url).status_code == 403
    client.force_login(manager)
    assert client.post(url).status_code == 302
    project.refresh_from_db()
    assert project.ratings_revealed


def test_page_queries_do_not_grow_with_raters(client, lead, project, django_assert_max_num_queries):
    for index in range(12):
        rater = MembershipFactory(team=project.team, user=UserFactory(username=f"r{index}")).user
        for criterion in Criterion.objects.all():
            Rating.objects.create(project=project, rater=rater, criterion=criterion, score=3)
    client.force_login(lead)

    with django_assert_max_num_queries(18):
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200
