"""The Reports page: export the dashboard's view, watch the job, download the file.

The page is opened from the dashboard with the dashboard's query string, which it keeps
in hidden fields, so an export always follows the view on screen. A job's row polls with
htmx while the job runs (percent and stage) and ends with a download link. Only the
user who asked (and admins) may see a job or download its file; anyone else gets a 404.
"""

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from portfolio import access
from portfolio.views.partials import render_page
from scoring.forms import DashboardForm, ReportForm
from scoring.models import ReportJob
from scoring.reports import jobs

TEMPLATE = "scoring/reports.html"
JOBS_SHOWN = 20


def reports(request):
    """GET: the export form for the view in the query and the past exports. POST: start one."""
    data = request.POST if request.method == "POST" else request.GET
    view = DashboardForm(data, user=request.user)
    form = ReportForm(request.POST or None)
    if form.is_bound and form.is_valid():
        jobs.start(
            request.user,
            form.cleaned_data["format"],
            view.query(),
            briefs=form.cleaned_data["briefs"],
        )
        return _started(request, view)
    status = 422 if form.is_bound else 200
    return _jobs_page(request, view, form, status=status)


def report(request, pk):
    """One job's row: htmx polls it while the job runs. Without htmx: the list, at the job."""
    jobs.fail_stale()
    job = access.get_report_for_user(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('reports')}#job-{job.pk}")
    return render_page(request, TEMPLATE, {"job": job}, partial="job")


@require_POST
def report_again(request, pk):
    """Run an export again as it was asked, e.g. after it failed or expired."""
    job = access.get_report_for_user(request.user, pk)
    view = DashboardForm(job.query, user=request.user)
    jobs.start(request.user, job.format, job.query, briefs=job.briefs)
    return _started(request, view)


def report_download(request, pk):
    job = access.get_report_for_user(request.user, pk)
    path = jobs.path_of(job)
    if path is None:
        raise Http404("This export has no file (yet, or any more).")
    return FileResponse(path.open("rb"), as_attachment=True, filename=jobs.download_name(job))


def _started(request, view):
    """htmx gets the list of exports with the new one; a plain form post a fresh page."""
    if request.htmx:
        return _jobs_page(request, view, ReportForm(), partial="jobs")
    return redirect(_with_query(reverse("reports"), view.query()))


def _jobs_page(request, view, form, *, partial=None, status=200):
    jobs.fail_stale()
    query = view.query()
    context = {
        "form": form,
        "query": query,
        "described": view.described(),
        "dashboard_url": _with_query(reverse("dashboard"), query),
        "jobs": ReportJob.objects.filter(user=request.user)[:JOBS_SHOWN],
    }
    return render_page(request, TEMPLATE, context, partial=partial, status=status)


def _with_query(url, query):
    return f"{url}?{urlencode(query)}" if query else url
