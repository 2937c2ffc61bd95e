"""Reading a portfolio file and finding every problem in it before anything is written.

Problems are collected, never raised one at a time, so that whoever fixes the file sees
them all at once, each with its place: ``projects[3].ratings[1].score: 7 is not in 1–5``.
A field the format does not know is a problem too: nothing in a file is ignored silently.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portfolio.models import Metric, MetricRole
from scoring.interchange.schema import (
    DOCUMENT_FIELDS,
    FORMAT,
    GUIDANCE_LEVELS,
    PROJECT_FIELDS,
    VERSION,
    ListOf,
    Refused,
    show,
)
from scoring.models import Criterion


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: `place` is a path into the document such as projects[3]."""

    place: str
    message: str

    def __str__(self):
        return f"{self.place}: {self.message}" if self.place else self.message


class InvalidDocument(Exception):
    """The document cannot be imported; `problems` lists every reason."""

    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def parse(data):
    """The document in `data` (bytes or text); InvalidDocument when it is not JSON."""
    try:
        if isinstance(data, bytes):
            data = data.decode("utf-8-sig")
        return json.loads(data, parse_constant=_refuse_constant, object_pairs_hook=_object)
    except UnicodeDecodeError:
        raise InvalidDocument([Problem("", _("The file is not UTF-8 text."))]) from None
    except (ValueError, RecursionError) as error:
        message = _("The file is not valid JSON: %(error)s") % {"error": error}
        raise InvalidDocument([Problem("", message)]) from None


def _refuse_constant(name):
    raise ValueError(_("%(name)s is not a number JSON allows") % {"name": name})


def _object(pairs):
    """A JSON object, refusing a field given twice (json would keep the last silently)."""
    result = {}
    for name, value in pairs:
        if name in result:
            message = _('the field "%(name)s" appears twice in one object')
            raise ValueError(message % {"name": name})
        result[name] = value
    return result


def validate(document):
    """Every problem of the parsed `document`, in document order; [] when it imports."""
    return _check(document)[1]


def checked_document(document):
    """The document with its values as they will be stored; InvalidDocument if it has any
    problem. Guidance given as one "1 = … 3 = … 5 = …" string is split into its levels.
    """
    checked, problems = _check(document)
    if problems:
        raise InvalidDocument(problems)
    return checked


def _check(document):
    if not isinstance(document, dict):
        return None, [Problem("", _("The file holds no JSON object."))]
    problems = _check_header(document)
    if problems:
        # Another kind of file: anything more would be noise.
        return None, problems
    # Projects are checked one by one below, each against the others and the database.
    fields = DOCUMENT_FIELDS | {"projects": (ListOf({}), True)}
    checked = _check_object(document, "", fields, problems)
    rubric = _check_rubric(checked.get("rubric") or [], problems)
    checked["projects"] = _check_projects(checked.get("projects") or [], rubric, problems)
    return checked, problems


def _check_header(document):
    problems = []
    if document.get("format") != FORMAT:
        message = _('%(value)s is not "%(format)s": this is not a portfolio file')
        shown = {"value": show(document.get("format")), "format": FORMAT}
        problems.append(Problem("format", message % shown))
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        message = _("%(value)s is not a version this Quadrant reads (it reads version %(version)d)")
        problems.append(Problem("version", message % {"value": show(version), "version": VERSION}))
    return problems


def _check_object(value, place, fields, problems):
    """The object's checked fields; a problem for each unknown, missing or invalid one."""
    if not isinstance(value, dict):
        problems.append(Problem(place, _("%(value)s is not an object") % {"value": show(value)}))
        return None
    checked = {}
    for name in value:
        if name not in fields:
            problems.append(Problem(_place(place, name), _("unknown field")))
    for name, (check, required) in fields.items():
        here = _place(place, name)
        if name not in value:
            if required:
                problems.append(Problem(here, _("is required")))
        elif isinstance(check, ListOf):
            checked[name] = _check_list(value[name], here, check.fields, problems)
        else:
            try:
                checked[name] = check(value[name])
            except Refused as refusal:
                problems.append(Problem(here, str(refusal)))
    return checked


def _check_list(value, place, fields, problems):
    """Checked objects, None for those that are no object, so indexes match the file."""
    if not isinstance(value, list):
        problems.append(Problem(place, _("%(value)s is not a list") % {"value": show(value)}))
        return []
    if not fields:
        return value
    return [
        _check_object(item, f"{place}[{index}]", fields, problems)
        for index, item in enumerate(value)
    ]


def _place(place, name):
    return f"{place}.{name}" if place else name


def _repeated(place, value, first_place):
    message = _("%(value)s is repeated (first at %(place)s)")
    return Problem(place, message % {"value": show(value), "place": first_place})


def _check_rubric(rubric, problems):
    """The rubric's criteria by key."""
    criteria = {}
    first_places = {}
    for index, entry in enumerate(rubric):
        place = f"rubric[{index}]"
        if not entry or "key" not in entry:
            continue
        if entry["key"] in criteria:
            problems.append(_repeated(f"{place}.key", entry["key"], first_places[entry["key"]]))
            continue
        criteria[entry["key"]] = entry
        first_places[entry["key"]] = f"{place}.key"
        guidance = entry.pop("guidance", "")
        if guidance and not any(f"guidance_{level}" in entry for level in GUIDANCE_LEVELS):
            _split_guidance(entry, guidance, f"{place}.guidance", problems)
    return criteria


def _split_guidance(entry, guidance, place, problems):
    """ "1 = … 3 = … 5 = …" into guidance_1/3/5; text without levels describes the criterion.

    Our own files carry guidance_1/3/5 as well, and those win; this reads other tools'.
    """
    marks = list(re.finditer(r"(?:^|(?<=\s))([135]) ?= ", guidance))
    if not marks:
        entry["description"] = "\n\n".join(filter(None, [entry.get("description"), guidance]))
        return
    for level in GUIDANCE_LEVELS:
        entry[f"guidance_{level}"] = ""
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(guidance)
        level_text = guidance[mark.end() : end].strip().rstrip("·…;,|").strip()
        if len(level_text) > 300:
            message = _("level %(level)s is longer than 300 characters")
            problems.append(Problem(place, message % {"level": mark.group(1)}))
        entry[f"guidance_{mark.group(1)}"] = level_text


def _check_projects(projects, rubric, problems):
    """Each project checked field by field, then against the others and the database."""
    known_criteria = set(rubric) | set(Criterion.objects.values_list("key", flat=True))
    stored_metrics = _StoredMetrics(projects)
    first_places = {}
    checked = []
    for index, item in enumerate(projects):
        place = f"projects[{index}]"
        project = _check_object(item, place, PROJECT_FIELDS, problems)
        checked.append(project)
        if not project:
            continue
        key = project.get("key")
        if key in first_places:
            problems.append(_repeated(f"{place}.key", key, first_places[key]))
        elif key:
            first_places[key] = f"{place}.key"
        _check_ratings(project.get("ratings") or [], place, known_criteria, problems)
        _check_metrics(project.get("metrics") or [], place, problems)
        if project.get("baselines"):
            if "metrics" in project:
                metric_names = {metric["name"] for metric in project["metrics"] if metric}
            else:
                metric_names = stored_metrics.of(key)
            _check_baselines(project["baselines"], place, metric_names, problems)
        _check_unique(project.get("answers") or [], f"{place}.answers", "question", problems)
        _check_stage_history(project.get("stage_history") or [], place, problems)
    return checked


class _StoredMetrics:
    """Metric names of stored projects, asked once, only if a baseline needs them.

    A baseline names its metric; when the file gives no metrics for a project, the
    project keeps its stored ones, so the name must be one of those.
    """

    def __init__(self, projects):
        items = [item for item in projects if isinstance(item, dict)]
        self.keys = [item.get("key") for item in items if isinstance(item.get("key"), str)]
        self.names = None

    def of(self, key):
        if self.names is None:
            self.names = defaultdict(set)
            rows = Metric.objects.filter(project__key__in=self.keys)
            for project_key, name in rows.values_list("project__key", "name"):
                self.names[project_key].add(name)
        return self.names[key]


def _check_ratings(ratings, place, known_criteria, problems):
    first_places = {}
    for index, rating in enumerate(ratings):
        here = f"{place}.ratings[{index}]"
        if not rating or "criterion" not in rating:
            continue
        if rating["criterion"] not in known_criteria:
            message = _("%(value)s is not a criterion of the rubric in the file or in the database")
            shown = {"value": show(rating["criterion"])}
            problems.append(Problem(f"{here}.criterion", message % shown))
        pair = (rating.get("rater"), rating["criterion"])
        if pair in first_places:
            message = _("%(rater)s rated %(criterion)s twice (first at %(place)s)")
            shown = {"rater": show(pair[0]), "criterion": show(pair[1])}
            problems.append(Problem(here, message % (shown | {"place": first_places[pair]})))
        elif pair[0]:
            first_places[pair] = here


def _check_metrics(metrics, place, problems):
    _check_unique(metrics, f"{place}.metrics", "name", problems)
    optimizing = [
        index
        for index, metric in enumerate(metrics)
        if metric and metric.get("role") == MetricRole.OPTIMIZING
    ]
    for index in optimizing[1:]:
        message = _("only one metric is optimizing (first at %(place)s)")
        first = f"{place}.metrics[{optimizing[0]}]"
        problems.append(Problem(f"{place}.metrics[{index}].role", message % {"place": first}))


def _check_baselines(baselines, place, metric_names, problems):
    for index, baseline in enumerate(baselines):
        name = (baseline or {}).get("metric")
        if name is not None and name not in metric_names:
            message = _("%(value)s is not a metric of this project")
            here = f"{place}.baselines[{index}].metric"
            problems.append(Problem(here, message % {"value": show(name)}))


def _check_stage_history(moves, place, problems):
    for index, move in enumerate(moves):
        if move and move.get("from") and move.get("from") == move.get("to"):
            message = _('%(value)s is the same stage as "from"')
            here = f"{place}.stage_history[{index}].to"
            problems.append(Problem(here, message % {"value": show(move["to"])}))


def _check_unique(items, place, name, problems):
    first_places = {}
    for index, item in enumerate(items):
        if not item or name not in item:
            continue
        if item[name] in first_places:
            problems.append(
                _repeated(f"{place}[{index}].{name}", item[name], first_places[item[name]])
            )
        else:
            first_places[item[name]] = f"{place}[{index}].{name}"
