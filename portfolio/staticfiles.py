"""Serve Plotly.js from the installed plotly package rather than a committed copy.

The bundle always matches plotly.py's version, and collectstatic picks it up like any
other static file (so whitenoise compresses it and gives it a hashed, cacheable name).
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "js/vendor/plotly.min.js"
PACKAGE_DATA = Path(plotly.__file__).parent / "package_data"


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_JS:
            return []
        location = str(PACKAGE_DATA / "plotly.min.js")
        return [location] if find_all else location

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=PACKAGE_DATA)
        storage.prefix = str(Path(PLOTLY_JS).parent)
        yield "plotly.min.js", storage
