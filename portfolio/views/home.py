"""The landing page after login."""

from django.shortcuts import render


def home(request):
    return render(request, "portfolio/home.html")
