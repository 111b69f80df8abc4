"""The admin's upload form: the file, whether to publish, and who to credit. The file is read and checked here,
so a bad file is an error on the form, shown before anything is stored."""

from __future__ import annotations

from django import forms

from blog.importing.items import ParsedSource, SourceError
from blog.importing.limits import ImportLimits
from blog.importing.sources import read_source
from blog.models import Author


class UploadForm(forms.Form):
    source = forms.FileField(
        label="Export or feed file",
        help_text="From WordPress: Tools > Export > Posts. Squarespace, Wix and Blogger offer a WordPress export "
        "too. A saved RSS or Atom feed works as well.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.rss,.atom,application/xml,text/xml"}),
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish the posts that were public on the old blog",
        help_text="Leave this off to bring everything in as drafts and publish each post after reading it.",
    )
    author = forms.ModelChoiceField(
        queryset=Author.objects.all(),
        required=False,
        label="Author",
        empty_label="The author named in the file, if there is one here",
        help_text="Credit every imported post to this author.",
    )

    def __init__(self, *args, can_publish: bool, limits: ImportLimits, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.parsed: ParsedSource | None = None
        self.content = b""
        if not can_publish:
            del self.fields["publish"]

    def clean_source(self):
        upload = self.cleaned_data["source"]
        try:
            if upload.size > self.limits.max_source_bytes:
                # read_source refuses it with the size in words, without the file being read into memory
                read_source(b"", limits=self.limits, declared_size=upload.size)
            self.content = upload.read()
            self.parsed = read_source(self.content, limits=self.limits)
        except SourceError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
