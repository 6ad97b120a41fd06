"""What a provider's conventions pages say about every call: the base URL, and the
credential header every request carries.

Docs state it in a handful of ways, whatever the markup:

* a metadata line: ``HOST: https://api.example.com/v1`` (API Blueprint);
* a label and the URL after it: ``**Base URL**`` then a code block holding
  ``https://discord.com/api``; "All URLs start with:" then the URL;
* a sentence: "The production API can be accessed from the following location:
  https://api.cielo24.com", "The base URL is `https://api.example.com/v2`";
* with a qualifier that makes it a second server: "a sandbox API is provided at
  https://sandbox.cielo24.com".

A label that names another kind of URL ("Image Base URL", "CDN endpoint") states
nothing about the API.  Placeholders (``$ACCOUNT_ID``, ``<domain>``, ``:id``) become
``{snake_case}`` template variables.

An Authentication section that shows the header to send (``Authorization: Bearer
<token>``, ``X-Api-Key: <key>``, in code or inline code) states the credential of
every call (``StatedAuth``); an operation's own examples still decide for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.document import (
    Block,
    BulletList,
    CodeBlock,
    Directive,
    Document,
    Endpoint,
    Paragraph,
    Section,
    children_of,
)
from generator.extract.http_examples import shell_variables

_STATEMENT = re.compile(
    r"\b(host(?=\s*:\s*https?://)|base[ -]?(url|uri)|api (endpoint|root|host)|root url|all (api )?(urls|requests|calls|endpoints) "
    r"(start|begin|are (made|sent|relative)|go)|(production|live|sandbox|test|staging) (api|environment|server)"
    r"|the api (is|can be) (accessed|reached|found|available)|api is (available|hosted|served))\b",
    re.I,
)
_WORDS = re.compile(r"host|ur[li]|api|endpoint|request|call", re.I)
_OTHER_KIND = re.compile(r"\b(image|images|cdn|media|asset|assets|upload|uploads|webhook|redirect|callback|oauth|auth(orization)?|websocket|streaming|gateway|docs?|documentation|website|dashboard)\b", re.I)
_SECONDARY = re.compile(r"\b(sandbox|test(ing)?|staging|development|dev)\b", re.I)
_URL = re.compile(r"https?://[^\s`'\"<>)\]]+(?:<[^<>\s]+>[^\s`'\"<>)\]]*)*")
_PLACEHOLDERS = [  # besides shell variables ($ACCOUNT_ID, ${TOKEN})
    (re.compile(r"<([^<>/\s]+)>"), r"{\1}"),
    (re.compile(r"\[([^\[\]/\s]+)\]"), r"{\1}"),
    (re.compile(r"/:([A-Za-z_]\w*)"), r"/{\1}"),
]


@dataclass(frozen=True)
class BaseUrl:
    url: str  # with {variables}, no trailing slash
    line: int
    secondary: bool = False  # sandbox / staging / test


@dataclass(frozen=True)
class StatedAuth:
    header: str  # Authorization, X-Api-Key, ...
    value: str  # as shown: "Bearer <token>", "<key>"
    line: int


def base_urls(document: Document) -> list[BaseUrl]:
    found: list[BaseUrl] = []
    _scan(document.children, found)
    return found


_AUTH_TITLE = re.compile(r"\b(auth\w*|api[ -]?keys?|tokens?|credentials?)\b", re.I)
_AUTH_HEADER = re.compile(r"^\s*(Authorization|(?:X-)?(?:Api|Auth|Access|App)[-_]?(?:Key|Token)|X-[\w-]*(?:Key|Token))\s*:\s*(\S.*?)\s*$", re.I | re.M)


def stated_auth(document: Document) -> list[StatedAuth]:
    """Credential headers shown in the page's authentication sections."""
    found: list[StatedAuth] = []
    for section in document.sections():
        if not _AUTH_TITLE.search(section.title):
            continue
        for block in section.children:
            texts: list[tuple[str, int]] = []
            if isinstance(block, CodeBlock) and not block.text.lstrip().startswith(("curl", "$")):
                texts.append((block.text, block.first_line))
            elif isinstance(block, Paragraph):
                texts += [(span.text, block.line) for span in block.spans if span.kind == "code"]
            for text, line in texts:
                match = _AUTH_HEADER.search(text)
                if match:
                    found.append(StatedAuth(match.group(1), match.group(2), line))
                    return found
    return found


def template(url: str) -> str:
    """``https://api.x.com/$ACCOUNT_ID/`` → ``https://api.x.com/{ACCOUNT_ID}``."""
    url = shell_variables(url.rstrip(".,;:"))
    for pattern, replacement in _PLACEHOLDERS:
        url = pattern.sub(replacement, url)
    return url.rstrip("/")


def _scan(blocks: list[Block], found: list[BaseUrl]) -> None:
    for index, block in enumerate(blocks):
        if isinstance(block, Section):
            if _states(block.title):
                _take(block.children[:2], block.title, found)
            _scan(block.children, found)
        elif isinstance(block, Paragraph):
            text = block.text.strip()
            if not _WORDS.search(text):
                continue  # every statement has one of these words: most paragraphs end here
            statement = _STATEMENT.search(text)
            if statement is None or _OTHER_KIND.search(text[: statement.end()]):
                continue
            after = text[statement.end():]
            url = _URL.search(after)
            if url:
                found.append(BaseUrl(template(url.group(0)), block.line + text[: statement.end() + url.start()].count("\n"), _secondary(text[: statement.end()])))
            elif len(text) < 120:  # a label: the URL is in what follows
                _take(blocks[index + 1 : index + 2], text, found)
        elif isinstance(block, (BulletList, Directive, Endpoint)):  # not tables, code or raw markup
            children = children_of(block)
            if children:
                _scan(children, found)


def _states(label: str) -> bool:
    """The words before the statement do not name another kind of URL."""
    match = _STATEMENT.search(label)
    return match is not None and not _OTHER_KIND.search(label[: match.end()])


def _secondary(label: str) -> bool:
    return bool(_SECONDARY.search(label))


def _take(blocks: list[Block], label: str, found: list[BaseUrl]) -> None:
    for block in blocks:
        if isinstance(block, (CodeBlock, Paragraph)):
            text = block.text.strip()
            url = _URL.match(text) or (_URL.search(text) if isinstance(block, Paragraph) and len(text) < 200 else None)
            if url:
                line = block.first_line if isinstance(block, CodeBlock) else block.line
                found.append(BaseUrl(template(url.group(0)), line, _secondary(label)))
            return
