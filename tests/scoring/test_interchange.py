"""The portfolio interchange format: export, every problem with its place, import."""

import copy
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from portfolio import services
from portfolio.models import (
    Answer,
    AuditEntry,
    Baseline,
    Metric,
    Project,
    Rating,
    StageTransition,
    Team,
)
from scoring import interchange
from scoring.models import Criterion
from tests.factories import BaselineFactory, MetricFactory, ProjectFactory

pytestmark = pytest.mark.django_db

REMOVED = object()

VALID = {
    "format": "ml-portfolio",
    "version": 1,
    "exported_at": "2026-11-23T12:00:00Z",
    "rubric": [
        {
            "key": "data_availability",
            "dimension": "feasibility",
            "name": "Data availability",
            "weight": 3,
            "higher_is_better": True,
            "guidance": "1 = no data and costly labels … 5 = ample labeled data",
        }
    ],
    "projects": [
        {
            "key": "churn-model",
            "title": "Churn prediction",
            "team": "Growth",
            "archetype": "improve",
            "stage": "planning",
            "status": "proposed",
            "summary": "Predict which subscribers will cancel next month.",
            "effort_weeks": 8,
            "expected_value": 250000,
            "success_likelihood": 0.6,
            "ratings": [
                {"rater": "alice", "criterion": "data_availability", "score": 4, "note": ""},
                {"rater": "bob", "criterion": "business_value", "score": 2, "note": "Meh"},
            ],
        }
    ],
}


def changed(place, value):
    """A copy of the valid document with the value at `place` set (or REMOVED)."""
    document = copy.deepcopy(VALID)
    *parents, last = [
        int(token[1:-1]) if token.startswith("[") else token
        for token in re.findall(r"\w+|\[\d+\]", place)
    ]
    target = document
    for token in parents:
        target = target[token]
    if value is REMOVED:
        del target[last]
    else:
        target[last] = value
    return document


def problems(document):
    return [str(problem) for problem in interchange.validate(document)]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [
            Project,
            Team,
            get_user_model(),
            Rating,
            Criterion,
            Metric,
            Baseline,
            Answer,
            StageTransition,
            AuditEntry,
        ]
    }


def without_exported_at(document):
    return {name: value for name, value in document.items() if name != "exported_at"}


@pytest.fixture
def rated_portfolio(project, lead, member, outsider, other_team):
    """Lena's project with everything we store, and a sparse one on the Search team."""
    criteria = Criterion.objects.in_bulk(field_name="key")
    business_value = criteria["business_value"]
    business_value.weight = 2.5
    business_value.save()
    services.rate_project(
        project=project,
        rater=lead,
        criterion=criteria["data_availability"],
        score=4,
        note="Labels exist",
    )
    services.rate_project(
        project=project, rater=member, criterion=criteria["data_availability"], score=2
    )
    services.rate_project(project=project, rater=lead, criterion=business_value, score=5)
    recall = MetricFactory(
        project=project, name="recall", role="optimizing", direction="ge", threshold=0.95
    )
    MetricFactory(project=project, name="latency", threshold=100, current=120.5, unit="ms")
    BaselineFactory(project=project, kind="domain_experts", value=0.9, metric=recall)
    BaselineFactory(project=project, kind="rule_based", value=0.7, source="https://example.com")
    services.answer_question(
        project=project, user=lead, question="check_need_ml", value="yes", note="Rules miss half"
    )
    services.move_stage(project=project, user=lead, to_stage="data")
    services.move_stage(
        project=project, user=lead, to_stage="planning", reason="Data too hard to get"
    )
    ranker = ProjectFactory(
        key="query-ranker",
        title="Query ranker",
        team=other_team,
        status="on_hold",
        effort_weeks=None,
        expected_value=None,
        success_likelihood=None,
        blind_rating=True,
    )
    services.rate_project(project=ranker, rater=outsider, criterion=criteria["automation"], score=1)
    return project


# --- Export --------------------------------------------------------------------------


def test_export_writes_the_spec_fields_and_whole_numbers_without_decimals(rated_portfolio):
    document = interchange.export_document()

    assert document["format"] == "ml-portfolio"
    assert document["version"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["exported_at"])
    business_value = next(c for c in document["rubric"] if c["key"] == "business_value")
    assert business_value["weight"] == 2.5
    data_availability = next(c for c in document["rubric"] if c["key"] == "data_availability")
    assert data_availability["weight"] == 3
    assert isinstance(data_availability["weight"], int)
    assert data_availability["guidance"] == (
        "1 = No data and costly labels · 3 = Some data; labeling is affordable but slow"
        " · 5 = Ample labeled data, stable and cleared for use"
    )
    assert data_availability["guidance_5"] == "Ample labeled data, stable and cleared for use"
    assert [project["key"] for project in document["projects"]] == [
        "defect-detector",
        "query-ranker",
    ]
    detector = document["projects"][0]
    assert {name: detector[name] for name in ["team", "effort_weeks", "success_likelihood"]} == {
        "team": "Vision",
        "effort_weeks": 12,
        "success_likelihood": 0.5,
    }
    assert detector["ratings"] == [
        {"rater": "lena", "criterion": "business_value", "score": 5, "note": ""},
        {"rater": "lena", "criterion": "data_availability", "score": 4, "note": "Labels exist"},
        {"rater": "max", "criterion": "data_availability", "score": 2, "note": ""},
    ]
    assert [move["from"] for move in detector["stage_history"]] == [None, "planning", "data"]
    assert detector["baselines"][0]["metric"] == "recall"
    assert detector["metrics"][0] == {
        "name": "latency",
        "role": "satisficing",
        "direction": "le",
        "threshold": 100,
        "current": 120.5,
        "unit": "ms",
    }
    ranker = document["projects"][1]
    assert ranker["owner"] is None
    assert ranker["effort_weeks"] is None
    assert ranker["blind_rating"] is True


def test_export_then_import_into_an_empty_database_gives_the_same_document(rated_portfolio):
    exported = interchange.export_document()
    Project.objects.all().delete()
    Team.objects.all().delete()
    Criterion.objects.all().delete()
    get_user_model().objects.all().delete()

    interchange.import_document(json.loads(interchange.dumps(exported)))

    assert without_exported_at(interchange.export_document()) == without_exported_at(exported)
    assert Criterion.objects.count() == 9


def test_exporting_twice_gives_the_same_document(rated_portfolio):
    first = interchange.export_document()
    second = interchange.export_document()

    assert interchange.dumps(without_exported_at(first)) == interchange.dumps(
        without_exported_at(second)
    )


# --- Problems, each with its place ---------------------------------------------------


def test_the_specs_example_is_valid():
    assert problems(VALID) == []


@pytest.mark.parametrize(
    ("place", "value", "expected"),
    [
        ("projects[0].ratings[1].score", 7, "projects[0].ratings[1].score: 7 is not in 1–5"),
        ("projects[0].ratings[1].score", 0, "projects[0].ratings[1].score: 0 is not in 1–5"),
        (
            "projects[0].ratings[1].score",
            4.5,
            "projects[0].ratings[1].score: 4.5 is not an integer",
        ),
        (
            "projects[0].ratings[1].score",
            True,
            "projects[0].ratings[1].score: true is not an integer",
        ),
        (
            "projects[0].ratings[1].score",
            "4",
            'projects[0].ratings[1].score: "4" is not an integer',
        ),
        ("projects[0].ratings[1].score", REMOVED, "projects[0].ratings[1].score: is required"),
        (
            "projects[0].ratings[1].criterion",
            "vibes",
            'projects[0].ratings[1].criterion: "vibes" is not a criterion of the rubric in the '
            "file or in the database",
        ),
        (
            "projects[0].ratings[0].rater",
            "Alice Smith",
            'projects[0].ratings[0].rater: "Alice Smith" is not a username '
            "(letters, digits and @ . + - _)",
        ),
        ("projects[0].ratings[0].stars", 5, "projects[0].ratings[0].stars: unknown field"),
        (
            "projects[0].ratings[0]",
            "alice: 4",
            'projects[0].ratings[0]: "alice: 4" is not an object',
        ),
        ("projects[0].ratings", {}, "projects[0].ratings: {} is not a list"),
        ("rubric[0].weight", 11, "rubric[0].weight: 11 is not in 0–10"),
        ("rubric[0].weight", -1, "rubric[0].weight: -1 is not in 0–10"),
        ("rubric[0].weight", True, "rubric[0].weight: true is not a number"),
        ("rubric[0].weight", "3", 'rubric[0].weight: "3" is not a number'),
        ("rubric[0].weight", None, "rubric[0].weight: null is not a number"),
        (
            "rubric[0].dimension",
            "cost",
            'rubric[0].dimension: "cost" is not one of impact, feasibility',
        ),
        (
            "rubric[0].higher_is_better",
            "yes",
            'rubric[0].higher_is_better: "yes" is not true or false',
        ),
        ("rubric[0].higher_is_better", 1, "rubric[0].higher_is_better: 1 is not true or false"),
        (
            "rubric[0].key",
            "Data availability",
            'rubric[0].key: "Data availability" is not a key (letters, digits, - and _)',
        ),
        ("rubric[0].name", REMOVED, "rubric[0].name: is required"),
        ("rubric[0].colour", "red", "rubric[0].colour: unknown field"),
        (
            "projects[0].key",
            "churn model",
            'projects[0].key: "churn model" is not a key (letters, digits, - and _)',
        ),
        ("projects[0].title", "  ", "projects[0].title: must not be empty"),
        ("projects[0].title", "x" * 201, "projects[0].title: is longer than 200 characters"),
        ("projects[0].team", REMOVED, "projects[0].team: is required"),
        ("projects[0].team", None, "projects[0].team: null is not a string"),
        (
            "projects[0].archetype",
            "replace",
            'projects[0].archetype: "replace" is not one of improve, augment, automate',
        ),
        (
            "projects[0].stage",
            "production",
            'projects[0].stage: "production" is not one of planning, data, training, deployment',
        ),
        (
            "projects[0].status",
            "maybe",
            'projects[0].status: "maybe" is not one of proposed, active, on_hold, done, rejected',
        ),
        ("projects[0].effort_weeks", -1, "projects[0].effort_weeks: -1 is below 0"),
        ("projects[0].effort_weeks", "8", 'projects[0].effort_weeks: "8" is not a number'),
        ("projects[0].expected_value", True, "projects[0].expected_value: true is not a number"),
        (
            "projects[0].success_likelihood",
            1.5,
            "projects[0].success_likelihood: 1.5 is not in 0–1",
        ),
        (
            "projects[0].success_likelihood",
            -0.1,
            "projects[0].success_likelihood: -0.1 is not in 0–1",
        ),
        (
            "projects[0].success_likelihood",
            "60%",
            'projects[0].success_likelihood: "60%" is not a number',
        ),
        ("projects[0].blind_rating", "no", 'projects[0].blind_rating: "no" is not true or false'),
        ("projects[0].owner", "", "projects[0].owner: must not be empty"),
        ("projects[0].colour", "red", "projects[0].colour: unknown field"),
        ("projects[0]", 5, "projects[0]: 5 is not an object"),
        ("projects", "none", 'projects: "none" is not a list'),
        ("projects", REMOVED, "projects: is required"),
        ("comment", "hi", "comment: unknown field"),
        (
            "exported_at",
            "yesterday",
            'exported_at: "yesterday" is not a date and time such as 2026-11-23T12:00:00Z',
        ),
        (
            "projects[0].metrics",
            [{"name": "latency", "role": "optimizing", "direction": "<", "threshold": 100}],
            'projects[0].metrics[0].direction: "<" is not one of le, ge',
        ),
        (
            "projects[0].metrics",
            [{"name": "latency", "role": "satisficing", "direction": "le"}],
            "projects[0].metrics[0].threshold: is required",
        ),
        (
            "projects[0].baselines",
            [{"kind": "guess", "value": 0.5}],
            'projects[0].baselines[0].kind: "guess" is not one of published, requirement, '
            "rule_based, simple_ml, random_people, random_ensemble, domain_experts, "
            "deep_experts, expert_mixture",
        ),
        (
            "projects[0].baselines",
            [{"kind": "published", "value": 0.5, "metric": "recall"}],
            'projects[0].baselines[0].metric: "recall" is not a metric of this project',
        ),
        (
            "projects[0].answers",
            [{"question": "are_we_sure", "value": "yes"}],
            'projects[0].answers[0].question: "are_we_sure" is not a key question or '
            "checklist item",
        ),
        (
            "projects[0].answers",
            [{"question": "check_ethics", "value": "maybe"}],
            'projects[0].answers[0].value: "maybe" is not one of yes, no, unknown',
        ),
        (
            "projects[0].stage_history",
            [{"from": None, "to": "planning", "at": "2026-01-05T09:00:00"}],
            'projects[0].stage_history[0].at: "2026-01-05T09:00:00" has no time zone '
            "(end it with Z)",
        ),
        (
            "projects[0].stage_history",
            [{"from": "data", "to": "data", "at": "2026-01-05T09:00:00Z"}],
            'projects[0].stage_history[0].to: "data" is the same stage as "from"',
        ),
    ],
)
def test_a_bad_value_is_named_with_its_place(place, value, expected):
    assert problems(changed(place, value)) == [expected]


def test_every_problem_is_listed_not_only_the_first():
    document = changed("projects[0].ratings[1].score", 7)
    document["projects"][0]["archetype"] = "replace"
    document["projects"].append(copy.deepcopy(document["projects"][0]) | {"key": "other"})
    document["projects"][1]["ratings"][0]["score"] = 9

    assert problems(document) == [
        'projects[0].archetype: "replace" is not one of improve, augment, automate',
        "projects[0].ratings[1].score: 7 is not in 1–5",
        'projects[1].archetype: "replace" is not one of improve, augment, automate',
        "projects[1].ratings[0].score: 9 is not in 1–5",
        "projects[1].ratings[1].score: 7 is not in 1–5",
    ]


@pytest.mark.parametrize(
    ("place", "value", "expected"),
    [
        ("format", "csv", 'format: "csv" is not "ml-portfolio": this is not a portfolio file'),
        ("format", REMOVED, 'format: null is not "ml-portfolio": this is not a portfolio file'),
        ("version", 2, "version: 2 is not a version this Quadrant reads (it reads version 1)"),
        ("version", "1", 'version: "1" is not a version this Quadrant reads (it reads version 1)'),
        (
            "version",
            True,
            "version: true is not a version this Quadrant reads (it reads version 1)",
        ),
    ],
)
def test_another_format_or_version_is_refused_with_only_that_message(place, value, expected):
    document = changed(place, value)
    document["projects"] = "anything"  # not worth reporting in a file of another kind

    assert problems(document) == [expected]


def test_a_document_that_is_no_object_is_refused():
    assert problems([VALID]) == ["The file holds no JSON object."]


def test_a_project_key_given_twice_is_refused():
    document = copy.deepcopy(VALID)
    document["projects"].append(copy.deepcopy(document["projects"][0]))

    assert problems(document) == [
        'projects[1].key: "churn-model" is repeated (first at projects[0].key)'
    ]


def test_a_rater_rating_the_same_criterion_twice_is_refused():
    document = copy.deepcopy(VALID)
    ratings = document["projects"][0]["ratings"]
    ratings.append(ratings[0] | {"score": 1})

    assert problems(document) == [
        'projects[0].ratings[2]: "alice" rated "data_availability" twice '
        "(first at projects[0].ratings[0])"
    ]


def test_two_optimizing_metrics_and_repeated_names_are_refused():
    metric = {"name": "recall", "role": "optimizing", "direction": "ge", "threshold": 0.9}
    document = changed("projects[0].metrics", [metric, metric | {"name": "precision"}, metric])

    optimizing = "only one metric is optimizing (first at projects[0].metrics[0])"
    assert problems(document) == [
        'projects[0].metrics[2].name: "recall" is repeated (first at projects[0].metrics[0].name)',
        f"projects[0].metrics[1].role: {optimizing}",
        f"projects[0].metrics[2].role: {optimizing}",
    ]


def test_a_rubric_key_given_twice_is_refused():
    document = copy.deepcopy(VALID)
    document["rubric"].append(copy.deepcopy(document["rubric"][0]))

    assert problems(document) == [
        'rubric[1].key: "data_availability" is repeated (first at rubric[0].key)'
    ]


def test_a_criterion_of_the_files_rubric_may_be_rated():
    document = copy.deepcopy(VALID)
    document["rubric"].append(
        {"key": "label_quality", "dimension": "feasibility", "name": "Label quality", "weight": 1}
    )
    document["projects"][0]["ratings"][0]["criterion"] = "label_quality"

    assert problems(document) == []


def test_nulls_are_allowed_where_the_format_allows_them():
    document = copy.deepcopy(VALID)
    document["projects"][0] |= {
        "effort_weeks": None,
        "expected_value": None,
        "success_likelihood": None,
        "owner": None,
    }

    assert problems(document) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            b"{",
            "The file is not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
        (b'{"version": NaN}', "The file is not valid JSON: NaN is not a number JSON allows"),
        (
            b'{"a": 1, "a": 2}',
            'The file is not valid JSON: the field "a" appears twice in one object',
        ),
        (b"\xff\xfe", "The file is not UTF-8 text."),
    ],
)
def test_a_file_that_is_not_json_is_refused(text, expected):
    with pytest.raises(interchange.InvalidDocument) as refused:
        interchange.parse(text)

    assert [str(problem) for problem in refused.value.problems] == [expected]


# --- Import --------------------------------------------------------------------------


def test_a_bad_file_changes_nothing(rated_portfolio):
    before = counts()
    document = copy.deepcopy(VALID)
    document["projects"].append(copy.deepcopy(VALID["projects"][0]) | {"key": "new-one"})
    document["projects"][1]["ratings"][1]["score"] = 7

    with pytest.raises(interchange.InvalidDocument) as refused:
        interchange.import_document(document)

    assert [str(problem) for problem in refused.value.problems] == [
        "projects[1].ratings[1].score: 7 is not in 1–5"
    ]
    assert counts() == before
    assert Criterion.objects.get(key="data_availability").guidance_3 != ""


def test_import_creates_the_team_the_projects_and_inactive_raters(manager):
    summary = interchange.import_document(copy.deepcopy(VALID), user=manager)

    project = Project.objects.get(key="churn-model")
    assert project.team.name == "Growth"
    assert (project.effort_weeks, project.expected_value, project.success_likelihood) == (
        8,
        250000,
        0.6,
    )
    alice = get_user_model().objects.get(username="alice")
    assert not alice.is_active
    assert not alice.has_usable_password()
    assert sorted(project.ratings.values_list("rater__username", "criterion__key", "score")) == [
        ("alice", "data_availability", 4),
        ("bob", "business_value", 2),
    ]
    assert project.transitions.get().to_stage == "planning"
    entry = project.audit_entries.get()
    assert (entry.field, entry.user) == ("imported", manager)
    assert summary == interchange.Summary(
        projects_created=["churn-model"],
        teams_created=["Growth"],
        users_created=["alice", "bob"],
        criteria_updated=["data_availability"],
        ratings=2,
    )


def test_preview_says_what_an_import_would_do_without_doing_it(rated_portfolio):
    before = counts()

    summary = interchange.preview(copy.deepcopy(VALID))

    assert summary.projects_created == ["churn-model"]
    assert counts() == before


def test_import_updates_a_stored_project_and_replaces_the_same_raters_ratings(
    rated_portfolio, lead, member
):
    document = copy.deepcopy(VALID)
    document["projects"] = [
        {
            "key": "defect-detector",
            "title": "Defect detector v2",
            "team": "Vision",
            "archetype": "automate",
            "stage": "data",
            "ratings": [
                {"rater": "lena", "criterion": "data_availability", "score": 1, "note": "Gone"},
            ],
        }
    ]
    version = Project.objects.get(key="defect-detector").version

    summary = interchange.import_document(document)

    project = Project.objects.get(key="defect-detector")
    assert summary.projects_updated == ["defect-detector"]
    assert project.title == "Defect detector v2"
    assert project.version == version + 1
    assert project.effort_weeks == 12  # not in the file: kept
    assert sorted(
        project.ratings.values_list("rater__username", "criterion__key", "score", "note")
    ) == [
        ("lena", "business_value", 5, ""),
        ("lena", "data_availability", 1, "Gone"),
        ("max", "data_availability", 2, ""),
    ]
    # Lists the file does not give are kept; the stage move is recorded.
    assert project.metrics.count() == 2
    assert project.answers.count() == 1
    move = project.transitions.last()
    assert (move.from_stage, move.to_stage) == ("planning", "data")
    assert project.audit_entries.first().field == "imported"


def test_importing_the_same_file_twice_leaves_its_projects_untouched(manager):
    interchange.import_document(copy.deepcopy(VALID), user=manager)
    project = Project.objects.get(key="churn-model")
    ratings = sorted(Rating.objects.values_list("pk", "score", "note", "updated_at"))
    before = counts()

    summary = interchange.import_document(copy.deepcopy(VALID), user=manager)

    assert summary == interchange.Summary(
        projects_unchanged=["churn-model"], criteria_unchanged=["data_availability"]
    )
    assert counts() == before
    stored = Project.objects.get(key="churn-model")
    assert (stored.version, stored.updated_at) == (project.version, project.updated_at)
    assert sorted(Rating.objects.values_list("pk", "score", "note", "updated_at")) == ratings


def test_a_changed_rating_alone_updates_its_project(rated_portfolio):
    document = copy.deepcopy(VALID)
    document["projects"] = [
        {
            "key": "defect-detector",
            "title": "Defect detector",
            "team": "Vision",
            "archetype": "automate",
            "ratings": [
                {
                    "rater": "lena",
                    "criterion": "data_availability",
                    "score": 4,
                    "note": "Labels exist",
                }
            ],
        },
    ]
    unchanged = interchange.preview(copy.deepcopy(document))
    document["projects"][0]["ratings"][0]["score"] = 2

    changed = interchange.preview(document)

    assert (unchanged.projects_unchanged, unchanged.ratings) == (["defect-detector"], 0)
    assert (changed.projects_updated, changed.ratings) == (["defect-detector"], 1)


def test_lists_in_the_file_replace_the_stored_ones(rated_portfolio):
    document = interchange.export_document()
    detector = document["projects"][0]
    detector["metrics"] = [
        {"name": "precision", "role": "optimizing", "direction": "ge", "threshold": 0.8}
    ]
    detector["baselines"] = [{"kind": "simple_ml", "value": 0.6, "metric": "precision"}]
    detector["answers"] = []

    interchange.import_document(document)

    project = Project.objects.get(key="defect-detector")
    assert list(project.metrics.values_list("name", flat=True)) == ["precision"]
    baseline = project.baselines.get()
    assert (baseline.kind, baseline.metric.name) == ("simple_ml", "precision")
    assert not project.answers.exists()


def test_import_updates_the_rubric_and_splits_one_guidance_string():
    interchange.import_document(copy.deepcopy(VALID))

    criterion = Criterion.objects.get(key="data_availability")
    assert (criterion.guidance_1, criterion.guidance_3, criterion.guidance_5) == (
        "no data and costly labels",
        "",
        "ample labeled data",
    )


def test_guidance_levels_win_over_the_guidance_string():
    document = copy.deepcopy(VALID)
    document["rubric"][0] |= {"weight": 2.5, "guidance_1": "None", "guidance_3": "Some"}

    interchange.import_document(document)

    criterion = Criterion.objects.get(key="data_availability")
    assert criterion.weight == 2.5
    assert (criterion.guidance_1, criterion.guidance_3) == ("None", "Some")
    assert criterion.guidance_5 == "Ample labeled data, stable and cleared for use"


def test_the_documented_example_imports_and_exports_unchanged():
    docs = (settings.BASE_DIR / "docs" / "portfolio-format.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", docs, re.DOTALL).group(1))

    interchange.import_document(copy.deepcopy(example))

    exported = interchange.export_document()
    assert exported["projects"] == example["projects"]
    assert example["rubric"][0] in exported["rubric"]
