"""The rubric page: everyone reads it, managers edit criteria in place and add new ones."""

import pytest
from django.urls import reverse

from scoring.models import Criterion

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def criterion_data(criterion, **changes):
    data = {
        "name": criterion.name,
        "description": criterion.description,
        "guidance_1": criterion.guidance_1,
        "guidance_3": criterion.guidance_3,
        "guidance_5": criterion.guidance_5,
        "weight": criterion.weight,
        "higher_is_better": str(criterion.higher_is_better),
    }
    return data | changes


def new_criterion_data(**changes):
    data = {
        "key": "label_quality",
        "dimension": "feasibility",
        "name": "Label quality",
        "description": "Labels are consistent enough to learn from.",
        "guidance_1": "Labelers disagree on most examples",
        "guidance_3": "Labelers agree on most examples",
        "guidance_5": "A labeling guide; near-perfect agreement",
        "weight": "2",
        "higher_is_better": "True",
    }
    return data | changes


def edit_url(key="business_value"):
    return reverse("criterion_edit", args=[key])


def test_member_reads_the_rubric_grouped_by_dimension(client, member):
    client.force_login(member)

    response = client.get(reverse("rubric"))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index('id="dimension-impact"') < content.index("Business value")
    assert content.index("Business value") < content.index('id="dimension-feasibility"')
    assert content.index('id="dimension-feasibility"') < content.index("Data availability")
    assert "Changes a key business metric" in content  # guidance for 5
    assert "lower is better" in content  # the accuracy requirement
    assert "changing one changes every project's score" in content
    assert "Ratings are never changed" in content
    assert edit_url() not in content


def test_outsider_reads_the_rubric_too(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("rubric")).status_code == 200


def test_manager_sees_edit_buttons_and_the_add_form(client, manager):
    client.force_login(manager)

    content = client.get(reverse("rubric")).content.decode()

    assert edit_url() in content
    assert reverse("criterion_create") in content


def test_manager_gets_the_edit_form_in_place_with_htmx(client, manager):
    client.force_login(manager)

    response = client.get(edit_url(), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith(
        '<article class="card criterion editing" id="criterion-business_value"'
    )
    assert 'id="id_business_value_weight"' in content
    assert "HX-Request" in response["Vary"]


def test_manager_changes_a_weight_inline(client, manager):
    client.force_login(manager)
    criterion = Criterion.objects.get(key="business_value")

    response = client.post(edit_url(), criterion_data(criterion, weight="5"), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "weight 5" in content
    assert "HX-Request" in response["Vary"]
    criterion.refresh_from_db()
    assert criterion.weight == 5


def test_manager_saves_with_a_plain_form_post(client, manager):
    client.force_login(manager)
    criterion = Criterion.objects.get(key="accuracy_requirement")

    response = client.post(
        edit_url("accuracy_requirement"),
        criterion_data(criterion, name="Accuracy needed", higher_is_better="True"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("rubric") + "#criterion-accuracy_requirement"
    criterion.refresh_from_db()
    assert criterion.name == "Accuracy needed"
    assert criterion.higher_is_better is True


def test_weight_above_ten_is_refused_next_to_the_field(client, manager):
    client.force_login(manager)
    criterion = Criterion.objects.get(key="business_value")

    response = client.post(edit_url(), criterion_data(criterion, weight="11"), **HTMX)

    assert response.status_code == 422
    content = response.content.decode()
    assert "<html" not in content
    error_at = content.index('id="id_business_value_weight_error"')
    assert content.index('id="id_business_value_weight"') < error_at
    assert "less than or equal to 10" in content[error_at:]
    criterion.refresh_from_db()
    assert criterion.weight == 3


def test_invalid_plain_post_shows_the_whole_rubric_with_the_form_open(client, manager):
    client.force_login(manager)
    criterion = Criterion.objects.get(key="business_value")

    response = client.post(edit_url(), criterion_data(criterion, name="", weight="-1"))

    assert response.status_code == 422
    content = response.content.decode()
    assert "<html" in content
    assert 'id="id_business_value_weight_error"' in content
    assert 'id="id_business_value_name_error"' in content
    assert "Data availability" in content  # the rest of the rubric is still there


def test_cancel_brings_back_the_card(client, manager):
    client.force_login(manager)

    response = client.get(reverse("criterion", args=["business_value"]), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<form" not in content
    assert "Business value" in content


def test_member_cannot_edit_a_criterion(client, member):
    client.force_login(member)
    criterion = Criterion.objects.get(key="business_value")

    response = client.post(edit_url(), criterion_data(criterion, weight="9"))

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == 3


def test_lead_cannot_open_the_edit_form(client, lead):
    client.force_login(lead)

    assert client.get(edit_url()).status_code == 403


def test_unknown_criterion_is_404(client, manager):
    client.force_login(manager)

    assert client.get(edit_url("no_such_thing")).status_code == 404


def test_manager_adds_a_criterion_at_the_end_of_its_dimension(client, manager):
    client.force_login(manager)

    response = client.post(reverse("criterion_create"), new_criterion_data(), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="criterion-label_quality"' in content
    created = Criterion.objects.get(key="label_quality")
    feasibility = Criterion.objects.filter(dimension="feasibility").order_by("position")
    assert list(feasibility)[-1] == created


def test_new_criterion_with_a_duplicate_key_is_refused(client, manager):
    client.force_login(manager)
    count = Criterion.objects.count()

    response = client.post(
        reverse("criterion_create"), new_criterion_data(key="prior_work"), **HTMX
    )

    assert response.status_code == 422
    content = response.content.decode()
    error_at = content.index('id="id_new_key_error"')
    assert "A criterion with this key already exists." in content[error_at:]
    assert Criterion.objects.count() == count


def test_new_criterion_cannot_take_the_key_new(client, manager):
    client.force_login(manager)

    response = client.post(reverse("criterion_create"), new_criterion_data(key="new"))

    assert response.status_code == 422
    assert not Criterion.objects.filter(key="new").exists()


def test_member_cannot_add_a_criterion(client, member):
    client.force_login(member)

    response = client.post(reverse("criterion_create"), new_criterion_data())

    assert response.status_code == 403
    assert not Criterion.objects.filter(key="label_quality").exists()


def test_rubric_page_queries_do_not_grow_with_the_criteria(
    client, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("rubric")).status_code == 200

    Criterion.objects.bulk_create(
        Criterion(key=f"extra_{n}", dimension="impact", name=f"Extra {n}") for n in range(30)
    )
    with django_assert_max_num_queries(4):
        assert client.get(reverse("rubric")).status_code == 200


def test_edit_link_without_htmx_opens_the_form_in_the_whole_rubric(client, manager):
    client.force_login(manager)

    response = client.get(edit_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" in content
    assert 'id="id_business_value_weight"' in content
    assert 'id="id_prior_work_weight"' not in content
