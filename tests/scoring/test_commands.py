"""The scoring commands: export_portfolio, import_portfolio, rank and seed_bench."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio import services
from portfolio.models import Project, Rating, Team
from scoring import interchange, selectors
from scoring.models import Criterion, ProfileWeight, ScoringProfile
from tests.factories import ProjectFactory, UserFactory
from tests.scoring.test_interchange import VALID, counts, without_exported_at

pytestmark = pytest.mark.django_db


def run(*args):
    stdout = StringIO()
    call_command(*args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def rate(project, rater, scores):
    criteria = Criterion.objects.in_bulk(field_name="key")
    for key, score in scores.items():
        services.rate_project(project=project, rater=rater, criterion=criteria[key], score=score)


@pytest.fixture
def ranked_portfolio(project, lead, member, other_team):
    """Lena's project rated on both dimensions, one rated on impact only, one not at all."""
    rate(project, lead, {"business_value": 5, "data_availability": 4, "accuracy_requirement": 2})
    rate(project, member, {"business_value": 3, "data_availability": 2})
    impact_only = ProjectFactory(key="impact-only", title="Impact only", team=other_team)
    rate(impact_only, lead, {"automation": 4})
    ProjectFactory(key="unrated", title="Unrated", team=other_team)
    return project


# --- export_portfolio ----------------------------------------------------------------


def test_export_prints_the_document(project):
    printed = json.loads(run("export_portfolio", "--format", "json"))

    assert without_exported_at(printed) == without_exported_at(interchange.export_document())


def test_export_writes_a_file(project, tmp_path):
    out = tmp_path / "portfolio.json"

    assert run("export_portfolio", "--out", str(out)) == ""

    assert json.loads(out.read_text(encoding="utf-8"))["projects"][0]["key"] == "defect-detector"


# --- import_portfolio ----------------------------------------------------------------


def test_import_prints_what_it_created(tmp_path):
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")

    printed = run("import_portfolio", str(path))

    assert "Projects: 1 created, 0 updated, 0 unchanged." in printed
    assert "Teams created: 1." in printed
    assert "Users created (inactive, no password): 2." in printed
    assert "Ratings: 2." in printed
    assert Project.objects.get(key="churn-model").team.name == "Growth"


def test_importing_an_export_again_updates_every_project(project, tmp_path):
    path = tmp_path / "portfolio.json"
    run("export_portfolio", "--out", str(path))

    printed = run("import_portfolio", str(path))

    assert "Projects: 0 created, 1 updated, 0 unchanged." in printed


def test_a_bad_file_is_refused_with_every_error_and_changes_nothing(project, tmp_path):
    document = copy.deepcopy(VALID)
    document["projects"][0]["ratings"][1]["score"] = 7
    document["projects"][0]["colour"] = "red"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = counts()

    with pytest.raises(CommandError) as refused:
        run("import_portfolio", str(path))

    assert str(refused.value) == "\n".join(
        [
            f"2 error(s) in {path}; nothing was imported:",
            "  projects[0].colour: unknown field",
            "  projects[0].ratings[1].score: 7 is not in 1–5",
        ]
    )
    assert counts() == before


def test_a_file_of_another_version_is_refused_clearly(tmp_path):
    path = tmp_path / "future.json"
    path.write_text(json.dumps(VALID | {"version": 2}), encoding="utf-8")

    with pytest.raises(CommandError, match=r"version: 2 is not a version this Quadrant reads"):
        run("import_portfolio", str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_portfolio", str(tmp_path / "nowhere.json"))


# --- rank ----------------------------------------------------------------------------


def test_rank_json_is_the_engines_ranking_in_the_specs_shape(ranked_portfolio):
    printed = json.loads(run("rank", "--format", "json"))

    scored = selectors.score_projects(Project.objects.all(), selectors.default_profile())
    assert printed["profile"] == "Default"
    assert printed["thresholds"] == {"impact": 50.0, "feasibility": 50.0}
    assert [project["key"] for project in printed["projects"]] == [
        project.key for project, score in scored.rows()
    ]
    first = printed["projects"][0]
    score = scored.scores[0]
    assert first == {
        "key": "defect-detector",
        "title": "Defect detector",
        "team": "Vision",
        "impact": score.impact,
        "feasibility": score.feasibility,
        "priority": score.priority,
        "quadrant": score.quadrant,
        "rank": 1,
        "impact_spread": score.impact_spread,
        "feasibility_spread": score.feasibility_spread,
    }
    assert first["priority"] is not None


def test_rank_lists_unscored_projects_last_with_nulls(ranked_portfolio):
    projects = json.loads(run("rank", "--format", "json"))["projects"]

    impact_only = next(project for project in projects if project["key"] == "impact-only")
    unrated = next(project for project in projects if project["key"] == "unrated")
    assert projects[0]["rank"] == 1
    assert {project["key"] for project in projects[1:]} == {"impact-only", "unrated"}
    assert impact_only["impact"] is not None
    assert [impact_only[name] for name in ["feasibility", "priority", "quadrant", "rank"]] == [
        None
    ] * 4
    assert [unrated[name] for name in ["impact", "feasibility", "priority", "rank"]] == [None] * 4


def test_rank_uses_the_named_profiles_weights_and_thresholds(ranked_portfolio):
    strict = ScoringProfile.objects.create(
        name="Strict", impact_threshold=80, feasibility_threshold=70
    )
    ProfileWeight.objects.create(
        profile=strict, criterion=Criterion.objects.get(key="business_value"), weight=0
    )

    printed = json.loads(run("rank", "--format", "json", "--profile", "Strict"))

    scored = selectors.score_projects(Project.objects.all(), strict)
    assert printed["profile"] == "Strict"
    assert printed["thresholds"] == {"impact": 80.0, "feasibility": 70.0}
    assert printed["projects"][0]["impact"] == scored.scores[0].impact


def test_rank_refuses_an_unknown_profile_and_names_the_available_ones(ranked_portfolio):
    ScoringProfile.objects.create(name="Strict")

    with pytest.raises(CommandError) as refused:
        run("rank", "--profile", "Lenient")

    assert str(refused.value) == "No scoring profile named 'Lenient'. Available: Default, Strict."


def test_rank_table_aligns_columns_for_people(ranked_portfolio):
    lines = run("rank", "--format", "table").splitlines()

    assert lines[0] == "Profile: Default (thresholds: impact 50, feasibility 50)"
    header, rule, first = lines[2], lines[3], lines[4]
    assert header.split() == [
        "Rank",
        "Key",
        "Title",
        "Team",
        "Impact",
        "Feasibility",
        "Priority",
        "Quadrant",
    ]
    assert set(rule) <= {"-", " "}
    assert first.split()[:2] == ["1", "defect-detector"]
    assert first.index("Vision") == header.index("Team")
    assert "—" in lines[-1]


# --- seed_bench ----------------------------------------------------------------------


def test_seed_bench_rates_every_criterion_by_every_rater():
    printed = run("seed_bench", "--projects", "20", "--raters", "3", "--seed", "7")

    bench = Project.objects.filter(key__startswith="bench-")
    assert bench.count() == 20
    assert bench.order_by("key").first().key == "bench-00001"
    assert Rating.objects.filter(project__in=bench).count() == 20 * 3 * 9
    assert Team.objects.filter(projects__in=bench).distinct().count() > 1
    assert "540 ratings" in printed
    raters = Rating.objects.order_by().values_list("rater__username", flat=True).distinct()
    assert sorted(raters) == ["bench-rater-1", "bench-rater-2", "bench-rater-3"]


def test_seed_bench_is_repeatable_with_the_same_seed():
    run("seed_bench", "--projects", "5", "--raters", "2", "--seed", "3")
    first = list(
        Rating.objects.order_by("project__key", "rater__username", "criterion__key").values_list(
            "score", flat=True
        )
    )

    run("seed_bench", "--projects", "5", "--raters", "2", "--seed", "3", "--replace")

    again = list(
        Rating.objects.order_by("project__key", "rater__username", "criterion__key").values_list(
            "score", flat=True
        )
    )
    assert again == first


def test_seed_bench_refuses_to_run_twice_without_replace():
    run("seed_bench", "--projects", "2", "--raters", "1")

    with pytest.raises(CommandError, match="--replace"):
        run("seed_bench", "--projects", "2", "--raters", "1")


def test_seed_bench_replace_deletes_only_the_previous_bench(project):
    UserFactory(username="bench-rater-1")  # an existing rater is reused, not duplicated
    run("seed_bench", "--projects", "20", "--raters", "3")

    run("seed_bench", "--projects", "4", "--raters", "2", "--replace")

    assert Project.objects.filter(key__startswith="bench-").count() == 4
    assert Rating.objects.filter(project__key__startswith="bench-").count() == 4 * 2 * 9
    assert Project.objects.filter(key="defect-detector").exists()
