"""The landing page after login: the portfolio."""

from django.shortcuts import redirect


def home(request):
    return redirect("project_list")
