"""Turn the bytes of an export or feed into an XML tree, safely, with errors a person can act on.

defusedxml refuses entity declarations (the "billion laughs" expansion) and external references, which an
uploaded file could otherwise use to exhaust memory or read the server's files. Text that is not in the encoding
the file declares is reported with its line, rather than guessed at.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError  # noqa: S405 - types only; parsing is defusedxml  # nosec B405

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from blog.importing.items import SourceError

BOM = b"\xef\xbb\xbf"
DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _declared_encoding(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    match = DECLARED_ENCODING.match(content.removeprefix(BOM))
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def _check_encoding(content: bytes) -> None:
    encoding = _declared_encoding(content)
    try:
        content.decode(encoding)
    except LookupError as error:
        raise SourceError(
            f"The file says its text is in “{encoding}”, an encoding this site does not know."
        ) from error
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise SourceError(
            f"The file says its text is {encoding.upper()}, but line {line} contains characters that are not. "
            "Export the blog again, or open the file in a text editor and save it as UTF-8."
        ) from error


def parse_xml(content: bytes) -> Element:
    """The root element of `content`; a SourceError saying what is wrong when it is not safe, well-formed XML."""
    if not content.strip():
        raise SourceError("The file is empty.")
    if _declared_encoding(content) != "utf-16" and not content.removeprefix(BOM).lstrip().startswith(b"<"):
        raise SourceError("This file is not an export or a feed: it does not start like one (with “<”).")
    _check_encoding(content)
    try:
        return defusedxml.ElementTree.fromstring(content)
    except DefusedXmlException as error:
        raise SourceError(
            "The file declares XML entities or external references, which are refused for safety. "
            "A file exported from WordPress or a blog's feed does not contain them."
        ) from error
    except ParseError as error:
        line, column = error.position
        raise SourceError(
            f"The file is not well-formed XML: the structure breaks at line {line}, column {column + 1}. "
            "It may have been cut short or edited by hand; export it again."
        ) from error


def local_name(element: Element) -> str:
    """`item` for `{http://...}item` or `item`."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def namespace(element: Element) -> str:
    return (
        element.tag[1:].split("}", 1)[0]
        if isinstance(element.tag, str) and element.tag.startswith("{")
        else ""
    )


def text_of(element: Element | None) -> str:
    """The text inside an element (CDATA included), stripped; "" for a missing element."""
    return "".join(element.itertext()).strip() if element is not None else ""
