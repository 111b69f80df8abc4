"""What the importer brought in, so a second run recognises each item and leaves alone what it should."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportedPost(models.Model):
    """One item of another blog, by its GUID and link, and the post it became.

    `revision` is the revision the import wrote: when the post's latest revision is another one, someone edited the
    post here, and a later import does not overwrite that work. `page` is kept empty rather than the row deleted
    when the post is deleted here, so the import does not bring back a post someone chose to remove.
    """

    guid = models.CharField(max_length=500, blank=True, db_index=True, verbose_name="GUID on the old blog")
    link = models.CharField(max_length=500, blank=True, db_index=True, verbose_name="address on the old blog")
    page = models.ForeignKey(
        "blog.BlogPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="post",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="revision written by the import",
    )
    content_hash = models.CharField(max_length=64, verbose_name="fingerprint of the imported content")
    first_imported_at = models.DateTimeField(auto_now_add=True, verbose_name="first imported at")
    last_imported_at = models.DateTimeField(auto_now=True, verbose_name="last imported at")

    class Meta:
        verbose_name = "imported post"
        verbose_name_plural = "imported posts"
        constraints = [
            models.UniqueConstraint(
                fields=["guid"], condition=~Q(guid=""), name="blog_imported_post_unique_guid"
            ),
        ]
        permissions = [("import_posts", "Can import posts from another blog")]

    def __str__(self) -> str:
        return self.guid or self.link


class BlogImport(models.Model):
    """An import started in the admin: the uploaded file and its options, then its state and report.

    The file is kept in the database rather than as a file: media is published by the web server, and an export
    holds drafts and the old blog's private details; the database is also shared by every web process and the
    worker that runs the import. The file is dropped once the import has run; the row, with its report, a day
    after upload.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", "checked, waiting for confirmation"
        RUNNING = "running", "running"
        FINISHED = "finished", "finished"
        FAILED = "failed", "stopped"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="uploaded by"
    )
    file_name = models.CharField(max_length=255, verbose_name="file name")
    content = models.BinaryField(blank=True, verbose_name="content")
    publish = models.BooleanField(default=False, verbose_name="publish what was public")
    author = models.ForeignKey(
        "blog.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="author for every post",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.CHECKED, verbose_name="status"
    )
    report = models.JSONField(null=True, blank=True, verbose_name="report")
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")
    started_at = models.DateTimeField(null=True, blank=True, verbose_name="started at")

    class Meta:
        verbose_name = "blog import"
        verbose_name_plural = "blog imports"

    def __str__(self) -> str:
        return self.file_name
