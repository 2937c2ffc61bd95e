"""Rendering a page, or for htmx only the named partial of that page's template.

One template per page: the fragments htmx swaps are `{% partialdef %}`s of that same
template, so every fragment also has a real page at the same URL. The response varies
on HX-Request, or a browser's back button could show a bare fragment as a page.
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template, context, *, partial=None, status=200):
    """The whole page, or its `partial` when htmx asks (and a partial is named).

    htmx restoring a page from history after a cache miss also sends HX-Request; it
    needs the whole page.
    """
    wants_partial = request.htmx and not request.htmx.history_restore_request
    name = f"{template}#{partial}" if partial and wants_partial else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
