"""The impact × feasibility matrix drawn from the engine's scores."""

import dataclasses

import orjson
from django.urls import reverse

from portfolio.charts import figure_json
from portfolio.models import Project, Team
from scoring import charts, engine
from scoring.models import Criterion, ScoringProfile

VISION = Team(name="Vision")


def profile(**rules):
    return ScoringProfile(name="Default", **{"top_k": 5, **rules})


def scored(title, impact, feasibility, rank, *, key=None, team=VISION, **fields):
    """A (project, score) pair as `ScoredPortfolio.rows()` gives it, without a database."""
    project = Project(
        key=key or f"project-{rank}", title=title, team=team, archetype="improve", **fields
    )
    score = engine.ProjectScore(
        key=rank,
        title=title,
        impact=impact,
        feasibility=feasibility,
        priority=(impact * feasibility) ** 0.5,
        quadrant=engine.quadrant_of(impact, feasibility),
        rank=rank,
        impact_spread=5.0,
        feasibility_spread=10.0,
        contributions=(),
        raters=frozenset({1}),
    )
    return project, score


def unranked(title):
    project, score = scored(title, 50, 50, 99)
    return project, engine.ProjectScore(
        score.key, title, None, None, None, None, None, None, None, (), frozenset()
    )


def plotted(figure):
    """The figure as plotly.js receives it."""
    return orjson.loads(figure_json(figure))


def points(figure):
    return [
        (x, y, text, url)
        for trace in plotted(figure)["data"]
        for x, y, text, url in zip(
            trace["x"], trace["y"], trace["text"], trace["customdata"], strict=True
        )
    ]


def test_one_point_per_ranked_project_and_none_for_unranked():
    rows = [scored("A", 80, 70, 1), scored("B", 30, 60, 2), unranked("C")]

    figure = charts.matrix_figure(rows, profile())

    assert len(points(figure)) == 2


def test_point_sits_at_feasibility_and_impact_and_links_to_its_project():
    rows = [scored("Defect detector", 80, 30, 1, key="defect-detector")]

    figure = charts.matrix_figure(rows, profile())

    [(x, y, _text, url)] = points(figure)
    assert (x, y) == (30, 80)
    assert url == reverse("project", kwargs={"key": "defect-detector"})


def test_titles_and_team_names_are_escaped_in_hover_labels_and_legend():
    team = Team(name="<b>Bold</b>")
    rows = [scored("<img src=x onerror=alert(1)>", 80, 70, 1, team=team)]

    data = plotted(charts.matrix_figure(rows, profile(), colour_by="team"))["data"]

    [trace] = data
    assert "<img" not in trace["hovertext"][0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in trace["hovertext"][0]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in trace["hovertext"][0]
    assert trace["text"] == ["&lt;img src=x onerror=alert(1)&gt;"]
    assert trace["name"] == "&lt;b&gt;Bold&lt;/b&gt;"


def test_threshold_lines_sit_at_the_profiles_thresholds():
    figure = charts.matrix_figure(
        [scored("A", 80, 70, 1)], profile(impact_threshold=60, feasibility_threshold=35)
    )

    lines = [shape for shape in plotted(figure)["layout"]["shapes"] if shape["type"] == "line"]
    assert {(line["x0"], line["x1"]) for line in lines} == {(35, 35), (0, 100)}
    assert {(line["y0"], line["y1"]) for line in lines} == {(0, 100), (60, 60)}


def test_the_four_quadrants_are_shaded_and_labelled():
    figure = plotted(charts.matrix_figure([scored("A", 80, 70, 1)], profile()))

    rectangles = [shape for shape in figure["layout"]["shapes"] if shape["type"] == "rect"]
    labels = [annotation["text"] for annotation in figure["layout"]["annotations"]]
    assert len(rectangles) == 4
    assert labels == ["<b>Do first</b>", "<b>Big bet</b>", "<b>Fill-in</b>", "<b>Deprioritize</b>"]


def test_labels_only_on_the_top_k_projects():
    rows = [scored(f"P{rank}", 90 - rank, 90 - rank, rank) for rank in range(1, 6)]

    figure = charts.matrix_figure(rows, profile(top_k=2))

    assert sorted(text for _x, _y, text, _url in points(figure) if text) == ["P1", "P2"]


def test_one_trace_per_colour_group_for_the_legend():
    rows = [
        scored("A", 80, 70, 1),
        scored("B", 40, 70, 2),
        scored("C", 20, 20, 3, status="done"),
    ]

    figure = plotted(charts.matrix_figure(rows, profile(), colour_by="status"))

    assert sorted(trace["name"] for trace in figure["data"]) == ["Done", "Proposed"]


def test_exact_duplicates_are_jittered_apart_deterministically():
    rows = [scored(f"Twin {rank}", 50, 50, rank) for rank in range(1, 5)]

    first = points(charts.matrix_figure(rows, profile()))
    again = points(charts.matrix_figure(rows, profile()))

    positions = [(x, y) for x, y, _text, _url in first]
    assert len(set(positions)) == 4
    assert positions[0] == (50, 50)
    assert all(abs(x - 50) < 3 and abs(y - 50) < 3 for x, y in positions)
    assert first == again


def test_bubble_size_follows_effort_and_missing_effort_gets_the_default():
    rows = [
        scored("Big", 80, 70, 1, effort_weeks=40),
        scored("Small", 40, 70, 2, effort_weeks=10),
        scored("Unknown", 20, 20, 3),
    ]

    [trace] = plotted(charts.matrix_figure(rows, profile()))["data"]

    big, small, unknown = trace["marker"]["size"]
    assert big == charts.MAX_SIZE
    assert charts.MIN_SIZE < small < big
    assert unknown == charts.DEFAULT_SIZE


def test_bubble_size_can_follow_expected_value():
    rows = [scored("A", 80, 70, 1, expected_value=5), scored("B", 40, 70, 2, expected_value=20)]

    [trace] = plotted(charts.matrix_figure(rows, profile(), size_by="value"))["data"]

    assert trace["marker"]["size"][1] == charts.MAX_SIZE


def test_error_bars_show_rater_spread_and_can_be_hidden():
    rows = [scored("A", 80, 70, 1)]

    [shown] = plotted(charts.matrix_figure(rows, profile()))["data"]
    [hidden] = plotted(charts.matrix_figure(rows, profile(), show_spread=False))["data"]

    assert shown["error_x"]["array"] == [10.0]
    assert shown["error_y"]["array"] == [5.0]
    assert "error_x" not in hidden


def test_scatter_switches_to_webgl_above_two_thousand_projects():
    def rows(count):
        return [scored(f"P{rank}", rank % 100, (rank * 7) % 100, rank) for rank in range(1, count)]

    small = plotted(charts.matrix_figure(rows(charts.WEBGL_ABOVE + 1), profile()))
    large = plotted(charts.matrix_figure(rows(charts.WEBGL_ABOVE + 2), profile()))

    assert {trace["type"] for trace in small["data"]} == {"scatter"}
    assert {trace["type"] for trace in large["data"]} == {"scattergl"}


def with_values(pair, *values):
    """The pair with one contribution per criterion of `values` (None: unrated)."""
    project, score = pair
    contributions = tuple(
        engine.Contribution(f"c{i}", engine.IMPACT, 1.0, value, value, 1, 0.0)
        for i, value in enumerate(values)
    )
    return project, dataclasses.replace(score, contributions=contributions)


def test_radar_draws_one_closed_shape_per_project_with_gaps_for_unrated_criteria():
    criteria = [Criterion(name="Business value"), Criterion(name="Data availability")]
    rows = [
        with_values(scored("Churn", 80, 60, 1), 75.0, 50.0),
        with_values(scored("Defects", 40, 90, 2), None, 100.0),
    ]

    figure = plotted(charts.radar_figure(rows, criteria))

    assert [trace["type"] for trace in figure["data"]] == ["scatterpolar", "scatterpolar"]
    assert [trace["name"] for trace in figure["data"]] == ["Churn", "Defects"]
    first, second = figure["data"]
    assert first["theta"] == ["Business value", "Data availability", "Business value"]
    assert first["r"] == [75.0, 50.0, 75.0]
    assert second["r"] == [None, 100.0, None]
    assert first["fill"] == "toself"
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 100]


def test_radar_escapes_titles_and_criterion_names():
    criteria = [Criterion(name="<b>Value</b>")]
    rows = [with_values(scored("<img src=x onerror=alert(1)>", 80, 60, 1), 75.0)]

    trace = plotted(charts.radar_figure(rows, criteria))["data"][0]

    assert trace["name"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert trace["theta"][0] == "&lt;b&gt;Value&lt;/b&gt;"
