"""The portfolio's writes and the rules the database keeps behind them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portfolio import services
from portfolio.models import Answer, Metric, Project, StageTransition
from tests.factories import MetricFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_create_project_records_the_first_stage_and_an_audit_entry(project, lead):
    transition = project.transitions.get()
    assert (transition.from_stage, transition.to_stage, transition.by) == ("", "planning", lead)
    created = project.audit_entries.get()
    assert (created.field, created.new, created.user, created.version) == (
        "created",
        "Defect detector",
        lead,
        1,
    )


def test_update_project_records_old_and_new_as_people_read_them(project, lead, member):
    services.update_project(
        project=project,
        user=lead,
        version=1,
        title="Defect finder",
        owner=member,
        archetype=Project.Archetype.AUGMENT,
        effort_weeks=12,
    )

    project.refresh_from_db()
    assert project.version == 2
    changes = {e.field: (e.old, e.new) for e in project.audit_entries.filter(version=2)}
    assert changes == {
        "title": ("Defect detector", "Defect finder"),
        "owner": (str(lead), str(member)),
        "archetype": ("Automate a manual process", "Augment a manual process"),
    }


def test_update_without_changes_keeps_the_version(project, lead):
    services.update_project(project=project, user=lead, version=1, title="Defect detector")

    project.refresh_from_db()
    assert project.version == 1


def test_update_from_an_outdated_version_raises_conflict_with_the_unseen_changes(
    project, lead, member
):
    services.update_project(project=project, user=member, version=1, title="Defect finder")

    with pytest.raises(services.ConflictError) as conflict:
        services.update_project(project=project, user=lead, version=1, title="Scratch detector")

    assert [(e.field, e.old, e.new, e.user) for e in conflict.value.changes] == [
        ("title", "Defect detector", "Defect finder", member)
    ]
    assert conflict.value.project.title == "Defect finder"
    project.refresh_from_db()
    assert (project.title, project.version) == ("Defect finder", 2)
    assert not project.audit_entries.filter(new="Scratch detector").exists()


def test_move_stage_forward_records_the_transition(project, lead):
    services.move_stage(project=project, user=lead, to_stage=Project.Stage.DATA)

    project.refresh_from_db()
    assert project.stage == Project.Stage.DATA
    assert project.transitions.last().is_loop_back is False


def test_move_back_without_a_reason_is_refused(project, lead):
    services.move_stage(project=project, user=lead, to_stage=Project.Stage.DATA)

    with pytest.raises(ValidationError) as refused:
        services.move_stage(project=project, user=lead, to_stage=Project.Stage.PLANNING, reason=" ")

    assert "reason" in refused.value.message_dict
    project.refresh_from_db()
    assert project.stage == Project.Stage.DATA
    assert StageTransition.objects.count() == 2


def test_move_back_with_a_reason_is_a_recorded_loop_back(project, lead):
    services.move_stage(project=project, user=lead, to_stage=Project.Stage.DATA)

    back = services.move_stage(
        project=project, user=lead, to_stage=Project.Stage.PLANNING, reason="Data too hard to get"
    )

    assert back.is_loop_back
    assert back.reason == "Data too hard to get"


@pytest.mark.parametrize(
    "field, value",
    [
        ("effort_weeks", -1),
        ("expected_value", -5),
        ("success_likelihood", 1.5),
        ("success_likelihood", -0.1),
        ("archetype", "moonshot"),
        ("stage", "research"),
        ("status", "maybe"),
    ],
)
def test_database_refuses_impossible_project_values(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(**{field: value})


def test_database_refuses_a_second_optimizing_metric():
    metric = MetricFactory(role=Metric.Role.OPTIMIZING)

    with pytest.raises(IntegrityError), transaction.atomic():
        MetricFactory(project=metric.project, role=Metric.Role.OPTIMIZING)


def test_database_allows_many_satisficing_metrics():
    metric = MetricFactory(role=Metric.Role.OPTIMIZING)

    MetricFactory.create_batch(2, project=metric.project, role=Metric.Role.SATISFICING)

    assert metric.project.metrics.count() == 3


def test_answers_survive_an_archetype_change(project, lead):
    services.answer_question(
        project=project,
        user=lead,
        question="automate_failure_rate",
        value=Answer.Value.YES,
        note="1 missed defect in 1000",
    )

    services.update_project(
        project=project, user=lead, version=1, archetype=Project.Archetype.AUGMENT
    )

    answer = project.answers.get()
    assert (answer.question, answer.note) == ("automate_failure_rate", "1 missed defect in 1000")
    services.update_project(
        project=project, user=lead, version=2, archetype=Project.Archetype.AUTOMATE
    )
    assert project.answers.count() == 1
