"""The demo raters' scores, so the demo portfolio fills all four quadrants.

Scores are in the order of the default rubric: business value, cheap prediction,
automation, data flywheel | data availability, accuracy requirement, problem difficulty,
prior work, compute cost (for accuracy requirement, problem difficulty and compute cost a
higher score is harder). ICU deterioration alerts are only partly rated, so the portfolio
has a project that still needs ratings. Notes
explain where raters disagree, so the "discuss" flags have something to discuss.
"""

CRITERIA = [
    "business_value",
    "cheap_prediction",
    "automation",
    "data_flywheel",
    "data_availability",
    "accuracy_requirement",
    "problem_difficulty",
    "prior_work",
    "compute_cost",
]

# project key -> rater -> (nine scores as a string, {criterion: note})
RATINGS = {
    "code-completion": {
        "lead": ("4434 5224 3", {}),
        "ana": ("5435 5125 4", {"compute_cost": "Serving latency budget needs GPUs at peak."}),
        "manager": ("4324 4235 3", {}),
    },
    "review-comments": {
        "lead": ("3323 4334 2", {}),
        "ana": ("4333 4234 2", {}),
    },
    "flaky-test-triage": {
        "lead": ("2342 5214 1", {}),
        "ana": ("2232 5114 1", {"business_value": "Saves CI minutes, not much more."}),
    },
    "ui-sketch-to-code": {
        "lead": ("4343 2443 4", {}),
        "ana": ("4433 2542 4", {}),
    },
    "chest-xray-triage": {
        "ben": ("5434 3444 3", {}),
        "chloe": ("5424 1545 3", {"data_availability": "Labels need two radiologists each."}),
        "manager": (
            "4434 4345 3",
            {"data_availability": "The partner hospital's PACS export covers it."},
        ),
    },
    "pathology-prescreen": {
        "ben": ("4333 2454 5", {}),
        "chloe": ("4333 2443 5", {}),
    },
    "surgical-tool-pose": {
        "ben": ("3343 2552 4", {"accuracy_requirement": "Sub-centimetre error in theatre."}),
        "chloe": ("2242 1552 4", {}),
    },
    "icu-deterioration": {
        "ben": ("5454", {}),
    },
    "support-auto-replies": {
        "chloe": ("5553 3543 3", {"automation": "Replaces the whole first-line reply."}),
        "dev": ("5553 4441 3", {"prior_work": "Drafting is solved; sending unreviewed is not."}),
        "manager": ("4553 3444 3", {}),
    },
    "ticket-routing": {
        "chloe": ("3443 5224 1", {}),
        "dev": ("3442 5125 1", {}),
    },
    "churn-prediction": {
        "chloe": ("4313 4224 1", {}),
        "dev": ("4212 4235 1", {}),
        "manager": ("5313 4224 1", {"business_value": "Retention is next year's headline goal."}),
    },
    "product-recommendations": {
        "chloe": ("3315 4224 3", {}),
        "dev": ("4315 5215 3", {}),
    },
    "feedback-sentiment": {
        "chloe": ("2221 4215 1", {}),
        "dev": ("1221 4115 1", {}),
    },
    "refund-fraud-flags": {
        "chloe": ("3322 2434 2", {}),
    },
}


# Rated blind: the others' ratings stay hidden until each rater has rated everything.
BLIND = {"refund-fraud-flags"}


def ratings_for(key):
    """(rater username, criterion key, score, note) for the demo project `key`."""
    for rater, (scores, notes) in RATINGS.get(key, {}).items():
        for criterion, score in zip(CRITERIA, scores.replace(" ", ""), strict=False):
            yield rater, criterion, int(score), notes.get(criterion, "")
