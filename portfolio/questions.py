"""The questions a team answers about each proposal.

The archetype key questions (DOMAIN §3) depend on the archetype; the feasibility
checklist (DOMAIN §2) applies to every project. Answers are stored by question key, so
changing a project's archetype keeps the answers given earlier.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Archetype(models.TextChoices):
    IMPROVE = "improve", _("Improve an existing process")
    AUGMENT = "augment", _("Augment a manual process")
    AUTOMATE = "automate", _("Automate a manual process")


ARCHETYPE_HINTS = {
    Archetype.IMPROVE: _("Software 2.0 — e.g. code completion, recommendations, video-game AI"),
    Archetype.AUGMENT: _("Human in the loop — e.g. autocomplete, sketch → code, radiologist aid"),
    Archetype.AUTOMATE: _("Autonomous — e.g. full self-driving, automated customer support"),
}

KEY_QUESTIONS = {
    Archetype.IMPROVE: [
        ("improve_performance", _("Does the model truly improve performance?")),
        ("improve_business_value", _("Does the improvement create business value?")),
        (
            "improve_flywheel",
            _("Does it start a data flywheel (more users → more data → better model)?"),
        ),
    ],
    Archetype.AUGMENT: [
        ("augment_good_enough", _("How good must the system be to be useful?")),
        ("augment_collect_data", _("How can we collect enough data to get there?")),
    ],
    Archetype.AUTOMATE: [
        ("automate_failure_rate", _("What failure rate is acceptable?")),
        ("automate_guarantee", _("How do we guarantee that failure rate is not exceeded?")),
        ("automate_label_cost", _("How cheaply can we label data from the running system?")),
    ],
}

CHECKLIST = [
    ("check_need_ml", _("Are you sure you need ML?")),
    ("check_success_criteria", _("Success criteria agreed with stakeholders")),
    ("check_ethics", _("Ethics considered")),
    ("check_literature", _("Literature reviewed")),
    ("check_benchmark", _("A labeled benchmark set built quickly")),
    ("check_minimum_model", _("A “minimum” model with manual rules built")),
    ("check_need_ml_again", _("Again: are you sure you need ML?")),
]

QUESTION_TEXT = dict(CHECKLIST) | {
    key: text for questions in KEY_QUESTIONS.values() for key, text in questions
}


def key_questions(archetype):
    return KEY_QUESTIONS.get(archetype, [])
