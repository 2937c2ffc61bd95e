"""The fields of the interchange format and the values each may hold.

Each table maps a field to (its check, whether it is required). A check returns the
value as it will be stored, or raises `Refused` with a message that shows the offending
value as it was written in the file (7, "yes", true), so the message reads next to its
place: ``projects[3].ratings[1].score: 7 is not in 1–5``.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.lifecycle import Stage
from portfolio.models import Answer, BaselineKind, MetricDirection, MetricRole, Status
from portfolio.questions import QUESTION_TEXT, Archetype
from scoring.models import Dimension

FORMAT = "ml-portfolio"
VERSION = 1

GUIDANCE_LEVELS = ("1", "3", "5")
KEY = r"[-a-zA-Z0-9_]+"
USERNAME = r"[\w.@+-]+"  # Django's own rule for usernames


class Refused(Exception):
    """A value the format does not allow; the message says why."""


@dataclass(frozen=True)
class ListOf:
    """A list of objects, each with these fields."""

    fields: dict


def show(value):
    """A value as it is written in JSON, shortened when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def text(max_length=None, *, blank=True):
    def check(value):
        if not isinstance(value, str):
            raise Refused(_("%(value)s is not a string") % {"value": show(value)})
        if not blank and not value.strip():
            raise Refused(_("must not be empty"))
        if max_length and len(value) > max_length:
            raise Refused(_("is longer than %(max)d characters") % {"max": max_length})
        return value

    return check


def matching(pattern, max_length, what):
    check_text = text(max_length, blank=False)

    def check(value):
        if not re.fullmatch(pattern, check_text(value)):
            raise Refused(_("%(value)s is not %(what)s") % {"value": show(value), "what": what})
        return value

    return check


def choice(values, what=None):
    def check(value):
        if not isinstance(value, str) or value not in values:
            if what is None:
                expected = _("one of %(values)s") % {"values": ", ".join(values)}
            else:
                expected = what
            raise Refused(_("%(value)s is not %(what)s") % {"value": show(value), "what": expected})
        return value

    return check


def number(low=None, high=None, *, nullable=False):
    def check(value):
        if value is None and nullable:
            return None
        # bool is an int in Python, but true is no number in a file.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Refused(_("%(value)s is not a number") % {"value": show(value)})
        try:
            stored = float(value)
        except OverflowError:
            raise Refused(_("%(value)s is too large") % {"value": show(value)}) from None
        shown = {"value": show(value), "low": show(low), "high": show(high)}
        if low is not None and high is not None and not low <= stored <= high:
            raise Refused(_("%(value)s is not in %(low)s–%(high)s") % shown)
        if low is not None and stored < low:
            raise Refused(_("%(value)s is below %(low)s") % shown)
        return stored

    return check


def integer(low, high):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(_("%(value)s is not an integer") % {"value": show(value)})
        if not low <= value <= high:
            shown = {"value": show(value), "low": low, "high": high}
            raise Refused(_("%(value)s is not in %(low)d–%(high)d") % shown)
        return value

    return check


def boolean(value):
    if not isinstance(value, bool):
        raise Refused(_("%(value)s is not true or false") % {"value": show(value)})
    return value


def timestamp(value):
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        message = _("%(value)s is not a date and time such as 2026-11-23T12:00:00Z")
        raise Refused(message % {"value": show(value)})
    if moment.tzinfo is None:
        raise Refused(_("%(value)s has no time zone (end it with Z)") % {"value": show(value)})
    return moment


def or_null(check):
    return lambda value: None if value is None else check(value)


A_KEY = gettext_lazy("a key (letters, digits, - and _)")
username = matching(USERNAME, 150, gettext_lazy("a username (letters, digits and @ . + - _)"))

RUBRIC_FIELDS = {
    "key": (matching(KEY, 50, A_KEY), True),
    "dimension": (choice(Dimension.values), True),
    "name": (text(100, blank=False), True),
    "weight": (number(0, 10), True),
    "higher_is_better": (boolean, False),
    "guidance": (text(), False),
    "guidance_1": (text(300), False),
    "guidance_3": (text(300), False),
    "guidance_5": (text(300), False),
    "description": (text(), False),
    "position": (integer(0, 32767), False),
}
RATING_FIELDS = {
    "rater": (username, True),
    "criterion": (text(), True),
    "score": (integer(1, 5), True),
    "note": (text(), False),
}
METRIC_FIELDS = {
    "name": (text(100, blank=False), True),
    "role": (choice(MetricRole.values), True),
    "direction": (choice(MetricDirection.values), True),
    "threshold": (number(), True),
    "current": (number(nullable=True), False),
    "unit": (text(20), False),
}
BASELINE_FIELDS = {
    "kind": (choice(BaselineKind.values), True),
    "metric": (or_null(text()), False),
    "value": (number(), True),
    "source": (text(500), False),
    "note": (text(), False),
}
ANSWER_FIELDS = {
    "question": (
        choice(list(QUESTION_TEXT), gettext_lazy("a key question or checklist item")),
        True,
    ),
    "value": (choice(Answer.Value.values), True),
    "note": (text(), False),
}
TRANSITION_FIELDS = {
    "from": (or_null(choice(Stage.values)), False),
    "to": (choice(Stage.values), True),
    "reason": (text(), False),
    "by": (or_null(username), False),
    "at": (timestamp, True),
}
PROJECT_FIELDS = {
    "key": (matching(KEY, 80, A_KEY), True),
    "title": (text(200, blank=False), True),
    "team": (text(100, blank=False), True),
    "archetype": (choice(Archetype.values), True),
    "stage": (choice(Stage.values), False),
    "status": (choice(Status.values), False),
    "summary": (text(), False),
    "effort_weeks": (number(0, nullable=True), False),
    "expected_value": (number(0, nullable=True), False),
    "success_likelihood": (number(0, 1, nullable=True), False),
    "owner": (or_null(username), False),
    "blind_rating": (boolean, False),
    "ratings_revealed": (boolean, False),
    "ratings": (ListOf(RATING_FIELDS), False),
    "metrics": (ListOf(METRIC_FIELDS), False),
    "baselines": (ListOf(BASELINE_FIELDS), False),
    "answers": (ListOf(ANSWER_FIELDS), False),
    "stage_history": (ListOf(TRANSITION_FIELDS), False),
}
DOCUMENT_FIELDS = {
    "format": (text(), True),
    "version": (integer(VERSION, VERSION), True),
    "exported_at": (timestamp, False),
    "rubric": (ListOf(RUBRIC_FIELDS), False),
    "projects": (ListOf(PROJECT_FIELDS), True),
}
