"""Scoring profiles: everyone sees them, managers create, edit and pick the default."""

import pytest
from django.urls import reverse

from scoring.models import Criterion, ProfileWeight, ScoringProfile

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def profile_data(**changes):
    data = {
        "name": "Data first",
        "description": "Feasibility counts double until the data platform is ready.",
        "impact_threshold": "50",
        "feasibility_threshold": "60",
        "aggregation": "median",
        "top_k": "3",
    }
    return data | changes


@pytest.fixture
def data_first(db):
    profile = ScoringProfile.objects.create(name="Data first", feasibility_threshold=60)
    ProfileWeight.objects.create(
        profile=profile, criterion=Criterion.objects.get(key="data_availability"), weight=6
    )
    return profile


def default_names():
    return list(ScoringProfile.objects.filter(is_default=True).values_list("name", flat=True))


def test_member_sees_the_profiles(client, member, data_first):
    client.force_login(member)

    response = client.get(reverse("profile_list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Default" in content
    assert "Data first" in content
    assert "Data availability 6" in content
    assert reverse("profile_create") not in content
    assert reverse("profile_make_default", args=[data_first.pk]) not in content


def test_manager_sees_the_actions(client, manager, data_first):
    client.force_login(manager)

    content = client.get(reverse("profile_list")).content.decode()

    assert reverse("profile_create") in content
    assert reverse("profile_edit", args=[data_first.pk]) in content
    assert reverse("profile_make_default", args=[data_first.pk]) in content


def test_manager_creates_a_profile_with_weight_overrides(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("profile_create"),
        profile_data(weight_data_availability="6", weight_accuracy_requirement="0"),
    )

    assert response.status_code == 302
    profile = ScoringProfile.objects.get(name="Data first")
    assert (profile.feasibility_threshold, profile.aggregation, profile.top_k) == (60, "median", 3)
    assert not profile.is_default
    overrides = dict(profile.weights.values_list("criterion__key", "weight"))
    assert overrides == {"data_availability": 6, "accuracy_requirement": 0}


def test_manager_edits_the_overrides_and_a_blank_one_goes_back_to_the_rubric(
    client, manager, data_first
):
    client.force_login(manager)

    response = client.post(
        reverse("profile_edit", args=[data_first.pk]),
        profile_data(weight_data_availability="", weight_prior_work="2.5"),
    )

    assert response.status_code == 302
    overrides = dict(data_first.weights.values_list("criterion__key", "weight"))
    assert overrides == {"prior_work": 2.5}


def test_edit_form_shows_the_current_overrides_and_rubric_weights(client, manager, data_first):
    client.force_login(manager)

    content = client.get(reverse("profile_edit", args=[data_first.pk])).content.decode()

    assert 'name="weight_data_availability" value="6' in content
    assert 'name="weight_business_value" placeholder="3"' in content


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"impact_threshold": "101"}, "impact_threshold"),
        ({"feasibility_threshold": "-1"}, "feasibility_threshold"),
        ({"top_k": "0"}, "top_k"),
        ({"top_k": "101"}, "top_k"),
        ({"weight_business_value": "11"}, "weight_business_value"),
    ],
)
def test_out_of_range_values_are_refused_next_to_the_field(client, manager, changes, field):
    client.force_login(manager)

    response = client.post(reverse("profile_create"), profile_data(**changes))

    assert response.status_code == 422
    content = response.content.decode()
    assert content.index(f'id="id_{field}"') < content.index(f'id="id_{field}_error"')
    assert not ScoringProfile.objects.filter(name="Data first").exists()


def test_duplicate_name_is_refused_next_to_the_field(client, manager, data_first):
    client.force_login(manager)

    response = client.post(reverse("profile_create"), profile_data(name="data FIRST"))

    assert response.status_code == 422
    content = response.content.decode()
    error_at = content.index('id="id_name_error"')
    assert "A profile with this name already exists." in content[error_at:]
    assert ScoringProfile.objects.count() == 2


def test_renaming_a_profile_keeps_its_own_name_allowed(client, manager, data_first):
    client.force_login(manager)

    response = client.post(
        reverse("profile_edit", args=[data_first.pk]), profile_data(name="Data first")
    )

    assert response.status_code == 302


def test_making_another_profile_default_keeps_exactly_one(client, manager, data_first):
    client.force_login(manager)

    response = client.post(reverse("profile_make_default", args=[data_first.pk]))

    assert response.status_code == 302
    assert default_names() == ["Data first"]


def test_making_default_with_htmx_returns_the_list(client, manager, data_first):
    client.force_login(manager)

    response = client.post(reverse("profile_make_default", args=[data_first.pk]), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "“Data first” is now the default profile." in content
    assert "HX-Request" in response["Vary"]
    assert default_names() == ["Data first"]


def test_making_the_default_default_again_changes_nothing(client, manager):
    client.force_login(manager)
    default = ScoringProfile.objects.get(is_default=True)

    client.post(reverse("profile_make_default", args=[default.pk]))

    assert default_names() == [default.name]


def test_member_cannot_make_a_profile_default(client, member, data_first):
    client.force_login(member)

    response = client.post(reverse("profile_make_default", args=[data_first.pk]))

    assert response.status_code == 403
    assert default_names() == ["Default"]


def test_member_cannot_create_or_edit_profiles(client, member, data_first):
    client.force_login(member)

    assert client.get(reverse("profile_create")).status_code == 403
    response = client.post(
        reverse("profile_edit", args=[data_first.pk]), profile_data(name="Mine now")
    )
    assert response.status_code == 403
    data_first.refresh_from_db()
    assert data_first.name == "Data first"


def test_unknown_profile_is_404(client, manager):
    client.force_login(manager)

    assert client.get(reverse("profile_edit", args=[9999])).status_code == 404
    assert client.post(reverse("profile_make_default", args=[9999])).status_code == 404


def test_manager_deletes_a_profile(client, manager, data_first):
    client.force_login(manager)

    response = client.post(reverse("profile_delete", args=[data_first.pk]))

    assert response.status_code == 302
    assert not ScoringProfile.objects.filter(pk=data_first.pk).exists()


def test_the_default_profile_cannot_be_deleted(client, manager):
    client.force_login(manager)
    default = ScoringProfile.objects.get(is_default=True)

    response = client.post(reverse("profile_delete", args=[default.pk]), **HTMX)

    assert "cannot be deleted" in response.content.decode()
    assert ScoringProfile.objects.filter(pk=default.pk).exists()


def test_member_cannot_delete_a_profile(client, member, data_first):
    client.force_login(member)

    assert client.post(reverse("profile_delete", args=[data_first.pk])).status_code == 403
    assert ScoringProfile.objects.filter(pk=data_first.pk).exists()


def test_profile_list_queries_do_not_grow_with_the_profiles(
    client, manager, data_first, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("profile_list")).status_code == 200

    criteria = list(Criterion.objects.all())
    for n in range(20):
        profile = ScoringProfile.objects.create(name=f"Profile {n}")
        ProfileWeight.objects.bulk_create(
            ProfileWeight(profile=profile, criterion=criterion, weight=n % 10)
            for criterion in criteria
        )
    with django_assert_max_num_queries(5):
        assert client.get(reverse("profile_list")).status_code == 200


def test_profile_form_queries_do_not_grow_with_the_criteria(
    client, manager, data_first, django_assert_max_num_queries
):
    url = reverse("profile_edit", args=[data_first.pk])
    client.force_login(manager)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200

    Criterion.objects.bulk_create(
        Criterion(key=f"extra_{n}", dimension="impact", name=f"Extra {n}") for n in range(30)
    )
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
