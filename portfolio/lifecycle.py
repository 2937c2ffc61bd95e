"""The ML project lifecycle of the FSDL lecture: stages, loop-backs and their usual reasons.

The lifecycle is not a one-way flow: any stage can send a project back to an earlier
one, and the reason matters, so a move back always carries one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PLANNING = "planning", _("Planning & project setup")
    DATA = "data", _("Data collection & labeling")
    TRAINING = "training", _("Training & debugging")
    DEPLOYMENT = "deployment", _("Deployment & testing")


STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}

# The lecture's typical reasons for each loop-back (DOMAIN §1), offered as suggestions.
TYPICAL_LOOP_BACK_REASONS = {
    (Stage.DATA, Stage.PLANNING): [
        _("Data too hard to get"),
        _("Easier to label a different task"),
    ],
    (Stage.TRAINING, Stage.DATA): [
        _("Need more data"),
        _("Labels unreliable"),
    ],
    (Stage.TRAINING, Stage.PLANNING): [
        _("Task too hard"),
        _("Requirements trade off against each other"),
    ],
    (Stage.DEPLOYMENT, Stage.TRAINING): [
        _("Model doesn't work outside the lab"),
    ],
    (Stage.DEPLOYMENT, Stage.DATA): [
        _("Training data doesn't match production data (mine hard cases)"),
    ],
    (Stage.DEPLOYMENT, Stage.PLANNING): [
        _("Metric doesn't drive user behaviour"),
        _("Real-world performance poor"),
    ],
}


def is_loop_back(from_stage, to_stage):
    """A move to an earlier stage of the lifecycle."""
    if not from_stage:
        return False
    return STAGE_ORDER[to_stage] < STAGE_ORDER[from_stage]


def typical_reasons(from_stage, to_stage):
    return TYPICAL_LOOP_BACK_REASONS.get((from_stage, to_stage), [])
