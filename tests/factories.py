"""factory_boy factories for the cast and their portfolio."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portfolio.models import MANAGERS_GROUP, Baseline, Membership, Metric, Project, Rating, Team
from scoring.models import Criterion

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


class ManagerFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def managers_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get_or_create(name=MANAGERS_GROUP)[0])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    key = factory.Sequence(lambda n: f"project-{n}")
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "Predict which subscribers will cancel next month."
    team = factory.SubFactory(TeamFactory)
    archetype = Project.Archetype.IMPROVE
    effort_weeks = 8
    expected_value = 250000
    success_likelihood = 0.6


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"metric {n}")
    role = Metric.Role.SATISFICING
    direction = Metric.Direction.AT_MOST
    threshold = 100
    current = 120
    unit = "ms"


class BaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Baseline

    project = factory.SubFactory(ProjectFactory)
    kind = Baseline.Kind.DOMAIN_EXPERTS
    value = 0.9


def rate(project, rater, **scores):
    """`rater` scores `project` on the criteria named, e.g. business_value=5."""
    criteria = {criterion.key: criterion for criterion in Criterion.objects.all()}
    Rating.objects.bulk_create(
        Rating(project=project, rater=rater, criterion=criteria[key], score=score)
        for key, score in scores.items()
    )


def rated_project(team, rater, title, impact, feasibility, **fields):
    """A project whose impact and feasibility are (score - 1) * 25: one criterion each."""
    project = ProjectFactory(team=team, title=title, **fields)
    rate(project, rater, business_value=impact, data_availability=feasibility)
    return project
