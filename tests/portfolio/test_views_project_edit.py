"""Proposing a project and editing it, including two leads editing at once."""

import pytest
from django.contrib.messages import get_messages
from django.db.models.signals import post_init
from django.test import Client
from django.urls import reverse

from portfolio.models import AuditEntry, Project
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("project_create")


def edit_url(project):
    return reverse("project_edit", kwargs={"key": project.key})


def new_project(team, owner, **changes):
    return {
        "key": "label-assistant",
        "title": "Label assistant",
        "summary": "Suggest labels for new images so annotators only confirm them.",
        "team": team.pk,
        "owner": owner.pk,
        "archetype": Project.Archetype.AUGMENT,
        "stage": Project.Stage.PLANNING,
        "status": Project.Status.PROPOSED,
        "effort_weeks": "6",
        "expected_value": "120000",
        "success_likelihood": "70",
    } | changes


def edited(project, **changes):
    """The edit form as the lead posts it: every field as loaded, with `changes`."""
    return {
        "title": project.title,
        "summary": project.summary,
        "team": project.team_id,
        "owner": project.owner_id,
        "archetype": project.archetype,
        "status": project.status,
        "effort_weeks": project.effort_weeks,
        "expected_value": project.expected_value,
        "success_likelihood": project.success_likelihood * 100,
        "version": project.version,
    } | changes


def test_lead_proposes_a_project_and_its_first_stage_is_recorded(client, lead, team):
    client.force_login(lead)

    response = client.post(CREATE_URL, new_project(team, lead))

    project = Project.objects.get(key="label-assistant")
    assert response.status_code == 302
    assert response["Location"] == "/projects/label-assistant/"
    assert project.success_likelihood == pytest.approx(0.7)
    assert project.owner == lead
    assert project.transitions.get().to_stage == Project.Stage.PLANNING
    assert project.audit_entries.get().field == "created"


def test_create_form_offers_the_leads_teams_explains_archetypes_and_owner_defaults_to_lead(
    client, lead, team, other_team
):
    client.force_login(lead)

    response = client.get(CREATE_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["team"].queryset) == [team]
    assert form["owner"].value() == lead.pk
    assert "Software 2.0" in response.text
    assert "Human in the loop" in response.text
    assert '<a href="/projects/">Cancel</a>' in response.text


def test_invalid_proposal_shows_errors_next_to_fields_and_keeps_the_input(client, lead, team):
    client.force_login(lead)

    response = client.post(CREATE_URL, new_project(team, lead, title="", success_likelihood="150"))

    assert response.status_code == 422
    assert not Project.objects.exists()
    assert 'id="id_title_error"' in response.text
    assert 'id="id_success_likelihood_error"' in response.text
    assert "Suggest labels for new images" in response.text
    assert 'value="label-assistant"' in response.text


def test_taken_key_is_refused_with_a_clear_message(client, lead, team, project):
    client.force_login(lead)

    response = client.post(CREATE_URL, new_project(team, lead, key=project.key))

    assert response.status_code == 422
    assert "A project with this key already exists" in response.text
    assert Project.objects.count() == 1


def test_lead_cannot_propose_a_project_for_another_team(client, lead, team, other_team):
    client.force_login(lead)

    response = client.post(CREATE_URL, new_project(other_team, lead))

    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    assert not Project.objects.exists()


def test_member_gets_403_for_create(client, member):
    client.force_login(member)

    assert client.get(CREATE_URL).status_code == 403


def test_manager_who_leads_no_team_gets_403_for_create(client, manager):
    client.force_login(manager)

    assert client.get(CREATE_URL).status_code == 403


def test_member_gets_403_for_edit(client, member, project):
    client.force_login(member)

    assert client.get(edit_url(project)).status_code == 403
    response = client.post(edit_url(project), edited(project, title="Mine now"))

    assert response.status_code == 403
    assert Project.objects.get().title == "Defect detector"


def test_outsider_gets_404_for_edit(client, outsider, project):
    client.force_login(outsider)

    assert client.get(edit_url(project)).status_code == 404
    response = client.post(edit_url(project), edited(project, title="Mine now"))

    assert response.status_code == 404
    assert Project.objects.get().title == "Defect detector"


@pytest.mark.parametrize("members", [3, 30])
def test_form_pages_queries_do_not_grow_with_the_team(
    client, lead, team, project, members, django_assert_max_num_queries
):
    MembershipFactory.create_batch(members, team=team)
    client.force_login(lead)

    with django_assert_max_num_queries(8):
        edit = client.get(edit_url(project))
    with django_assert_max_num_queries(8):
        create = client.get(CREATE_URL)

    owner_choices = members + 2  # the members, the lead and "no owner"
    assert edit.status_code == 200
    assert len(create.context["form"].fields["owner"].choices) == owner_choices


def test_edit_form_has_no_stage_and_a_fixed_key(client, lead, project):
    client.force_login(lead)

    response = client.get(edit_url(project))

    form = response.context["form"]
    assert response.status_code == 200
    assert "stage" not in form.fields
    assert form.fields["key"].disabled
    assert 'name="version" value="1"' in response.text
    assert 'value="50.0"' in response.text  # the likelihood as a percentage


def test_lead_edits_a_project_and_the_change_is_audited(client, lead, project):
    client.force_login(lead)

    response = client.post(
        edit_url(project), edited(project, title="Defect finder", success_likelihood="65")
    )

    project.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/projects/defect-detector/"
    assert project.title == "Defect finder"
    assert project.success_likelihood == pytest.approx(0.65)
    assert project.version == 2
    change = project.audit_entries.get(field="title")
    assert (change.old, change.new, change.user) == ("Defect detector", "Defect finder", lead)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Saved."]


def test_edit_cannot_change_the_key(client, lead, project):
    client.force_login(lead)

    client.post(edit_url(project), edited(project, key="stolen-key"))

    assert Project.objects.get().key == "defect-detector"


def test_invalid_edit_shows_errors_and_changes_nothing(client, lead, project):
    client.force_login(lead)

    response = client.post(edit_url(project), edited(project, effort_weeks="-1"))

    assert response.status_code == 422
    assert 'id="id_effort_weeks_error"' in response.text
    assert Project.objects.get().version == 1


def test_title_with_markup_is_escaped_on_redisplay(client, lead, project):
    client.force_login(lead)

    response = client.post(
        edit_url(project), edited(project, title="<script>alert(1)</script>", effort_weeks="-1")
    )

    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


@pytest.fixture
def second_lead(team):
    """Leo also leads Vision, so he and Lena can edit the same project at once."""
    return MembershipFactory(
        team=team, user=UserFactory(username="leo", first_name="Leo", last_name="Berg"), role="lead"
    ).user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_second_save_from_the_same_version_shows_the_conflict_and_changes_nothing(
    lead, second_lead, project
):
    loaded = edited(project)
    logged_in(second_lead).post(edit_url(project), loaded | {"title": "Defect finder"})

    response = logged_in(lead).post(
        edit_url(project), loaded | {"title": "Scratch detector", "effort_weeks": "20"}
    )

    assert response.status_code == 409
    text = response.text
    assert "Someone else saved this project while you were editing" in text
    assert "Leo Berg" in text
    assert "Defect detector → Defect finder" in text
    assert "Current value:" in text
    assert "<strong>Defect finder</strong>" in text
    assert 'value="Scratch detector"' in text
    assert 'value="20"' in text
    assert 'name="version" value="2"' in text
    project.refresh_from_db()
    assert (project.title, project.effort_weeks, project.version) == ("Defect finder", 12, 2)
    assert not AuditEntry.objects.filter(new="Scratch detector").exists()


def test_current_value_is_shown_only_where_the_input_differs(lead, second_lead, project):
    loaded = edited(project)
    logged_in(second_lead).post(edit_url(project), loaded | {"title": "Defect finder"})

    response = logged_in(lead).post(edit_url(project), loaded | {"effort_weeks": "20"})

    assert response.status_code == 409
    assert response.text.count('class="current-value"') == 2  # title and effort
    assert "<strong>12</strong>" in response.text


def test_resubmitting_after_a_conflict_saves_deliberately(lead, second_lead, project):
    loaded = edited(project)
    logged_in(second_lead).post(edit_url(project), loaded | {"title": "Defect finder"})
    lena = logged_in(lead)
    conflict = lena.post(edit_url(project), loaded | {"title": "Scratch detector"})
    refreshed_version = conflict.context["form"]["version"].value()

    response = lena.post(
        edit_url(project), loaded | {"title": "Scratch detector", "version": refreshed_version}
    )

    project.refresh_from_db()
    assert response.status_code == 302
    assert (project.title, project.version) == ("Scratch detector", 3)
    titles = project.audit_entries.filter(field="title").order_by("version")
    assert [(e.old, e.new) for e in titles] == [
        ("Defect detector", "Defect finder"),
        ("Defect finder", "Scratch detector"),
    ]


def test_edit_without_a_version_is_refused(client, lead, project):
    client.force_login(lead)
    data = edited(project, title="Defect finder")
    del data["version"]

    response = client.post(edit_url(project), data)

    assert response.status_code == 422
    assert Project.objects.get().title == "Defect detector"


def test_changing_the_archetype_keeps_earlier_answers(client, lead, project):
    project.answers.create(question="automate_failure_rate", value="yes", note="1 in 1000")
    client.force_login(lead)

    client.post(edit_url(project), edited(project, archetype=Project.Archetype.AUGMENT))

    assert Project.objects.get().archetype == Project.Archetype.AUGMENT
    assert project.answers.get().note == "1 in 1000"


def test_lead_of_two_teams_may_move_a_project_between_them(client, lead, project):
    data_team = TeamFactory(name="Data")
    MembershipFactory(team=data_team, user=lead, role="lead")
    client.force_login(lead)

    client.post(edit_url(project), edited(project, team=data_team.pk))

    assert Project.objects.get().team == data_team


def test_a_key_taken_between_the_check_and_the_save_is_shown_on_the_key(client, lead, team):
    """Two leads create the same key at once: the rival's insert lands after this form
    checked the key and before this project is saved (when it is instantiated to save)."""

    def rival(sender, instance, **kwargs):
        if instance.key == "label-assistant" and not rival.saved:
            rival.saved = True
            Project.objects.create(key=instance.key, title="Rival", team=team, archetype="automate")

    rival.saved = False
    client.force_login(lead)
    post_init.connect(rival, sender=Project)
    try:
        response = client.post(CREATE_URL, new_project(team, lead))
    finally:
        post_init.disconnect(rival, sender=Project)

    assert rival.saved
    assert response.status_code == 422
    assert "Someone has just created a project with the key" in response.content.decode()
    assert not Project.objects.filter(title="Label assistant").exists()
