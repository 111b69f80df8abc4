"""Bring posts from another blog: a WordPress export (WXR) or an RSS/Atom feed, by file or by URL.

One job per module, in the order an import runs:

- `sources` opens a file, uploaded bytes or a feed URL (`fetch` downloads within limits, `safexml` parses
  safely) and hands the tree to `wxr` or `feeds`, which produce the neutral `items.SourceItem`.
- `planning` decides for each item (create, update, skip and why) and prepares the post: `wordpress_content`
  makes WordPress's stored text into HTML, `sanitize` strips what must not come across, `blocks` builds the
  StreamField blocks.
- `writing` saves each item in its own transaction: `images` brings images into the library, `redirects`
  keeps the old address working, and `blog.models.ImportedPost` remembers the item for the next run.
- `service.import_source` runs it all and returns a `report.ImportReport`; a dry run stops after planning.

The management command `import_posts` and the admin views in `views` (upload and dry run, then a Celery task,
`blog.tasks.run_blog_import`, for the import itself, tracked by `blog.models.BlogImport`) call the service.
"""
