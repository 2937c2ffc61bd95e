"""Seed the FSDL default rubric (spec/scoring.md) and the Default scoring profile.

Later edits by managers are kept: a criterion that already exists is left alone.
"""

from django.db import migrations

RUBRIC = [
    # key, dimension, name, weight, higher_is_better, description, guidance 1 / 3 / 5
    (
        "business_value", "impact", "Business value", 3, True,
        "Value to the business if it works.",
        "Nice to have; nobody would notice",
        "Clear value to one product or team",
        "Changes a key business metric",
    ),
    (
        "cheap_prediction", "impact", "Cheap prediction", 2, True,
        "How much cheap, fast prediction changes decisions or removes product friction.",
        "Predictions would change no decision",
        "Removes some friction or speeds up some decisions",
        "Cheap prediction changes decisions across the product",
    ),
    (
        "automation", "impact", "Automation", 2, True,
        "Automates a complicated manual process or replaces complicated rule-based "
        "software (Software 2.0).",
        "Nothing complicated is automated or replaced",
        "Automates part of a manual process or simplifies some rules",
        "Replaces a complicated manual process or rule-based system",
    ),
    (
        "data_flywheel", "impact", "Data flywheel", 1, True,
        "More use → more data → better model → more use.",
        "Use produces no useful data",
        "Some feedback can be collected",
        "Every use improves the model, which brings more use",
    ),
    (
        "data_availability", "feasibility", "Data availability", 3, True,
        "Data can be acquired and labeled affordably, in the volume needed, stable, within "
        "security rules.",
        "No data and costly labels",
        "Some data; labeling is affordable but slow",
        "Ample labeled data, stable and cleared for use",
    ),
    (
        "accuracy_requirement", "feasibility", "Accuracy requirement", 3, False,
        "How right it must be to be useful, and how costly errors are (cost grows "
        "super-linearly).",
        "Useful even when often wrong; errors are cheap",
        "Must usually be right; errors cost something",
        "Must almost never be wrong; errors are costly or unsafe",
    ),
    (
        "problem_difficulty", "feasibility", "Problem difficulty", 2, False,
        "Complex output, high reliability or strong generalization needed.",
        "Well-defined, simple output, in-distribution",
        "Some complex output or robustness needed",
        "Complex output, high reliability and strong generalization",
    ),
    (
        "prior_work", "feasibility", "Prior work", 1, True,
        "Good published work or open solutions exist; a human can do the task.",
        "Nothing published; humans struggle too",
        "Related work exists; humans can do it with effort",
        "Strong published or open solutions; humans do it easily",
    ),
    (
        "compute_cost", "feasibility", "Compute cost", 1, False,
        "Compute needed to train and to serve.",
        "Trains on a laptop, serves cheaply",
        "Needs a few GPUs to train or notable serving cost",
        "Large-scale training or costly real-time serving",
    ),
]  # fmt: skip


def seed(apps, schema_editor):
    criterion_model = apps.get_model("scoring", "Criterion")
    profile_model = apps.get_model("scoring", "ScoringProfile")
    for position, row in enumerate(RUBRIC):
        key, dimension, name, weight, higher, description, g1, g3, g5 = row
        criterion_model.objects.get_or_create(
            key=key,
            defaults={
                "dimension": dimension,
                "name": name,
                "weight": weight,
                "higher_is_better": higher,
                "description": description,
                "guidance_1": g1,
                "guidance_3": g3,
                "guidance_5": g5,
                "position": position,
            },
        )
    if not profile_model.objects.filter(is_default=True).exists():
        profile_model.objects.create(
            name="Default",
            is_default=True,
            description="The FSDL rubric's own weights; thresholds 50 / 50; mean of the raters.",
        )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
