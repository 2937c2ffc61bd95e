"""The demo portfolio's ML project proposals, drawn from the FSDL lecture's examples.

Plain data, loaded by the `load_demo` command through the services. Each proposal lists:
- `path`: the stages it moved through after planning, as (stage, reason); a move back
  carries the lecture's typical reason, made concrete;
- `metrics`: (name, role, direction, threshold, current, unit), exactly one optimizing;
- `baselines`: (kind, metric name or None, value, source, note);
- `answers`: (question key, value, note) for archetype key questions and the checklist.
"""

from portfolio.models import Answer, Baseline, Metric, Project

PLANNING, DATA, TRAINING, DEPLOYMENT = Project.Stage.values
OPTIMIZING, SATISFICING = Metric.Role.OPTIMIZING, Metric.Role.SATISFICING
AT_MOST, AT_LEAST = Metric.Direction.AT_MOST, Metric.Direction.AT_LEAST
YES, NO, UNKNOWN = Answer.Value.YES, Answer.Value.NO, Answer.Value.UNKNOWN
Kind = Baseline.Kind

CHEXNET = "https://arxiv.org/abs/1711.05225"
CAMELYON16 = "https://jamanetwork.com/journals/jama/fullarticle/2665774"

PROJECTS = [
    # Developer Tools
    {
        "key": "code-completion",
        "title": "Code completion in the IDE",
        "team": "Developer Tools",
        "owner": "ana",
        "archetype": Project.Archetype.IMPROVE,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 24,
        "expected_value": 900_000,
        "success_likelihood": 0.7,
        "summary": "Suggest the rest of the line as engineers type. Success: engineers accept "
        "at least 30 % of suggestions, and the editor never feels slower.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (DEPLOYMENT, ""),
            (
                DATA,
                "Training data doesn't match production data (mine hard cases): suggestions "
                "fail in our generated code, which the open-source training set lacks.",
            ),
            (TRAINING, ""),
            (DEPLOYMENT, ""),
        ],
        "metrics": [
            ("Acceptance rate", OPTIMIZING, AT_LEAST, 30, 27, "%"),
            ("Latency (p95)", SATISFICING, AT_MOST, 100, 85, "ms"),
            ("Model memory", SATISFICING, AT_MOST, 2, 1.6, "GB"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Acceptance rate", 11, "", "Language-server prefix completion."),
            (Kind.SIMPLE_ML, "Acceptance rate", 16, "", "n-gram model of our repositories."),
            (
                Kind.PUBLISHED,
                None,
                28.8,
                "https://arxiv.org/abs/2107.03374",
                "Codex pass@1 on HumanEval: another task and metric, context only.",
            ),
        ],
        "answers": [
            ("improve_performance", YES, "Acceptance up from 11 % (prefix completion) to 27 %."),
            ("improve_business_value", YES, "Engineers report saving about 20 minutes a day."),
            ("improve_flywheel", YES, "Accepted and rejected suggestions become training data."),
            ("check_success_criteria", YES, "Agreed with the IDE team: ≥ 30 %, p95 ≤ 100 ms."),
        ],
    },
    {
        "key": "review-comments",
        "title": "Code review comment suggestions",
        "team": "Developer Tools",
        "owner": "lead",
        "archetype": Project.Archetype.AUGMENT,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 16,
        "expected_value": 350_000,
        "success_likelihood": 0.45,
        "summary": "Draft review comments (likely bugs, missing tests, naming) that the reviewer "
        "keeps, edits or discards. Success: reviewers keep at least 40 % of the drafts.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (
                DATA,
                "Labels unreliable: whether a thread was resolved says little about the "
                "comment; senior reviewers are relabeling 2,000 comments.",
            ),
            (TRAINING, ""),
        ],
        "metrics": [
            ("Drafts kept", OPTIMIZING, AT_LEAST, 40, 31, "%"),
            ("Time to drafts", SATISFICING, AT_MOST, 30, 12, "s"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Drafts kept", 18, "", "Linter findings posted as comments."),
            (Kind.DOMAIN_EXPERTS, "Drafts kept", 64, "", "Engineers from other teams."),
            (Kind.DEEP_EXPERTS, "Drafts kept", 81, "", "The codebase's senior reviewers."),
        ],
        "answers": [
            ("augment_good_enough", YES, "Two good drafts in five, or reviewers ignore them."),
            ("augment_collect_data", UNKNOWN, "Keep/discard clicks, once the panel ships."),
            ("check_ethics", YES, "Drafts are shown to the reviewer only, never scored."),
        ],
    },
    {
        "key": "flaky-test-triage",
        "title": "Flaky-test triage",
        "team": "Developer Tools",
        "owner": "ana",
        "archetype": Project.Archetype.AUTOMATE,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 10,
        "expected_value": 220_000,
        "success_likelihood": 0.6,
        "summary": "Decide for each failing CI test whether it is flaky and quarantine it "
        "automatically, so builds stop going red for nothing, without hiding real bugs.",
        "path": [(DATA, "")],
        "metrics": [
            ("Flaky failures caught", OPTIMIZING, AT_LEAST, 90, None, "%"),
            ("Real failures quarantined", SATISFICING, AT_MOST, 1, None, "%"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Flaky failures caught", 70, "", "Rerun three times."),
            (
                Kind.REQUIREMENT,
                "Real failures quarantined",
                1,
                "",
                "Release engineering: at most 1 quarantine in 100 may hide a real bug.",
            ),
        ],
        "answers": [
            ("automate_failure_rate", YES, "At most 1 % of quarantines hide a real failure."),
            ("automate_guarantee", NO, "Needs a weekly audit of quarantined tests."),
            ("automate_label_cost", YES, "Reruns label the data for free."),
            ("check_need_ml", UNKNOWN, "The rerun rule catches 70 %: is 90 % worth a model?"),
        ],
    },
    {
        "key": "ui-sketch-to-code",
        "title": "UI sketch → code",
        "team": "Developer Tools",
        "owner": "lead",
        "archetype": Project.Archetype.AUGMENT,
        "status": Project.Status.ON_HOLD,
        "effort_weeks": 30,
        "expected_value": 500_000,
        "success_likelihood": 0.2,
        "summary": "Turn a photo of a whiteboard UI sketch into a first draft of our component "
        "code, for a designer to refine.",
        "path": [
            (DATA, ""),
            (
                PLANNING,
                "Data too hard to get: almost no sketch–code pairs exist; it may be easier "
                "to label a different task (screenshot → layout tree).",
            ),
        ],
        "metrics": [("Components placed right", OPTIMIZING, AT_LEAST, 80, None, "%")],
        "baselines": [
            (
                Kind.REQUIREMENT,
                "Components placed right",
                80,
                "",
                "Designers: below 80 % starting from scratch is faster.",
            ),
        ],
        "answers": [
            ("augment_good_enough", YES, "80 % of components in the right place."),
            ("augment_collect_data", NO, "Drawing one sketch–code pair takes 30 minutes."),
            ("check_literature", YES, "pix2code and its successors use synthetic screens."),
        ],
    },
    # Clinical AI
    {
        "key": "chest-xray-triage",
        "title": "Radiologist assistant: chest X-ray triage",
        "team": "Clinical AI",
        "owner": "ben",
        "archetype": Project.Archetype.AUGMENT,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 40,
        "expected_value": 1_200_000,
        "success_likelihood": 0.5,
        "summary": "Move chest X-rays with likely urgent findings (pneumothorax, pneumonia) to "
        "the top of the radiologist's worklist. The radiologist still reads every study.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (
                DATA,
                "Labels unreliable: labels mined from reports disagree with radiologists' "
                "reads on one study in five; a panel is relabeling the test set.",
            ),
            (TRAINING, ""),
        ],
        "metrics": [
            ("F1 for pneumonia", OPTIMIZING, AT_LEAST, 0.45, 0.41, ""),
            ("Sensitivity for pneumothorax", SATISFICING, AT_LEAST, 0.95, 0.93, ""),
            ("Time to flag a study", SATISFICING, AT_MOST, 10, 4, "s"),
        ],
        "baselines": [
            (
                Kind.PUBLISHED,
                "F1 for pneumonia",
                0.435,
                CHEXNET,
                "CheXNet on ChestX-ray14; fair only on a test set labeled the same way.",
            ),
            (
                Kind.DOMAIN_EXPERTS,
                "F1 for pneumonia",
                0.387,
                CHEXNET,
                "Average of four radiologists in the CheXNet study.",
            ),
            (
                Kind.DEEP_EXPERTS,
                "Sensitivity for pneumothorax",
                0.96,
                "",
                "Thoracic radiologists, our reader study of 300 studies.",
            ),
        ],
        "answers": [
            ("augment_good_enough", YES, "Pneumothorax sensitivity ≥ 0.95; a missed flag delays."),
            ("augment_collect_data", YES, "Every final report labels its study."),
            ("check_ethics", YES, "Reviewed with the partner hospital's ethics board."),
            ("check_literature", YES, "CheXNet and CheXpert."),
        ],
    },
    {
        "key": "pathology-prescreen",
        "title": "Pathology slide pre-screening",
        "team": "Clinical AI",
        "owner": "chloe",
        "archetype": Project.Archetype.AUGMENT,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 36,
        "expected_value": 800_000,
        "success_likelihood": 0.55,
        "summary": "Mark the regions of lymph-node slides most likely to hold metastases, so "
        "the pathologist looks there first, and sort clearly negative slides last.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (DEPLOYMENT, ""),
            (
                TRAINING,
                "Model doesn't work outside the lab: slides from the second hospital's "
                "scanner look different; adding stain augmentation.",
            ),
            (DEPLOYMENT, ""),
        ],
        "metrics": [
            ("Slide-level AUC", OPTIMIZING, AT_LEAST, 0.95, 0.96, ""),
            ("Positive slides sorted last", SATISFICING, AT_MOST, 0.5, 0.8, "%"),
            ("Slides per hour", SATISFICING, AT_LEAST, 60, 75, ""),
        ],
        "baselines": [
            (
                Kind.PUBLISHED,
                "Slide-level AUC",
                0.994,
                CAMELYON16,
                "Best CAMELYON16 algorithm, on the challenge's slides, not ours.",
            ),
            (
                Kind.DOMAIN_EXPERTS,
                "Slide-level AUC",
                0.81,
                CAMELYON16,
                "Mean of 11 pathologists under a time limit, same study.",
            ),
        ],
        "answers": [
            ("augment_good_enough", YES, "No positive slide sorted last more than 1 in 200."),
            ("augment_collect_data", YES, "Pathologists' annotations come with each review."),
            ("check_benchmark", YES, "400 slides annotated by two pathologists."),
        ],
    },
    {
        "key": "surgical-tool-pose",
        "title": "Surgical tool pose tracking for the camera arm",
        "team": "Clinical AI",
        "owner": "ben",
        "archetype": Project.Archetype.AUTOMATE,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 50,
        "expected_value": 700_000,
        "success_likelihood": 0.3,
        "summary": "Estimate the position and angle of laparoscopic instruments from the "
        "endoscope video, so the camera arm can follow them without an assistant.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (
                PLANNING,
                "Requirements trade off against each other: 100 ms inference and < 5° "
                "angular error can't both be met yet; we optimize angular error, threshold "
                "position error and ignore runtime for now.",
            ),
            (DATA, ""),
            (TRAINING, ""),
        ],
        "metrics": [
            ("Angular error", OPTIMIZING, AT_MOST, 5, 60, "°"),
            ("Position error", SATISFICING, AT_MOST, 1, 1.25, "cm"),
            ("Inference time", SATISFICING, AT_MOST, 100, 300, "ms"),
        ],
        "baselines": [
            (
                Kind.REQUIREMENT,
                "Position error",
                1,
                "",
                "Surgical robotics team: keep the tip within 1 cm.",
            ),
            (
                Kind.RULE_BASED,
                "Angular error",
                25,
                "",
                "Optical markers on the shaft; not allowed in the sterile field.",
            ),
        ],
        "answers": [
            ("automate_failure_rate", YES, "Losing the tool once an hour; the surgeon takes over."),
            ("automate_guarantee", UNKNOWN, ""),
            ("automate_label_cost", NO, "3D ground truth needs the motion-capture rig."),
        ],
    },
    {
        "key": "icu-deterioration",
        "title": "ICU deterioration alerts",
        "team": "Clinical AI",
        "owner": "chloe",
        "archetype": Project.Archetype.AUTOMATE,
        "status": Project.Status.REJECTED,
        "effort_weeks": 60,
        "expected_value": 1_500_000,
        "success_likelihood": 0.1,
        "summary": "Page the ICU team automatically when vital signs predict deterioration "
        "within the next six hours.",
        "path": [],
        "metrics": [
            ("Sensitivity at 6 hours", OPTIMIZING, AT_LEAST, 0.9, None, ""),
            ("False alarms per bed-day", SATISFICING, AT_MOST, 0.5, None, ""),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Sensitivity at 6 hours", 0.62, "", "Early warning score."),
        ],
        "answers": [
            ("automate_failure_rate", NO, "No missed deterioration is acceptable."),
            ("automate_guarantee", NO, "Not without a prospective trial."),
            ("check_need_ml_again", NO, "Rejected: rethink as decision support, narrower scope."),
        ],
    },
    # Customer Experience
    {
        "key": "support-auto-replies",
        "title": "Automated customer support replies",
        "team": "Customer Experience",
        "owner": "dev",
        "archetype": Project.Archetype.AUTOMATE,
        "status": Project.Status.ON_HOLD,
        "effort_weeks": 28,
        "expected_value": 1_000_000,
        "success_likelihood": 0.25,
        "summary": "Answer common tickets (password resets, billing dates, delivery status) "
        "without an agent.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (DEPLOYMENT, ""),
            (
                PLANNING,
                "Real-world performance poor: customers reopened 38 % of auto-answered "
                "tickets; rethinking it as suggested replies for agents.",
            ),
        ],
        "metrics": [
            ("Resolved without reopening", OPTIMIZING, AT_LEAST, 85, 62, "%"),
            ("Wrong answers", SATISFICING, AT_MOST, 2, 6, "%"),
            ("Reply time", SATISFICING, AT_MOST, 60, 8, "s"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Resolved without reopening", 41, "", "Keyword-matched macros."),
            (Kind.RANDOM_PEOPLE, "Resolved without reopening", 55, "", "Agents in week one."),
            (Kind.DOMAIN_EXPERTS, "Resolved without reopening", 88, "", "Experienced agents."),
        ],
        "answers": [
            ("automate_failure_rate", YES, "At most 2 % wrong answers."),
            ("automate_guarantee", NO, "No confidence threshold has held up in production."),
            ("automate_label_cost", YES, "Reopened tickets label themselves."),
        ],
    },
    {
        "key": "ticket-routing",
        "title": "Support ticket routing",
        "team": "Customer Experience",
        "owner": "chloe",
        "archetype": Project.Archetype.AUTOMATE,
        "status": Project.Status.DONE,
        "effort_weeks": 8,
        "expected_value": 300_000,
        "success_likelihood": 0.85,
        "summary": "Send each new ticket to the right queue (billing, technical, account, "
        "shipping) instead of a triage agent doing it by hand.",
        "path": [(DATA, ""), (TRAINING, ""), (DEPLOYMENT, "")],
        "metrics": [
            ("Routing accuracy", OPTIMIZING, AT_LEAST, 90, 92, "%"),
            ("Routing latency", SATISFICING, AT_MOST, 500, 120, "ms"),
        ],
        "baselines": [
            (Kind.RANDOM_PEOPLE, "Routing accuracy", 58, "", "Crowd workers."),
            (Kind.RANDOM_ENSEMBLE, "Routing accuracy", 69, "", "Majority of five crowd workers."),
            (Kind.DOMAIN_EXPERTS, "Routing accuracy", 86, "", "Triage agents."),
            (Kind.DEEP_EXPERTS, "Routing accuracy", 93, "", "Queue leads."),
            (Kind.MIXTURE_OF_EXPERTS, "Routing accuracy", 95, "", "Queue leads and an agent."),
            (Kind.RULE_BASED, "Routing accuracy", 64, "", "The triage team's keyword rules."),
            (Kind.SIMPLE_ML, "Routing accuracy", 81, "", "Bag of words, logistic regression."),
        ],
        "answers": [
            ("automate_failure_rate", YES, "A misrouted ticket costs one reassignment: 10 %."),
            ("automate_guarantee", YES, "Weekly sample check; back to manual triage below 85 %."),
            ("automate_label_cost", YES, "Agents' reassignments are the labels."),
        ],
    },
    {
        "key": "churn-prediction",
        "title": "Churn prediction",
        "team": "Customer Experience",
        "owner": "dev",
        "archetype": Project.Archetype.IMPROVE,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 12,
        "expected_value": 600_000,
        "success_likelihood": 0.6,
        "summary": "Predict which subscribers will cancel next month, so the retention team "
        "calls them first; replaces today's rule-based list.",
        "path": [
            (DATA, ""),
            (TRAINING, ""),
            (DATA, "Need more data: only nine months of cancellations since the price change."),
        ],
        "metrics": [
            ("AUC", OPTIMIZING, AT_LEAST, 0.8, 0.74, ""),
            ("Precision in the top 5 %", SATISFICING, AT_LEAST, 30, 24, "%"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "AUC", 0.62, "", "No login in 30 days."),
            (Kind.SIMPLE_ML, "AUC", 0.71, "", "Logistic regression on usage counts."),
        ],
        "answers": [
            ("improve_performance", YES, "AUC 0.74 against 0.62 for the rule."),
            ("improve_business_value", UNKNOWN, "Does a better list save more customers?"),
            ("improve_flywheel", NO, "Outcomes arrive once a month."),
        ],
    },
    {
        "key": "product-recommendations",
        "title": "Product recommendations",
        "team": "Customer Experience",
        "owner": "chloe",
        "archetype": Project.Archetype.IMPROVE,
        "status": Project.Status.ACTIVE,
        "effort_weeks": 20,
        "expected_value": 1_400_000,
        "success_likelihood": 0.65,
        "summary": "Recommend products on the home page and in the cart from browsing and "
        "purchase history, replacing “most popular in category”.",
        "path": [(DATA, ""), (TRAINING, ""), (DEPLOYMENT, "")],
        "metrics": [
            ("Click-through rate", OPTIMIZING, AT_LEAST, 4, 3.4, "%"),
            ("Response time", SATISFICING, AT_MOST, 50, 38, "ms"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Click-through rate", 2.2, "", "Most popular in category."),
            (Kind.SIMPLE_ML, "Click-through rate", 2.9, "", "Co-purchase counts."),
        ],
        "answers": [
            ("improve_performance", YES, "A/B test: 3.4 % click-through against 2.2 %."),
            ("improve_business_value", YES, "Baskets 3 % larger."),
            ("improve_flywheel", YES, "More clicks → more data → better recommendations."),
        ],
    },
    {
        "key": "feedback-sentiment",
        "title": "Sentiment on product feedback",
        "team": "Customer Experience",
        "owner": "dev",
        "archetype": Project.Archetype.IMPROVE,
        "status": Project.Status.PROPOSED,
        "effort_weeks": 4,
        "expected_value": 80_000,
        "success_likelihood": 0.8,
        "summary": "Tag app reviews and survey comments as positive, neutral or negative, so "
        "product managers see weekly trends instead of reading a sample.",
        "path": [],
        "metrics": [("Accuracy", OPTIMIZING, AT_LEAST, 85, None, "%")],
        "baselines": [
            (
                Kind.PUBLISHED,
                "Accuracy",
                94.9,
                "https://arxiv.org/abs/1810.04805",
                "BERT-large on SST-2: two classes of movie reviews, not a fair comparison.",
            ),
            (Kind.SIMPLE_ML, "Accuracy", 78, "", "Bag of words, 1,000 hand-tagged comments."),
            (Kind.RANDOM_ENSEMBLE, "Accuracy", 84, "", "Majority of three colleagues."),
        ],
        "answers": [
            ("check_need_ml", YES, "Thousands of comments a week."),
            ("check_minimum_model", YES, "Word-list rules: 70 %."),
        ],
    },
    {
        "key": "refund-fraud-flags",
        "title": "Refund fraud flags",
        "team": "Customer Experience",
        "owner": "chloe",
        "archetype": Project.Archetype.AUGMENT,
        "status": Project.Status.PROPOSED,
        "effort_weeks": 14,
        "expected_value": 450_000,
        "success_likelihood": 0.4,
        "summary": "Flag suspicious refund requests for a reviewer before money goes out; the "
        "reviewer decides, the model only ranks.",
        "path": [(DATA, "")],
        "metrics": [
            ("Precision of flags", OPTIMIZING, AT_LEAST, 50, None, "%"),
            ("Fraud flagged", SATISFICING, AT_LEAST, 60, None, "%"),
            ("Requests flagged", SATISFICING, AT_MOST, 2, None, "%"),
        ],
        "baselines": [
            (Kind.RULE_BASED, "Precision of flags", 12, "", "Over €500, or three in a month."),
        ],
        "answers": [
            ("augment_good_enough", YES, "Reviewers see 2 % of requests; half must be fraud."),
            ("augment_collect_data", UNKNOWN, "Confirmed fraud is rare: about 40 cases a month."),
            ("check_ethics", UNKNOWN, "Check for bias against new customers and regions."),
        ],
    },
]
