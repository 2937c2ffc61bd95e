"""The import page: managers upload a portfolio file, see a preview, confirm it."""

import copy
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portfolio.models import Project
from scoring.forms import MAX_BYTES
from tests.factories import ManagerFactory
from tests.scoring.test_interchange import VALID, counts

pytestmark = pytest.mark.django_db

URL = reverse("portfolio_import")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, document, name="portfolio.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "application/json")})


def confirm(client, preview_url, digest=None):
    if digest is None:
        digest = re.search(r'name="digest" value="(\w+)"', client.get(preview_url).content.decode())
        digest = digest.group(1)
    return client.post(preview_url, {"digest": digest})


def stored_uploads(media_root):
    folder = media_root / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# --- Who may import ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "member", "outsider"])
def test_only_managers_may_open_the_import_page(client, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert upload(client, VALID).status_code == 403
    assert not Project.objects.filter(key="churn-model").exists()


def test_a_lead_cannot_confirm_a_managers_upload(manager_client, lead):
    preview_url = upload(manager_client, VALID)["Location"]
    other = Client()
    other.force_login(lead)

    response = other.post(preview_url, {"digest": "anything"})

    assert response.status_code == 403
    assert not Project.objects.filter(key="churn-model").exists()


def test_manager_sees_the_upload_form(manager_client):
    response = manager_client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert reverse("project_list") in content


# --- Upload and preview --------------------------------------------------------------


def test_a_file_that_is_not_json_is_refused_at_once(manager_client, media_root):
    response = upload(manager_client, b"{not json")

    assert response.status_code == 422
    assert "The file is not valid JSON" in response.content.decode()
    assert stored_uploads(media_root) == []


def test_a_file_over_the_size_limit_is_refused(manager_client, media_root):
    response = upload(manager_client, b" " * (MAX_BYTES + 1))

    assert response.status_code == 422
    assert "the limit is 10 MB" in response.content.decode()
    assert stored_uploads(media_root) == []


def test_preview_lists_every_error_with_its_place_and_changes_nothing(manager_client, project):
    document = copy.deepcopy(VALID)
    document["projects"][0]["ratings"][1]["score"] = 7
    document["projects"][0]["colour"] = "red"
    before = counts()

    response = manager_client.get(upload(manager_client, document)["Location"])

    assert response.status_code == 422
    content = response.content.decode()
    assert "The file has 2 errors" in content
    rows = re.findall(r"<tr><td><code>(.*?)</code></td><td>(.*?)</td></tr>", content)
    assert rows == [
        ("projects[0].colour", "unknown field"),
        ("projects[0].ratings[1].score", "7 is not in 1–5"),
    ]
    assert 'name="digest"' not in content
    assert counts() == before


def test_preview_summarises_what_will_be_created_and_updated(manager_client, project):
    document = copy.deepcopy(VALID)
    document["projects"].append(
        {
            "key": "defect-detector",
            "title": "Defect detector v2",
            "team": "Vision",
            "archetype": "automate",
        }
    )
    before = counts()

    response = manager_client.get(upload(manager_client, document)["Location"])

    assert response.status_code == 200
    summary = {
        label: (int(count), names)
        for label, count, names in re.findall(
            r'<th scope="row">(.*?)</th>\s*<td class="number">(\d+)</td>\s*'
            r'<td class="muted">(.*?)</td>',
            response.content.decode(),
        )
    }
    assert summary["New projects"] == (1, "churn-model")
    assert summary["Projects updated"] == (1, "defect-detector")
    assert summary["Projects unchanged"] == (0, "")
    assert summary["New teams"] == (1, "Growth")
    assert summary["New users (inactive, without a password)"] == (2, "alice, bob")
    assert "Ratings added or replaced" in response.content.decode()
    assert counts() == before


def test_preview_queries_do_not_grow_with_the_file(manager_client, django_assert_max_num_queries):
    for size in (3, 30):
        document = copy.deepcopy(VALID)
        template = document["projects"][0]
        document["projects"] = [
            template | {"key": f"project-{number}", "team": f"Team {number}"}
            for number in range(size)
        ]
        preview_url = upload(manager_client, document)["Location"]
        with django_assert_max_num_queries(8):
            assert manager_client.get(preview_url).status_code == 200


# --- Confirm -------------------------------------------------------------------------


def test_confirm_imports_the_previewed_file_and_says_so(manager_client, manager, media_root):
    preview_url = upload(manager_client, VALID)["Location"]

    response = confirm(manager_client, preview_url)

    assert response.status_code == 302
    assert response["Location"] == URL
    project = Project.objects.get(key="churn-model")
    assert project.audit_entries.get().user == manager
    page = manager_client.get(URL).content.decode()
    assert (
        "Imported: 1 projects created, 0 updated, 0 unchanged, 1 new teams, 2 new users, "
        "2 ratings." in page
    )
    assert reverse("project_list") in page
    assert stored_uploads(media_root) == []


def test_confirming_twice_imports_once(manager_client):
    preview_url = upload(manager_client, VALID)["Location"]
    digest = re.search(
        r'name="digest" value="(\w+)"', manager_client.get(preview_url).content.decode()
    ).group(1)
    confirm(manager_client, preview_url, digest)
    before = counts()

    response = confirm(manager_client, preview_url, digest)

    assert response["Location"] == URL
    assert counts() == before
    assert "no longer waiting" in manager_client.get(URL).content.decode()


def test_a_made_up_token_fails_cleanly(manager_client):
    upload(manager_client, VALID)
    before = counts()

    response = manager_client.post(reverse("portfolio_import_preview", args=["forged"]), {})

    assert response.status_code == 302
    assert counts() == before
    assert "no longer waiting" in manager_client.get(URL).content.decode()


def test_another_managers_session_cannot_confirm_the_upload(manager_client):
    preview_url = upload(manager_client, VALID)["Location"]
    digest = re.search(
        r'name="digest" value="(\w+)"', manager_client.get(preview_url).content.decode()
    ).group(1)
    other = Client()
    other.force_login(ManagerFactory(username="morgan"))
    before = counts()

    response = confirm(other, preview_url, digest)

    assert response.status_code == 302
    assert counts() == before


def test_a_confirmation_for_another_file_changes_nothing(manager_client):
    preview_url = upload(manager_client, VALID)["Location"]
    before = counts()

    response = confirm(manager_client, preview_url, digest="0" * 64)

    assert response["Location"] == preview_url
    assert counts() == before
    assert "not the file you previewed" in manager_client.get(preview_url).content.decode()


def test_a_new_upload_replaces_the_one_waiting(manager_client, media_root):
    first = upload(manager_client, VALID)["Location"]
    second = upload(manager_client, VALID)["Location"]

    assert first != second
    assert len(stored_uploads(media_root)) == 1
    assert manager_client.get(first)["Location"] == URL
    assert manager_client.get(second).status_code == 200
