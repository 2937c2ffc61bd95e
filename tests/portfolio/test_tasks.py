"""Background tasks: inline without a broker, on a real worker with Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from portfolio.celery import app as celery_app
from portfolio.tasks import ping

ROOT = Path(__file__).resolve().parents[2]


def test_task_runs_inline_without_a_broker(inline_tasks):
    result = ping.delay("hello")

    assert result.get(timeout=5)["payload"] == "hello"


@pytest.mark.django_db
def test_task_is_queued_only_after_the_transaction_commits(
    inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ping.delay_on_commit("after commit")

    assert len(callbacks) == 1


def test_celery_accepts_json_only_and_acknowledges_late():
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.task_time_limit > celery_app.conf.task_soft_time_limit > 0


@pytest.fixture
def worker(broker_url):
    """A real Celery worker process on its own queue, stopped after the test."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "portfolio", "worker",
            "--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle",
            f"--queues={queue}", f"--hostname={queue}@%h", "--loglevel=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "CELERY_BROKER_URL": broker_url},
    )  # fmt: skip
    yield queue
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.services
def test_task_round_trips_through_a_real_worker_on_redis(worker):
    result = ping.apply_async(args=["round trip"], queue=worker)

    answer = result.get(timeout=60)

    assert answer["payload"] == "round trip"
    assert answer["worker"]
