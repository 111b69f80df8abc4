"""schema.org data as a `<script type="application/ld+json">` block, safe against markup in any value.

Django's `json_script` filter writes `type="application/json"`; search engines read `application/ld+json`,
so this applies the same escapes (`<`, `>`, `&` as \\u escapes) with the type they expect.
"""

import json

from django.utils.safestring import SafeString, mark_safe

_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped  # nosec B308 B703
