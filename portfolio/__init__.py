"""Quadrant's project package and the app that stores teams, projects and ratings."""

from .celery import app as celery_app

__all__ = ["celery_app"]
