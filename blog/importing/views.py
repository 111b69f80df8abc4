"""The admin's import: upload a file, read the dry-run report, confirm, follow the import to its report.

For users with `blog.import_posts` (the Counselor group, and superusers). The upload is kept as a `BlogImport`
row, so the file checked is the file imported. Confirming hands the import to a Celery task (an import with
many images takes longer than a web request may) and leads to a status page that shows the report once the task
has finished. Without Redis, Celery runs the task in the request itself and the report shows at once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from blog.importing.forms import UploadForm
from blog.importing.items import ImportProblem
from blog.importing.limits import ImportLimits
from blog.importing.planning import ImportOptions
from blog.importing.report import ImportReport
from blog.importing.service import blog_index, import_source
from blog.models import BlogImport
from blog.tasks import IMPORT_TIME_LIMIT_SECONDS, run_blog_import

PERMISSION = "blog.import_posts"
KEPT_FOR = datetime.timedelta(days=1)


def can_publish_posts(user) -> bool:
    try:
        return blog_index().permissions_for_user(user).can_publish_subpage()
    except ImportProblem:
        return False


class ImportAdminMixin(WagtailAdminTemplateMixin):
    page_title = "Import posts"
    header_icon = "download"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def own_import(self, pk: int, **filters) -> BlogImport:
        return get_object_or_404(
            BlogImport,
            pk=pk,
            uploaded_by=self.request.user,
            uploaded_at__gte=timezone.now() - KEPT_FOR,
            **filters,
        )

    def render_report(self, **context) -> HttpResponse:
        context = self.get_context_data(**context)
        return TemplateResponse(self.request, "blog/importing/report.html", context)


@method_decorator([never_cache, require_admin_access], name="dispatch")
class UploadView(ImportAdminMixin, FormView):
    """Step 1: the file and the options; a valid file is kept and its dry-run report shown."""

    template_name = "blog/importing/upload.html"
    form_class = UploadForm

    def get_form_kwargs(self) -> dict:
        return {
            **super().get_form_kwargs(),
            "can_publish": can_publish_posts(self.request.user),
            "limits": ImportLimits.from_settings(),
        }

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        try:
            blog_index()
        except ImportProblem as problem:
            context["problem"] = str(problem)
        return context

    def form_valid(self, form: UploadForm) -> HttpResponse:
        BlogImport.objects.filter(uploaded_at__lt=timezone.now() - KEPT_FOR).delete()
        options = ImportOptions(
            publish=form.cleaned_data.get("publish", False), author=form.cleaned_data["author"]
        )
        try:
            report = import_source(form.parsed, options=options, dry_run=True)
        except ImportProblem as problem:
            form.add_error(None, str(problem))
            return self.form_invalid(form)
        run = BlogImport.objects.create(
            uploaded_by=self.request.user,
            file_name=form.cleaned_data["source"].name[:255],
            content=form.content,
            publish=options.publish,
            author=options.author,
        )
        return self.render_report(report=report, run=run)


@method_decorator([never_cache, require_admin_access], name="dispatch")
class ConfirmView(ImportAdminMixin, View):
    """Step 2: start the import of an upload this user checked; a second press starts nothing."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("blog_import_status", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        with transaction.atomic():
            run = self.own_import(pk)
            started = BlogImport.objects.filter(pk=run.pk, status=BlogImport.Status.CHECKED).update(
                status=BlogImport.Status.RUNNING, started_at=timezone.now()
            )
            if started:
                may_publish = can_publish_posts(request.user)
                transaction.on_commit(lambda: run_blog_import.delay(run.pk, may_publish))
        return redirect("blog_import_status", pk=run.pk)


@method_decorator([never_cache, require_admin_access], name="dispatch")
class StatusView(ImportAdminMixin, View):
    """Step 3: "importing…" while the task runs, then its report."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.own_import(pk)
        if run.status == BlogImport.Status.CHECKED:
            return redirect("blog_import")
        if run.status == BlogImport.Status.RUNNING:
            running_for = timezone.now() - (run.started_at or run.uploaded_at)
            if running_for.total_seconds() <= IMPORT_TIME_LIMIT_SECONDS + 60:
                return self.render_report(run=run, running=True)
            return self.render_report(
                problem="The import stopped before it finished. Posts imported until then are kept; importing "
                "the same file again continues where it stopped."
            )
        if run.status == BlogImport.Status.FAILED or not run.report or "problem" in run.report:
            return self.render_report(problem=(run.report or {}).get("problem", "The import stopped."))
        return self.render_report(report=ImportReport.from_data(run.report), run=run)


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


def admin_urls() -> list:
    return [
        path("blog/import/", UploadView.as_view(), name="blog_import"),
        path("blog/import/<int:pk>/start/", ConfirmView.as_view(), name="blog_import_confirm"),
        path("blog/import/<int:pk>/", StatusView.as_view(), name="blog_import_status"),
    ]


def settings_menu_item() -> MenuItem:
    return ImportMenuItem("Import posts", reverse("blog_import"), icon_name="download", order=900)
