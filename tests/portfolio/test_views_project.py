"""The project page and the sections its leads edit in place.

Lena leads the Vision team and edits; Max is on her team and reads; Maria, a manager,
reads every project; Olga leads another team and must not learn the project exists.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from portfolio import services
from portfolio.models import Answer, AuditEntry, Baseline, Metric, Project, StageTransition
from portfolio.questions import CHECKLIST, QUESTION_TEXT
from tests.factories import BaselineFactory, MetricFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
XSS = '<script>alert("x")</script>'
ESCAPED_XSS = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def url(name, project, *args):
    return reverse(name, args=[project.key, *args])


def at_stage(project, user, *stages):
    """Walk the project forward through `stages`, the way a lead would."""
    for stage in stages:
        services.move_stage(project=project, user=user, to_stage=stage)
    project.refresh_from_db()
    return project


def writes(project):
    """Every POST endpoint of the page, with a valid body for it."""
    metric = MetricFactory(project=project, name="latency")
    baseline = BaselineFactory(project=project, metric=metric)
    return [
        (url("project_stage", project), {"to_stage": "data", "version": project.version}),
        (url("project_questions", project), {"check_need_ml-value": "yes"}),
        (url("project_metrics", project), new_metric()),
        (url("project_metric", project, metric.pk), new_metric(prefix=f"metric-{metric.pk}")),
        (url("project_metric_delete", project, metric.pk), {}),
        (url("project_baselines", project), new_baseline(metric)),
        (
            url("project_baseline", project, baseline.pk),
            new_baseline(metric, prefix=f"baseline-{baseline.pk}"),
        ),
        (url("project_baseline_delete", project, baseline.pk), {}),
    ]


def out_of_band(content):
    """The ids of the elements an htmx answer swaps out of band."""
    return re.findall(r'<\w+ id="([\w-]+)"[^>]*hx-swap-oob="true"', content)


def new_metric(prefix="metric-new", **changes):
    fields = {
        "name": "accuracy",
        "role": Metric.Role.SATISFICING,
        "direction": Metric.Direction.AT_LEAST,
        "threshold": "0.9",
        "current": "",
        "unit": "",
    } | changes
    return {f"{prefix}-{name}": value for name, value in fields.items()}


def new_baseline(metric, prefix="baseline-new", **changes):
    fields = {
        "kind": Baseline.Kind.DOMAIN_EXPERTS,
        "metric": metric.pk if metric else "",
        "value": "0.95",
        "source": "",
        "note": "",
    } | changes
    return {f"{prefix}-{name}": value for name, value in fields.items()}


# --- Who sees the page ----------------------------------------------------------------


def test_lead_sees_every_section_and_the_forms(client, lead, project):
    client.force_login(lead)

    response = client.get(project.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Defect detector" in content
    assert "defect-detector · Vision" in content
    assert "Automate a manual process" in content
    assert "Autonomous — e.g. full self-driving" in content
    assert "400,000" in content
    assert "50 %" in content
    assert "12 person-weeks" in content
    for section in ("lifecycle", "questions", "metrics", "baselines", "audit"):
        assert f'id="{section}"' in content
    assert 'name="to_stage"' in content
    assert url("project_edit", project) in content
    assert "HX-Request" in response["Vary"]


def test_member_reads_the_page_without_forms_or_edit_link(client, member, project):
    client.force_login(member)

    response = client.get(project.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Defect detector" in content
    assert 'name="to_stage"' not in content
    assert "Save answers" not in content
    assert "Add a metric" not in content
    assert url("project_edit", project) not in content


def test_manager_sees_a_project_of_any_team(client, manager, project):
    client.force_login(manager)

    response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    assert b"Defect detector" in response.content
    assert b'name="to_stage"' not in response.content


def test_outsider_gets_404_for_project_page(client, outsider, project):
    client.force_login(outsider)

    assert client.get(project.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "name", ["project_stage", "project_questions", "project_metrics", "project_baselines"]
)
def test_outsider_gets_404_for_each_section(client, outsider, project, name):
    client.force_login(outsider)

    assert client.get(url(name, project)).status_code == 404
    assert client.get(url(name, project), headers=HTMX).status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_outsider_gets_404_on_every_change_and_nothing_changes(client, outsider, project, htmx):
    client.force_login(outsider)
    endpoints = writes(project)
    audit_before = AuditEntry.objects.count()

    for endpoint, data in endpoints:
        response = client.post(endpoint, data, headers=HTMX if htmx else {})
        assert response.status_code == 404, endpoint

    assert AuditEntry.objects.count() == audit_before
    assert Metric.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_member_gets_403_on_every_change_and_nothing_changes(client, member, project, htmx):
    client.force_login(member)
    endpoints = writes(project)
    audit_before = AuditEntry.objects.count()

    for endpoint, data in endpoints:
        response = client.post(endpoint, data, headers=HTMX if htmx else {})
        assert response.status_code == 403, endpoint

    assert AuditEntry.objects.count() == audit_before


def test_member_gets_403_for_the_edit_row_of_a_metric(client, member, project):
    metric = MetricFactory(project=project)
    client.force_login(member)

    assert client.get(url("project_metric", project, metric.pk)).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["project_metric", "project_metric_delete", "project_baseline", "project_baseline_delete"],
)
def test_metric_or_baseline_of_another_project_is_404(client, lead, team, project, name):
    mine_too = ProjectFactory(team=team)
    metric = MetricFactory(project=mine_too)
    baseline = BaselineFactory(project=mine_too, metric=metric)
    pk = metric.pk if "metric" in name else baseline.pk
    client.force_login(lead)

    assert client.post(url(name, project, pk), {}).status_code == 404
    assert client.post(url(name, project, pk), {}, headers=HTMX).status_code == 404
    assert Metric.objects.filter(pk=metric.pk).exists()
    assert Baseline.objects.filter(pk=baseline.pk).exists()


def test_outsider_gets_404_with_a_metric_of_their_own_project(
    client, outsider, other_team, project
):
    theirs = MetricFactory(project=ProjectFactory(team=other_team))
    client.force_login(outsider)

    response = client.post(url("project_metric_delete", project, theirs.pk))

    assert response.status_code == 404
    assert Metric.objects.filter(pk=theirs.pk).exists()


# --- Lifecycle ------------------------------------------------------------------------


def test_lead_moves_forward_without_a_reason(client, lead, project):
    client.force_login(lead)

    response = client.post(
        url("project_stage", project), {"to_stage": "data", "version": project.version}
    )

    project.refresh_from_db()
    assert response.status_code == 302
    assert project.stage == Project.Stage.DATA
    assert project.transitions.last().from_stage == Project.Stage.PLANNING


def test_the_next_stage_is_preselected(client, lead, project):
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert '<option value="data" selected>' in content


def test_moving_back_without_a_reason_is_refused_next_to_the_reason(client, lead, project):
    project = at_stage(project, lead, "data", "training")
    client.force_login(lead)

    response = client.post(
        url("project_stage", project),
        {"to_stage": "planning", "reason": "  ", "version": project.version},
        headers=HTMX,
    )

    content = response.content.decode()
    project.refresh_from_db()
    assert response.status_code == 422
    assert "<html" not in content
    assert 'id="id_reason_error"' in content
    assert "needs a reason: what did you learn?" in content
    assert '<option value="planning" selected>' in content
    assert project.stage == Project.Stage.TRAINING
    assert project.transitions.count() == 3


def test_moving_back_with_a_reason_is_shown_as_a_loop_back(client, lead, project):
    project = at_stage(project, lead, "data", "training")
    client.force_login(lead)

    response = client.post(
        url("project_stage", project),
        {"to_stage": "data", "reason": "Labels unreliable", "version": project.version},
        follow=True,
    )

    transition = StageTransition.objects.filter(project=project).last()
    assert (transition.from_stage, transition.to_stage) == ("training", "data")
    assert transition.reason == "Labels unreliable"
    assert transition.by == lead
    content = response.content.decode()
    assert 'class="timeline-item loop-back"' in content
    assert "Loop-back" in content
    assert "Labels unreliable" in content


def test_typical_reasons_are_suggested_for_the_chosen_move(client, lead, project):
    project = at_stage(project, lead, "data", "training")
    client.force_login(lead)

    response = client.get(url("project_stage", project), {"to_stage": "planning"}, headers=HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="reason-suggestions"' in content
    assert "Task too hard" in content
    assert "Requirements trade off against each other" in content
    assert "Need more data" not in content


def test_every_move_back_is_suggested_before_a_target_is_chosen(client, lead, project):
    project = at_stage(project, lead, "data", "training", "deployment")
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert "doesn&#x27;t work outside the lab" in content
    assert "mine hard cases" in content
    assert "Metric doesn&#x27;t drive user behaviour" in content


def test_picking_a_suggestion_fills_the_form(client, lead, project):
    project = at_stage(project, lead, "data")
    client.force_login(lead)

    response = client.get(
        url("project_stage", project), {"to_stage": "planning", "reason": "Data too hard to get"}
    )

    content = response.content.decode()
    assert "<html" in content
    assert '<option value="planning" selected>' in content
    assert "autofocus" in content
    assert ">\nData too hard to get</textarea>" in content


def test_outdated_version_shows_the_conflict_and_moves_nothing(client, lead, project):
    loaded_version = project.version
    services.update_project(
        project=project, user=lead, version=loaded_version, title="Defect finder"
    )
    client.force_login(lead)

    response = client.post(
        url("project_stage", project),
        {"to_stage": "data", "reason": "Ready for labels", "version": loaded_version},
        headers=HTMX,
    )

    content = response.content.decode()
    project.refresh_from_db()
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#lifecycle"
    assert "Someone else changed this project:" in content
    assert "Defect detector → Defect finder" in content
    assert project.stage == Project.Stage.PLANNING
    assert project.transitions.count() == 1
    assert f'name="version" value="{project.version}"' in content
    assert "Ready for labels</textarea>" in content


def test_outdated_version_without_htmx_shows_the_page_with_the_conflict(client, lead, project):
    loaded_version = project.version
    services.update_project(project=project, user=lead, version=loaded_version, owner=None)
    client.force_login(lead)

    response = client.post(
        url("project_stage", project), {"to_stage": "data", "version": loaded_version}
    )

    assert response.status_code == 409
    assert b"<html" in response.content
    assert b"Someone else changed this project:" in response.content
    assert Project.objects.get(pk=project.pk).stage == Project.Stage.PLANNING


def test_resubmitting_after_a_conflict_moves_the_stage(client, lead, project):
    services.update_project(project=project, user=lead, version=project.version, title="New")
    project.refresh_from_db()
    client.force_login(lead)

    response = client.post(
        url("project_stage", project), {"to_stage": "data", "version": project.version}
    )

    project.refresh_from_db()
    assert response.status_code == 302
    assert project.stage == Project.Stage.DATA


def test_moving_the_stage_with_htmx_refreshes_header_and_audit(client, lead, project):
    client.force_login(lead)

    response = client.post(
        url("project_stage", project),
        {"to_stage": "data", "version": project.version},
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<section id="lifecycle"')
    assert out_of_band(content) == ["project-header", "audit"]
    assert "Stage: Data collection &amp; labeling" in content
    assert 'id="audit"' in content
    assert "Moved to “Data collection &amp; labeling”." in content


# --- Questions ------------------------------------------------------------------------


def test_lead_answers_questions_and_each_answer_is_audited(client, lead, project):
    client.force_login(lead)

    response = client.post(
        url("project_questions", project),
        {
            "automate_failure_rate-value": "yes",
            "automate_failure_rate-note": "1 in 10,000 parts",
            "check_need_ml-value": "no",
            "check_ethics-value": "unknown",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{project.get_absolute_url()}#questions"
    answers = {answer.question: answer for answer in project.answers.all()}
    assert set(answers) == {"automate_failure_rate", "check_need_ml"}
    assert answers["automate_failure_rate"].note == "1 in 10,000 parts"
    audited = set(project.audit_entries.values_list("field", flat=True))
    assert {"What failure rate is acceptable?", "Are you sure you need ML?"} <= audited
    assert "Ethics considered" not in audited
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["Answers saved."]


def test_answers_are_shown_read_only_to_a_member(client, lead, member, project):
    services.answer_question(
        project=project, user=lead, question="check_ethics", value="yes", note="Reviewed"
    )
    client.force_login(member)

    content = client.get(project.get_absolute_url()).content.decode()

    assert '<span class="answer answer-yes">Yes</span>' in content
    assert "Reviewed" in content
    assert 'name="check_ethics-value"' not in content


def test_invalid_answer_is_refused_and_the_input_kept(client, lead, project):
    client.force_login(lead)

    response = client.post(
        url("project_questions", project),
        {"check_need_ml-value": "maybe", "check_ethics-value": "yes", "check_ethics-note": "ok"},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert b"Select a valid choice" in response.content
    assert b'value="ok"' in response.content
    assert not project.answers.exists()


def test_answers_from_an_earlier_archetype_stay_visible(client, lead, project):
    services.answer_question(
        project=project, user=lead, question="automate_failure_rate", value="yes", note="1e-4"
    )
    services.update_project(
        project=project, user=lead, version=project.version, archetype=Project.Archetype.AUGMENT
    )
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert "Key questions: Augment a manual process" in content
    assert "How good must the system be to be useful?" in content
    assert "Answers from an earlier archetype (1)" in content
    assert "What failure rate is acceptable?" in content
    assert "1e-4" in content
    assert 'name="automate_failure_rate-value"' not in content
    assert Answer.objects.filter(project=project, question="automate_failure_rate").exists()


def test_questions_show_the_archetype_questions_then_the_checklist(client, member, project):
    client.force_login(member)

    content = client.get(url("project_questions", project), headers=HTMX).content.decode()

    assert "<html" not in content
    first_key_question = content.index("What failure rate is acceptable?")
    first_checklist_item = content.index(str(CHECKLIST[0][1]))
    assert first_key_question < content.index("Feasibility checklist") < first_checklist_item


# --- Metrics --------------------------------------------------------------------------


def test_lead_adds_a_metric(client, lead, project):
    client.force_login(lead)

    response = client.post(
        url("project_metrics", project),
        new_metric(name="accuracy", role=Metric.Role.OPTIMIZING, current="0.8"),
    )

    metric = project.metrics.get()
    assert response.status_code == 302
    assert response["Location"] == f"{project.get_absolute_url()}#metrics"
    assert (metric.name, metric.role, metric.threshold, metric.current) == (
        "accuracy",
        "optimizing",
        0.9,
        0.8,
    )
    assert project.audit_entries.filter(field="metric", old="—").exists()


def test_a_second_optimizing_metric_is_refused_with_the_form_error(client, lead, project):
    MetricFactory(project=project, name="angular error", role=Metric.Role.OPTIMIZING)
    client.force_login(lead)

    response = client.post(
        url("project_metrics", project),
        new_metric(name="position error", role=Metric.Role.OPTIMIZING),
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in content
    assert 'id="id_metric-new-role_error"' in content
    assert "“angular error” is already the optimizing metric." in content
    assert 'value="position error"' in content
    assert project.metrics.count() == 1


def test_optimizing_metric_comes_first_and_is_marked(client, lead, project):
    MetricFactory(project=project, name="a latency")
    MetricFactory(project=project, name="z accuracy", role=Metric.Role.OPTIMIZING)
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert content.index("z accuracy") < content.index("a latency")
    assert '<span class="badge role-optimizing">Optimizing</span>' in content
    assert "Pick one metric to optimize" not in content


def test_without_an_optimizing_metric_the_page_says_to_pick_one(client, member, project):
    MetricFactory(project=project, name="latency")
    client.force_login(member)

    content = client.get(project.get_absolute_url()).content.decode()

    assert "Pick one metric to optimize" in content


def row_of(content, metric):
    start = content.index(f'<tr id="metric-{metric.pk}"')
    return content[start : content.index("</tr>", start)]


def test_each_metric_says_whether_it_meets_its_threshold(client, member, project):
    met = MetricFactory(project=project, direction="le", threshold=100, current=80)
    not_met = MetricFactory(project=project, direction="le", threshold=100, current=120)
    unmeasured = MetricFactory(project=project, direction="ge", threshold=0.9, current=None)
    client.force_login(member)

    content = client.get(project.get_absolute_url()).content.decode()

    assert '<span aria-hidden="true">✓</span> Met</span>' in row_of(content, met)
    assert '<span aria-hidden="true">✗</span> Not met</span>' in row_of(content, not_met)
    assert "Unmeasured</span>" in row_of(content, unmeasured)


def test_edit_row_of_a_metric_is_a_form_in_the_metrics_section(client, lead, project):
    metric = MetricFactory(project=project, name="latency")
    client.force_login(lead)

    response = client.get(url("project_metric", project, metric.pk), headers=HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="metrics"')
    assert f'name="metric-{metric.pk}-name"' in content
    assert 'value="latency"' in content


def test_lead_edits_a_metric_and_the_change_is_audited(client, lead, project):
    metric = MetricFactory(project=project, name="latency", current=120)
    client.force_login(lead)

    response = client.post(
        url("project_metric", project, metric.pk),
        new_metric(
            prefix=f"metric-{metric.pk}",
            name="latency",
            direction=Metric.Direction.AT_MOST,
            threshold="100",
            current="90",
            unit="ms",
        ),
    )

    metric.refresh_from_db()
    assert response.status_code == 302
    assert metric.current == 90
    entry = project.audit_entries.get(field="metric")
    assert "now 120" in entry.old
    assert "now 90" in entry.new


def test_lead_deletes_a_metric_and_its_baselines_stay(client, lead, project):
    metric = MetricFactory(project=project, name="latency")
    baseline = BaselineFactory(project=project, metric=metric)
    client.force_login(lead)

    response = client.post(url("project_metric_delete", project, metric.pk), headers=HTMX)

    content = response.content.decode()
    baseline.refresh_from_db()
    assert response.status_code == 200
    assert not project.metrics.exists()
    assert baseline.metric is None
    assert "baselines" in out_of_band(content)
    assert "Metric “latency” deleted." in content


def test_deleting_asks_for_confirmation_with_htmx(client, lead, project):
    MetricFactory(project=project, name="latency")
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert 'hx-confirm="Delete the metric “latency”?' in content


def test_a_metric_change_also_refreshes_the_baselines_out_of_band(client, lead, project):
    client.force_login(lead)

    response = client.post(url("project_metrics", project), new_metric(), headers=HTMX)

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="metrics"')
    assert out_of_band(content) == ["baselines", "audit"]
    # The new metric is a choice of the baseline form at once.
    assert ">accuracy</option>" in content


# --- Baselines ------------------------------------------------------------------------


def test_lead_adds_a_baseline_and_it_is_charted(client, lead, project):
    metric = MetricFactory(project=project, name="recall", unit="%")
    client.force_login(lead)

    response = client.post(
        url("project_baselines", project),
        new_baseline(metric, value="91", source="Radiologist study 2019"),
        follow=True,
    )

    baseline = project.baselines.get()
    content = response.content.decode()
    assert (baseline.kind, baseline.metric, baseline.value) == ("domain_experts", metric, 91)
    assert "Baseline added." in content
    assert 'class="chart" role="figure" data-figure="{' in content
    assert 'aria-label="Chart of the baselines for recall' in content
    assert "plotly.min.js" in content


def test_a_page_without_baselines_has_no_chart(client, lead, project):
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert 'class="chart"' not in content


def test_https_source_is_a_link_that_passes_nothing_on(client, member, project):
    BaselineFactory(project=project, source="https://arxiv.org/abs/1234.5678")
    client.force_login(member)

    content = client.get(project.get_absolute_url()).content.decode()

    assert (
        '<a href="https://arxiv.org/abs/1234.5678" rel="noopener noreferrer nofollow">' in content
    )


def test_javascript_source_is_text_not_a_link(client, member, project):
    BaselineFactory(project=project, source="javascript:alert(1)")
    client.force_login(member)

    content = client.get(project.get_absolute_url()).content.decode()

    assert "javascript:alert(1)" in content
    assert 'href="javascript:' not in content


def test_lead_edits_a_baseline(client, lead, project):
    metric = MetricFactory(project=project)
    baseline = BaselineFactory(project=project, metric=metric, value=0.9)
    client.force_login(lead)

    response = client.post(
        url("project_baseline", project, baseline.pk),
        new_baseline(metric, prefix=f"baseline-{baseline.pk}", value="0.97"),
        headers=HTMX,
    )

    baseline.refresh_from_db()
    assert response.status_code == 200
    assert baseline.value == 0.97
    assert response.content.decode().lstrip().startswith('<section id="baselines"')
    assert project.audit_entries.filter(field="baseline").exists()


def test_baseline_cannot_use_a_metric_of_another_project(client, lead, team, project):
    foreign = MetricFactory(project=ProjectFactory(team=team))
    client.force_login(lead)

    response = client.post(url("project_baselines", project), new_baseline(foreign))

    assert response.status_code == 422
    assert not project.baselines.exists()


def test_lead_deletes_a_baseline(client, lead, project):
    baseline = BaselineFactory(project=project)
    client.force_login(lead)

    response = client.post(url("project_baseline_delete", project, baseline.pk))

    assert response.status_code == 302
    assert response["Location"] == f"{project.get_absolute_url()}#baselines"
    assert not project.baselines.exists()


# --- Escaping, htmx and POST/redirect/GET ---------------------------------------------


def test_user_text_is_escaped_everywhere(client, lead, project):
    services.update_project(
        project=project, user=lead, version=project.version, title=XSS, summary=XSS
    )
    services.answer_question(
        project=project, user=lead, question="check_ethics", value="yes", note=XSS
    )
    metric = MetricFactory(project=project, name=XSS, unit="<b>")
    BaselineFactory(project=project, metric=metric, source=XSS, note=XSS)
    at_stage(project, lead, "data")
    services.move_stage(project=project, user=lead, to_stage="planning", reason=XSS)
    client.force_login(lead)

    content = client.get(project.get_absolute_url()).content.decode()

    assert XSS not in content
    assert "<b>" not in content
    assert content.count(ESCAPED_XSS) >= 8


def test_audit_trail_lists_who_changed_what(client, lead, member, project):
    services.update_project(project=project, user=lead, version=project.version, title="Finder")
    client.force_login(member)

    content = client.get(project.get_absolute_url()).content.decode()

    audit = content[content.index('id="audit"') :]
    assert "title" in audit
    assert "Defect detector" in audit
    assert "Finder" in audit
    assert "project created" in audit


def a_change_of(section, project):
    """A valid POST to one section: its URL and body."""
    if section == "lifecycle":
        return url("project_stage", project), {"to_stage": "data", "version": project.version}
    if section == "questions":
        return url("project_questions", project), {"check_need_ml-value": "yes"}
    if section == "metrics":
        return url("project_metrics", project), new_metric()
    metric = MetricFactory(project=project, name="latency")
    return url("project_baselines", project), new_baseline(metric)


@pytest.mark.parametrize("section", ["lifecycle", "questions", "metrics", "baselines"])
def test_htmx_post_answers_with_the_section_only(client, lead, project, section):
    client.force_login(lead)

    response = client.post(*a_change_of(section, project), headers=HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith(f'<section id="{section}"')
    assert '<div id="messages" hx-swap-oob="innerHTML">' in content
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("section", ["lifecycle", "questions", "metrics", "baselines"])
def test_plain_post_redirects_back_to_the_page_with_a_message(client, lead, project, section):
    client.force_login(lead)

    response = client.post(*a_change_of(section, project), follow=True)

    assert response.redirect_chain == [(f"{project.get_absolute_url()}#{section}", 302)]
    assert b'class="message message-success"' in response.content


def test_section_urls_show_the_whole_page_without_htmx(client, member, project):
    client.force_login(member)

    response = client.get(url("project_metrics", project))

    assert response.status_code == 200
    assert b"<html" in response.content


# --- Queries --------------------------------------------------------------------------


def fill(project, user, rows):
    """`rows` metrics, baselines, stage moves and audit entries, and answers."""
    metrics = [MetricFactory(project=project, name=f"metric {n}") for n in range(rows)]
    for n in range(rows):
        BaselineFactory(project=project, metric=metrics[n], source=f"https://example.org/{n}")
    stages = ["data", "planning"]
    StageTransition.objects.bulk_create(
        StageTransition(
            project=project,
            from_stage=stages[n % 2],
            to_stage=stages[(n + 1) % 2],
            reason="r",
            by=user,
        )
        for n in range(rows)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(project=project, user=user, field="title", old=n, new=n + 1) for n in range(rows)
    )
    # Every question there is, including other archetypes' (shown as earlier answers).
    for key in list(QUESTION_TEXT)[:rows]:
        services.answer_question(project=project, user=user, question=key, value="yes", note="n")


@pytest.mark.parametrize("rows", [3, 30])
def test_page_queries_do_not_grow_with_its_rows(
    client, lead, project, django_assert_max_num_queries, rows
):
    fill(project, lead, rows)
    client.force_login(lead)

    with django_assert_max_num_queries(18):
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_page_queries_for_a_member_do_not_grow_either(
    client, lead, member, project, django_assert_max_num_queries, rows
):
    fill(project, lead, rows)
    client.force_login(member)

    with django_assert_max_num_queries(17):
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200
