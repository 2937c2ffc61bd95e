"""Background tasks of the portfolio app."""

import socket

from celery import shared_task


@shared_task(name="portfolio.ping")
def ping(payload):
    """Echo the payload with the worker's host name: proves a task round-trips."""
    return {"payload": payload, "worker": socket.gethostname()}
