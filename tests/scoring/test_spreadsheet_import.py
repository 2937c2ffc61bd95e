"""Proposals and ratings from a spreadsheet: CSV or XLSX, every problem named by its cell."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from portfolio.models import AuditEntry, Project, Rating
from scoring import interchange
from scoring.interchange import spreadsheet
from tests.scoring.test_interchange import counts

pytestmark = pytest.mark.django_db

HEADER = [
    "key",
    "title",
    "team",
    "archetype",
    "stage",
    "status",
    "summary",
    "effort_weeks",
    "expected_value",
    "success_likelihood",
]
CHURN = [
    "churn-model",
    "Churn prediction",
    "Growth",
    "improve",
    "data",
    "active",
    "Predict which subscribers will cancel next month.",
    8,
    250000,
    0.6,
]
RATINGS_HEADER = ["key", "rater", "criterion", "score", "note"]
CSV = (
    ",".join(HEADER) + "\n"
    "churn-model,Churn prediction,Growth,improve,data,active,"
    '"Predict which subscribers will cancel next month.",8,250000,0.6\n'
    "fraud-check,Fraud check,Payments,Automate a manual process,,,,2.5,,\n"
)


def workbook(projects=(), ratings=None, projects_title="Projects"):
    """XLSX bytes with a Projects sheet and, when given, a Ratings sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = projects_title
    for row in projects:
        sheet.append(row)
    if ratings is not None:
        rating_sheet = book.create_sheet("Ratings")
        for row in ratings:
            rating_sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


RATED = workbook(
    [HEADER, CHURN],
    [
        RATINGS_HEADER,
        ["churn-model", "alice", "data_availability", 4, "Labels exist"],
        ["churn-model", "bob", "business_value", 2],
    ],
)


def problems(kind, data):
    with pytest.raises(interchange.InvalidDocument) as refused:
        spreadsheet.read(kind, data).preview()
    return [str(problem) for problem in refused.value.problems]


def refused_at_once(kind, data):
    with pytest.raises(interchange.InvalidDocument) as refused:
        spreadsheet.read(kind, data)
    return [str(problem) for problem in refused.value.problems]


def state():
    """Everything an import could touch, to tell that a second one touched nothing."""
    return (
        counts(),
        sorted(Project.objects.values_list("key", "version", "updated_at")),
        sorted(Rating.objects.values_list("pk", "score", "note", "updated_at")),
        AuditEntry.objects.count(),
    )


# --- Reading -------------------------------------------------------------------------


def test_a_csv_file_creates_its_projects_and_teams(manager):
    summary = spreadsheet.read("csv", CSV.encode()).import_document(user=manager)

    assert summary.projects_created == ["churn-model", "fraud-check"]
    assert summary.teams_created == ["Growth", "Payments"]
    churn = Project.objects.get(key="churn-model")
    assert (churn.title, churn.team.name, churn.archetype, churn.stage, churn.status) == (
        "Churn prediction",
        "Growth",
        "improve",
        "data",
        "active",
    )
    assert (churn.effort_weeks, churn.expected_value, churn.success_likelihood) == (
        8,
        250000,
        0.6,
    )
    assert churn.audit_entries.get().user == manager
    fraud = Project.objects.get(key="fraud-check")
    # An archetype may be written as Quadrant names it; empty cells leave the defaults.
    assert (fraud.archetype, fraud.stage, fraud.effort_weeks, fraud.expected_value) == (
        "automate",
        "planning",
        2.5,
        None,
    )


def test_a_csv_file_with_a_bom_and_semicolons_is_read():
    data = "\ufeff" + CSV.replace(",", ";").replace("cancel next month.", "cancel soon.")

    spreadsheet.read("csv", data.encode()).import_document()

    assert Project.objects.get(key="churn-model").summary == (
        "Predict which subscribers will cancel soon."
    )


def test_an_xlsx_workbook_creates_projects_with_their_ratings():
    sheet = spreadsheet.read("xlsx", RATED)
    previewed = sheet.preview()

    summary = sheet.import_document()

    assert summary == previewed

    assert summary.users_created == ["alice", "bob"]
    assert summary.ratings == 2
    project = Project.objects.get(key="churn-model")
    assert sorted(
        project.ratings.values_list("rater__username", "criterion__key", "score", "note")
    ) == [
        ("alice", "data_availability", 4, "Labels exist"),
        ("bob", "business_value", 2, ""),
    ]


def test_an_empty_ratings_sheet_is_no_table():
    data = workbook([HEADER, CHURN], ratings=[])

    assert spreadsheet.read("xlsx", data).preview().projects_created == ["churn-model"]


def test_the_first_sheet_holds_the_projects_when_none_is_named_so():
    data = workbook([HEADER, CHURN], projects_title="Sheet1")

    assert spreadsheet.read("xlsx", data).preview().projects_created == ["churn-model"]


def test_a_ratings_csv_rates_stored_projects_and_leaves_them_as_they_are(project, lead):
    data = "key,rater,criterion,score,note\ndefect-detector,lena,business_value,5,Clear win\n"

    summary = spreadsheet.read("csv", data.encode()).import_document()

    assert summary.ratings == 1
    rating = Rating.objects.get(project=project)
    assert (rating.rater, rating.criterion.key, rating.score) == (lead, "business_value", 5)
    project.refresh_from_db()
    assert (project.title, project.team.name, project.archetype) == (
        "Defect detector",
        "Vision",
        "automate",
    )


def test_numbers_typed_as_numbers_in_xlsx_and_keys_that_look_like_numbers_are_read():
    data = workbook(
        [HEADER, [2027, "Planning 2027", "Growth", "augment", None, None, None, 3.0, 10, 1]],
        [RATINGS_HEADER, [2027, "alice", "business_value", 3.0]],
    )

    spreadsheet.read("xlsx", data).import_document()

    project = Project.objects.get(key="2027")
    assert (project.effort_weeks, project.expected_value, project.success_likelihood) == (3, 10, 1)
    assert project.ratings.get().score == 3


# --- Problems by row and column ------------------------------------------------------


def test_every_problem_is_named_by_its_row_and_column(project):
    data = (
        ",".join(HEADER) + "\n"
        "churn-model,Churn prediction,Growth,improv,,,,abc,,0.6\n"
        "fraud-check,Fraud check,Payments,automate,,someday,,,-1,1.5\n"
        "churn-model,Churn again,Growth,improve,,,,,,\n"
    )

    assert problems("csv", data.encode()) == [
        'Projects row 2, column archetype: "improv" is not one of improve, augment, automate',
        'Projects row 2, column effort_weeks: "abc" is not a number',
        'Projects row 3, column status: "someday" is not one of proposed, active, on_hold, '
        "done, rejected",
        "Projects row 3, column expected_value: -1 is below 0",
        "Projects row 3, column success_likelihood: 1.5 is not in 0–1",
        'Projects row 4, column key: "churn-model" is repeated (first at Projects row 2, '
        "column key)",
    ]


def test_rating_problems_are_named_by_their_row_in_the_ratings_sheet(project):
    data = workbook(
        [HEADER, CHURN],
        [
            RATINGS_HEADER,
            ["churn-model", "alice", "business_value", 7],
            ["no-such-project", "alice", "business_value", 3],
            ["churn-model", "alice", "business_value", 2],
            ["churn-model", None, "reach", 2.5],
        ],
    )

    assert problems("xlsx", data) == [
        "Ratings row 2, column score: 7 is not in 1–5",
        'Ratings row 3, column key: "no-such-project" is neither a project of the file nor a '
        "stored project",
        'Ratings row 4: "alice" rated "business_value" twice (first at Ratings row 2)',
        "Ratings row 5, column rater: is required",
        'Ratings row 5, column criterion: "reach" is not a criterion of the rubric in the file '
        "or in the database",
        "Ratings row 5, column score: 2.5 is not an integer",
    ]


def test_a_value_outside_the_named_columns_is_a_problem():
    data = ",".join(HEADER) + "\n" + ",".join(str(value) for value in CHURN) + ",surprise\n"

    assert problems("csv", data.encode()) == [
        "Projects row 2, column K: a value in a column without a name in row 1"
    ]


def test_a_file_with_a_wrong_row_changes_nothing(project):
    data = CSV + "bad-one,Bad,Growth,improve,,,,abc,,\n"
    before = counts()

    with pytest.raises(interchange.InvalidDocument):
        spreadsheet.read("csv", data.encode()).import_document()

    assert counts() == before


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "key,title,team",
            ['Projects row 1: the required column "archetype" is missing'],
        ),
        (
            "key,title,team,archetype,colour",
            [
                'Projects row 1, column E: "colour" is not a column of this sheet; the columns '
                "are key, title, team, archetype, stage, status, summary, effort_weeks, "
                "expected_value, success_likelihood"
            ],
        ),
        (
            "key,title,team,archetype,Title",
            ["Projects row 1, column title: the column appears twice"],
        ),
        (
            "key,rater,criterion",
            ['Ratings row 1: the required column "score" is missing'],
        ),
    ],
)
def test_a_wrong_header_is_refused_at_once(header, expected):
    data = f"{header}\nchurn-model,Churn,Growth,improve,x\n"

    assert refused_at_once("csv", data.encode()) == expected


def test_headers_are_read_as_people_write_them():
    data = "Key,Title,Team,Archetype,Effort weeks\nchurn-model,Churn,Growth,improve,3\n"

    spreadsheet.read("csv", data.encode()).import_document()

    assert Project.objects.get(key="churn-model").effort_weeks == 3


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("csv", b"", "The file is empty."),
        ("csv", b"\n ,\n", "The file is empty."),
        ("csv", ",".join(HEADER).encode(), "The file has no rows below its header."),
        ("csv", b"key,title\n\xff\n", "The file is not UTF-8 text."),
        ("xlsx", b"PK\x03\x04 not really", "The file cannot be opened as an XLSX workbook."),
        ("xlsx", CSV.encode(), "The file cannot be opened as an XLSX workbook."),
        ("xlsx", workbook(), "The file is empty."),
        (
            "xlsx",
            workbook([[], [*CHURN]]),
            "Projects row 1: row 1 must name the columns, e.g. "
            "key, title, team, archetype, stage, status, summary, effort_weeks, expected_value, "
            "success_likelihood",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(kind, data, expected):
    assert refused_at_once(kind, data) == [expected]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("proposals.CSV", b"key", "csv"),
        ("proposals.xlsx", b"anything", "xlsx"),
        ("proposals", b"PK\x03\x04...", "xlsx"),
        ("portfolio.json", b"{}", "json"),
        ("download", b'\xef\xbb\xbf {"format": 1}', "json"),
    ],
)
def test_the_kind_of_file_is_told_by_its_name_or_its_first_bytes(name, data, kind):
    assert spreadsheet.kind_of(name, data) == kind


def test_a_file_that_is_neither_json_csv_nor_xlsx_is_refused():
    with pytest.raises(interchange.InvalidDocument) as refused:
        spreadsheet.kind_of("notes.txt", b"key,title")

    assert str(refused.value) == (
        "The file is neither JSON, CSV nor XLSX (name it .json, .csv or .xlsx)."
    )


# --- Importing again -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data", "keys"),
    [("csv", CSV.encode(), ["churn-model", "fraud-check"]), ("xlsx", RATED, ["churn-model"])],
)
def test_importing_the_same_file_again_changes_nothing(kind, data, keys, manager):
    spreadsheet.read(kind, data).import_document(user=manager)
    before = state()

    summary = spreadsheet.read(kind, data).import_document(user=manager)

    assert state() == before
    assert (summary.projects_created, summary.projects_updated) == ([], [])
    assert summary.projects_unchanged == keys
    assert (summary.teams_created, summary.users_created, summary.ratings) == ([], [], 0)


def test_a_changed_cell_updates_only_its_project(manager):
    spreadsheet.read("csv", CSV.encode()).import_document(user=manager)
    versions = dict(Project.objects.values_list("key", "version"))

    changed = CSV.replace("Fraud check", "Fraud screening")
    summary = spreadsheet.read("csv", changed.encode()).import_document(user=manager)

    assert (summary.projects_updated, summary.projects_unchanged) == (
        ["fraud-check"],
        ["churn-model"],
    )
    assert dict(Project.objects.values_list("key", "version")) == versions | {
        "fraud-check": versions["fraud-check"] + 1
    }


# --- Templates -----------------------------------------------------------------------


def test_the_templates_hold_the_columns_and_an_example_that_imports():
    projects_csv = spreadsheet.template_csv(spreadsheet.PROJECTS)
    ratings_csv = spreadsheet.template_csv(spreadsheet.RATINGS)
    book = load_workbook(io.BytesIO(spreadsheet.template_xlsx()), read_only=True)

    assert projects_csv.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)
    assert ratings_csv.decode("utf-8-sig").splitlines()[0] == ",".join(RATINGS_HEADER)
    assert book.sheetnames == ["Projects", "Ratings"]
    assert next(book["Ratings"].iter_rows(values_only=True)) == tuple(RATINGS_HEADER)
    summary = spreadsheet.read("xlsx", spreadsheet.template_xlsx()).import_document()
    assert (summary.projects_created, summary.ratings) == (["churn-model"], 1)


# --- The import page -----------------------------------------------------------------

URL = reverse("portfolio_import")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def upload(client, name, data):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def confirm(client, preview_url):
    page = client.get(preview_url).content.decode()
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)
    return client.post(preview_url, {"digest": digest})


def test_the_page_offers_spreadsheets_and_their_templates(manager_client):
    content = manager_client.get(URL).content.decode()

    assert 'accept=".json,.csv,.xlsx' in content
    for name in ["portfolio.xlsx", "projects.csv", "ratings.csv"]:
        assert reverse("portfolio_import_template", args=[name]) in content
    assert "<code>effort_weeks</code>" in content


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("portfolio.xlsx", XLSX_TYPE),
        ("projects.csv", "text/csv; charset=utf-8"),
        ("ratings.csv", "text/csv; charset=utf-8"),
    ],
)
def test_a_manager_downloads_a_template(manager_client, name, content_type):
    response = manager_client.get(reverse("portfolio_import_template", args=[name]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="quadrant-{name}"'


def test_an_unknown_template_is_not_found(manager_client):
    url = reverse("portfolio_import_template", args=["secrets.txt"])

    assert manager_client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["lead", "member", "outsider"])
def test_only_managers_may_import_spreadsheets_or_download_templates(client, who, request):
    client.force_login(request.getfixturevalue(who))

    assert upload(client, "proposals.csv", CSV.encode()).status_code == 403
    template_url = reverse("portfolio_import_template", args=["portfolio.xlsx"])
    assert client.get(template_url).status_code == 403
    assert not Project.objects.filter(key="churn-model").exists()


def test_upload_preview_and_confirm_a_workbook(manager_client, manager):
    preview_url = upload(manager_client, "proposals.xlsx", RATED)["Location"]

    preview = manager_client.get(preview_url)
    response = confirm(manager_client, preview_url)

    assert preview.status_code == 200
    assert "Preview of “proposals.xlsx”" in preview.content.decode()
    assert response["Location"] == URL
    assert Project.objects.get(key="churn-model").ratings.count() == 2
    page = manager_client.get(URL).content.decode()
    assert "Imported: 1 projects created, 0 updated, 0 unchanged" in page


def test_the_preview_shows_each_problem_by_sheet_row_and_column(manager_client):
    data = CSV.replace("improve", "improv").replace(",8,", ",abc,")
    before = counts()

    response = manager_client.get(
        upload(manager_client, "proposals.csv", data.encode())["Location"]
    )

    assert response.status_code == 422
    content = response.content.decode()
    assert '<th scope="col">Row</th><th scope="col">Column</th>' in content
    rows = re.findall(
        r'<tr><td>(.*?)</td><td class="number">(.*?)</td><td><code>(.*?)</code></td>'
        r"<td>(.*?)</td></tr>",
        content,
    )
    assert rows == [
        (
            "Projects",
            "2",
            "archetype",
            "&quot;improv&quot; is not one of improve, augment, automate",
        ),
        ("Projects", "2", "effort_weeks", "&quot;abc&quot; is not a number"),
    ]
    assert 'name="digest"' not in content
    assert counts() == before


def test_a_wrong_header_is_refused_on_upload(manager_client, media_root):
    response = upload(manager_client, "proposals.csv", b"key,title,team\nx,y,z\n")

    assert response.status_code == 422
    assert "the required column &quot;archetype&quot; is missing" in response.content.decode()
    assert not (media_root / "imports").exists() or not list((media_root / "imports").iterdir())


def test_the_preview_of_a_file_imported_before_says_unchanged(manager_client):
    confirm(manager_client, upload(manager_client, "proposals.csv", CSV.encode())["Location"])

    preview_url = upload(manager_client, "proposals.csv", CSV.encode())["Location"]
    content = manager_client.get(preview_url).content.decode()

    assert re.search(
        r'<th scope="row">Projects unchanged</th>\s*<td class="number">2</td>\s*'
        r'<td class="muted">churn-model, fraud-check</td>',
        content,
    )


def test_preview_queries_do_not_grow_with_the_rows(
    manager_client, project, django_assert_max_num_queries
):
    for size in (3, 30):
        projects = [HEADER] + [
            [f"project-{n}", f"P {n}", f"Team {n}", "improve"] for n in range(size)
        ]
        ratings = [RATINGS_HEADER, ["defect-detector", "lena", "business_value", 3]] + [
            [f"project-{n}", f"rater-{n}", "business_value", 3] for n in range(size)
        ]
        preview_url = upload(manager_client, "big.xlsx", workbook(projects, ratings))["Location"]
        with django_assert_max_num_queries(10):
            assert manager_client.get(preview_url).status_code == 200
