"""Template context shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("home", _("Home")),
]


def navigation(request):
    """The main navigation, with the current section marked."""
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    return {
        "navigation": [
            {"url": reverse(name), "label": label, "current": name == current}
            for name, label in NAVIGATION
        ]
    }
