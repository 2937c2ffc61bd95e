"""The PDF report: read back with poppler's pdftotext, as a reader would see it."""

import os
import shutil
import subprocess

import pytest

from portfolio import services
from portfolio.models import Project
from scoring.models import Quadrant
from scoring.reports import pdf
from scoring.reports.data import report_data
from tests.conftest import require_service
from tests.factories import MetricFactory, ProjectFactory, rated_project

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror=alert(1)> & "q"'


@pytest.fixture
def pdf_text(tmp_path):
    """Write a report for a user and read its text back, laid out as on the page."""
    if not shutil.which("pdftotext"):
        require_service("pdftotext (poppler-utils)")

    def read(user, query=None, **options):
        path = tmp_path / "report.pdf"
        with path.open("wb") as out:
            pdf.write_pdf(report_data(user, query or {}), out, **options)
        result = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        )
        return result.stdout

    return read


@pytest.fixture
def portfolio(team, other_team, manager):
    return [
        rated_project(team, manager, "Defect detector", impact=5, feasibility=5),
        rated_project(team, manager, "Churn model", impact=3, feasibility=4),
        rated_project(other_team, manager, "Search ranking", impact=4, feasibility=2),
        ProjectFactory(team=other_team, title="Label assistant"),  # not rated: unranked
    ]


def test_every_project_title_appears(pdf_text, manager, portfolio):
    text = pdf_text(manager)

    for project in portfolio:
        assert project.title in text


def test_cover_names_the_report_profile_and_whole_portfolio(pdf_text, manager, portfolio):
    text = pdf_text(manager)

    assert "Prioritization report" in text
    assert "Whole portfolio" in text
    assert "impact 50, feasibility 50; top K = 5" in text


def test_matrix_is_drawn_with_quadrant_labels_and_axis_titles(pdf_text, manager, portfolio):
    text = pdf_text(manager)

    for label in Quadrant.labels:
        assert str(label) in text
    assert "Impact" in text
    assert "Feasibility" in text
    assert "Quadrant summary" in text
    assert "Needs ratings" in text


def test_titles_print_literally_not_as_markup(pdf_text, manager, team):
    rated_project(team, manager, HOSTILE, impact=4, feasibility=4)
    rated_project(team, manager, "<b>bold</b> & <i>x</i>", impact=3, feasibility=3)

    text = pdf_text(manager)

    assert text.count(HOSTILE) >= 2  # the ranked table and the brief's heading
    assert "<b>bold</b> & <i>x</i>" in text


def test_korean_titles_render(pdf_text, manager, team):
    if not os.path.exists(pdf.FONT_CANDIDATES[0][0]):
        require_service("fonts-nanum")
    rated_project(team, manager, "불량 검출 모델", impact=4, feasibility=4)
    team.name = "비전 팀"
    team.save()

    text = pdf_text(manager)

    assert "불량 검출 모델" in text
    assert "비전 팀" in text


def test_brief_shows_metrics_loop_backs_and_key_question_answers(pdf_text, manager, team):
    project = rated_project(team, manager, "Defect detector", impact=5, feasibility=4)
    project.archetype = Project.Archetype.AUTOMATE
    project.save()
    MetricFactory(project=project, name="Inference latency & <p95>", threshold=100, current=80)
    services.move_stage(project=project, user=manager, to_stage="data")
    services.move_stage(project=project, user=manager, to_stage="training")
    services.move_stage(
        project=project, user=manager, to_stage="data", reason="Labels unreliable <noisy>"
    )
    services.answer_question(
        project=project,
        user=manager,
        question="automate_failure_rate",
        value="yes",
        note="One missed defect in 10,000 parts",
    )

    text = pdf_text(manager)

    assert "Inference latency & <p95>" in text
    assert "≤ 100 ms" in text
    assert "Labels unreliable <noisy>" in text
    assert "Loop-back" in text
    assert "What failure rate is acceptable?" in text
    assert "One missed defect in 10,000 parts" in text
    assert "Why these scores" in text


def test_without_briefs_the_details_are_left_out(pdf_text, manager, team):
    project = rated_project(team, manager, "Defect detector", impact=5, feasibility=4)
    MetricFactory(project=project, name="Inference latency")

    text = pdf_text(manager, briefs=False)

    assert "Defect detector" in text
    assert "Inference latency" not in text
    assert "Why these scores" not in text


def test_progress_grows_and_ends_at_one(pdf_text, manager, portfolio):
    calls = []

    pdf_text(manager, progress=lambda fraction, stage: calls.append((fraction, stage)))

    fractions = [fraction for fraction, _stage in calls]
    assert len(calls) >= 4
    assert fractions == sorted(set(fractions))
    assert fractions[-1] == 1.0
    assert all(isinstance(stage, str) and stage for _fraction, stage in calls)


def test_filtered_report_holds_only_that_teams_projects(pdf_text, manager, team, portfolio):
    text = pdf_text(manager, {"team": str(team.pk)})

    assert "Defect detector" in text
    assert "Churn model" in text
    assert "Search ranking" not in text
    assert "Label assistant" not in text
    assert "Vision" in text  # the filter, named on the cover


def test_report_holds_only_projects_the_user_may_see(pdf_text, outsider, manager, team, portfolio):
    text = pdf_text(outsider)

    assert "Search ranking" in text
    assert "Defect detector" not in text


def test_a_blind_projects_criterion_values_stay_out_of_its_brief(pdf_text, lead, member, team):
    project = rated_project(team, member, "Blind one", impact=5, feasibility=5, blind_rating=True)

    hidden = pdf_text(lead)
    project.ratings_revealed = True  # a manager revealed them
    project.save()
    shown = pdf_text(lead)

    assert "Blind rating: each criterion's value" in " ".join(hidden.split())
    assert "Blind rating: each criterion's value" not in " ".join(shown.split())
