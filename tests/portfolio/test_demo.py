"""The demo loader."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from portfolio import access
from portfolio.models import (
    Answer,
    AuditEntry,
    Baseline,
    Membership,
    Metric,
    Project,
    Rating,
    StageTransition,
    Team,
)
from scoring import engine
from scoring.selectors import DISCUSS_SPREAD, default_profile, score_projects

pytestmark = pytest.mark.django_db

MODELS = [
    get_user_model(),
    Team,
    Membership,
    Project,
    StageTransition,
    Metric,
    Baseline,
    Answer,
    AuditEntry,
    Rating,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_loads_three_teams_and_the_two_demo_logins():
    call_command("load_demo", stdout=io.StringIO())

    assert Team.objects.count() == 3
    manager = authenticate(username="manager", password="quadrant-demo")
    lead = authenticate(username="lead", password="quadrant-demo")
    assert manager is not None and access.is_manager(manager)
    assert lead is not None and not access.is_manager(lead)
    assert lead.memberships.get().role == Membership.Role.LEAD


def test_loading_the_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = counts()

    call_command("load_demo")

    assert counts() == first
    assert "quadrant-demo" in capsys.readouterr().out


def test_migrations_create_no_users():
    assert get_user_model().objects.count() == 0


def test_demo_portfolio_has_every_archetype_across_the_three_teams(demo):
    assert 12 <= Project.objects.count() <= 15
    archetypes = set(Project.objects.values_list("archetype", flat=True))
    assert archetypes == set(Project.Archetype.values)
    assert Project.objects.values("team").distinct().count() == 3
    assert set(Project.objects.values_list("status", flat=True)) == set(Project.Status.values)


def test_demo_projects_state_their_problem_and_estimates(demo):
    for project in Project.objects.all():
        assert project.summary
        assert project.effort_weeks is not None
        assert project.expected_value is not None
        assert 0 <= project.success_likelihood <= 1


def test_demo_histories_were_made_by_each_teams_lead_and_include_loop_backs(demo):
    transitions = StageTransition.objects.select_related("project__team", "by")
    loop_backs = [t for t in transitions if t.is_loop_back]
    assert {(t.from_stage, t.to_stage) for t in loop_backs} >= {
        ("training", "data"),
        ("deployment", "data"),
        ("data", "planning"),
    }
    assert all(t.reason for t in loop_backs)
    for transition in transitions:
        assert access.can_edit_project(transition.by, transition.project)
    for project in Project.objects.all():
        assert project.transitions.last().to_stage == project.stage
        assert project.audit_entries.filter(field="created").count() == 1


def test_demo_projects_optimize_one_metric_and_threshold_the_rest(demo):
    for project in Project.objects.prefetch_related("metrics"):
        roles = [metric.role for metric in project.metrics.all()]
        assert roles.count(Metric.Role.OPTIMIZING) == 1, project.key
    completion = Metric.objects.filter(project__key="code-completion")
    assert {(m.name, m.role, m.direction_symbol, m.threshold, m.unit) for m in completion} >= {
        ("Acceptance rate", "optimizing", "≥", 30, "%"),
        ("Latency (p95)", "satisficing", "≤", 100, "ms"),
    }


def test_demo_baselines_include_the_human_ladder_published_and_rule_based(demo):
    kinds = set(Baseline.objects.values_list("kind", flat=True))
    assert kinds == set(Baseline.Kind.values)
    published = Baseline.objects.filter(kind=Baseline.Kind.PUBLISHED)
    assert all(baseline.source_url.startswith("https://") for baseline in published)


def test_demo_projects_answer_key_questions_and_the_checklist(demo):
    for project in Project.objects.prefetch_related("answers"):
        questions = {answer.question for answer in project.answers.all()}
        assert questions <= {key for key, _ in project.questions()}, project.key
    assert Answer.objects.filter(question__startswith="check_").exists()


def test_loading_the_demo_again_keeps_changes_made_in_the_app(demo):
    project = Project.objects.get(key="churn-prediction")
    project.title = "Churn prediction v2"
    project.save()

    call_command("load_demo", stdout=io.StringIO())

    assert Project.objects.get(key="churn-prediction").title == "Churn prediction v2"


def test_demo_ratings_fill_every_quadrant_and_leave_one_project_needing_ratings():
    call_command("load_demo", stdout=io.StringIO())

    scored = score_projects(Project.objects.all(), default_profile())

    assert {score.quadrant for score in scored.ranked} == set(engine.QUADRANTS)
    assert [project.key for project in scored.unscored] == ["icu-deterioration"]


def test_demo_raters_disagree_visibly_somewhere():
    call_command("load_demo", stdout=io.StringIO())

    scored = score_projects(Project.objects.all(), default_profile())

    spreads = [c.spread for s in scored.scores for c in s.contributions if c.spread is not None]
    assert max(spreads) >= DISCUSS_SPREAD
    assert Rating.objects.values("rater").distinct().count() >= 5


def test_demo_has_a_blind_rating_round_in_progress():
    call_command("load_demo", stdout=io.StringIO())

    assert Project.objects.filter(blind_rating=True, ratings_revealed=False).exists()
