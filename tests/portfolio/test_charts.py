"""The baseline chart: one bar per baseline, the target and current value as lines, text escaped."""

import json

from portfolio.charts import baseline_charts, baseline_figure, figure_json
from portfolio.models import Baseline, Metric

XSS = '<img src=x onerror="alert(1)">'


def latency(**fields):
    values = {
        "pk": 1,
        "name": "latency",
        "role": Metric.Role.SATISFICING,
        "direction": Metric.Direction.AT_MOST,
        "threshold": 100,
        "current": 120,
        "unit": "ms",
    }
    return Metric(**values | fields)


def baseline(pk, kind, value, metric=None, **fields):
    return Baseline(pk=pk, kind=kind, value=value, metric=metric, **fields)


def vertical_lines(figure):
    return [shape.x0 for shape in figure.layout.shapes if shape.x0 == shape.x1]


def test_one_bar_per_baseline_even_of_the_same_kind():
    metric = latency()
    baselines = [
        baseline(1, Baseline.Kind.DOMAIN_EXPERTS, 90, metric),
        baseline(2, Baseline.Kind.DOMAIN_EXPERTS, 95, metric),
        baseline(3, Baseline.Kind.RULE_BASED, 300, metric),
    ]

    figure = baseline_figure(metric, baselines)

    (bars,) = figure.data
    assert bars.orientation == "h"
    assert len(bars.x) == 3
    assert len(figure.layout.yaxis.ticktext) == 3


def test_threshold_and_current_value_are_vertical_lines():
    metric = latency(threshold=100, current=120)

    figure = baseline_figure(metric, [baseline(1, Baseline.Kind.SIMPLE_ML, 150, metric)])

    assert vertical_lines(figure) == [100, 120]
    labels = [annotation.text for annotation in figure.layout.annotations]
    assert labels == ["Target ≤ 100 ms", "Now 120 ms"]


def test_unmeasured_metric_draws_only_its_threshold():
    metric = latency(current=None)

    figure = baseline_figure(metric, [baseline(1, Baseline.Kind.SIMPLE_ML, 150, metric)])

    assert vertical_lines(figure) == [100]


def test_human_ladder_comes_in_ladder_order_after_the_other_baselines():
    metric = latency()
    baselines = [
        baseline(1, Baseline.Kind.MIXTURE_OF_EXPERTS, 1, metric),
        baseline(2, Baseline.Kind.RANDOM_PEOPLE, 2, metric),
        baseline(3, Baseline.Kind.DEEP_EXPERTS, 3, metric),
        baseline(4, Baseline.Kind.PUBLISHED, 4, metric),
        baseline(5, Baseline.Kind.DOMAIN_EXPERTS, 5, metric),
    ]

    figure = baseline_figure(metric, baselines)

    assert list(figure.layout.yaxis.ticktext) == [
        "Published result",
        "Human: random people",
        "Human: domain experts",
        "Human: deep domain experts",
        "Human: mixture of experts",
    ]
    assert figure.layout.yaxis.autorange == "reversed"


def test_user_text_is_escaped_everywhere_in_the_figure():
    metric = latency(name=XSS, unit="<b>ms</b>")
    baselines = [baseline(1, Baseline.Kind.PUBLISHED, 80, metric, source=XSS, note=XSS)]

    text = figure_json(baseline_figure(metric, baselines))

    assert "<img" not in text
    assert "<b>ms</b>" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text


def test_figure_json_holds_data_and_layout():
    metric = latency()

    figure = json.loads(
        figure_json(baseline_figure(metric, [baseline(1, Baseline.Kind.SIMPLE_ML, 150, metric)]))
    )

    assert figure["data"][0]["type"] == "bar"
    assert figure["data"][0]["x"] == [150]
    assert figure["layout"]["title"]["text"] == "latency"


def test_charts_one_per_metric_with_baselines_and_none_for_baselines_without_a_metric():
    latency_metric = latency(pk=1)
    accuracy = latency(pk=2, name="accuracy", unit="%", direction=Metric.Direction.AT_LEAST)
    unused = latency(pk=3, name="memory")
    baselines = [
        baseline(1, Baseline.Kind.SIMPLE_ML, 150, latency_metric),
        baseline(2, Baseline.Kind.DOMAIN_EXPERTS, 97, accuracy),
        baseline(3, Baseline.Kind.DOMAIN_EXPERTS, 96, accuracy),
        baseline(4, Baseline.Kind.PUBLISHED, 12, None),
    ]

    charts = baseline_charts([accuracy, latency_metric, unused], baselines)

    assert [metric.name for metric, _figure in charts] == ["accuracy", "latency"]
    assert json.loads(charts[0][1])["data"][0]["x"] == [97, 96]
