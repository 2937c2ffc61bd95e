"""docker-compose.yml stays consistent with the code (Docker itself cannot run in CI)."""

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command_words(service):
    command = service["command"]
    words = shlex.split(command) if isinstance(command, str) else command
    return [part for word in words for part in shlex.split(word)]


def test_compose_has_database_broker_web_and_worker():
    assert set(SERVICES) == {"db", "redis", "web", "worker"}
    assert SERVICES["db"]["image"].startswith("postgres:16")
    assert "healthcheck" in SERVICES["db"]
    assert SERVICES["web"]["build"] == SERVICES["worker"]["build"] == "."


@pytest.mark.parametrize("name", ["web", "worker"])
def test_every_command_names_scripts_and_modules_that_exist(name):
    words = command_words(SERVICES[name])
    scripts = [word for word in words if word.endswith(".py")]
    targets = [word for word in words if re.fullmatch(r"[A-Za-z_][\w.]*:\w+", word)]
    apps = [words[index + 1] for index, word in enumerate(words) if word == "-A"]

    assert scripts or targets or apps
    for script in scripts:
        assert (ROOT / script).is_file(), script
    for target in targets:
        module, attribute = target.split(":")
        assert hasattr(importlib.import_module(module), attribute), target
    for app in apps:
        assert hasattr(importlib.import_module(app), "celery_app"), app


@pytest.mark.parametrize("name", ["web", "worker"])
def test_app_services_get_database_and_broker_from_the_environment(name):
    environment = SERVICES[name]["environment"]

    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["CELERY_BROKER_URL"].startswith("redis://")
    assert "SECRET_KEY" in environment


def test_dockerfile_serves_the_wsgi_application_that_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "portfolio.wsgi:application" in dockerfile
    assert hasattr(importlib.import_module("portfolio.wsgi"), "application")
