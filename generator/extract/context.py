"""What a table, list or example is about, judged from the words around it.

The context of a block is the titles of the sections it sits in (inside the
endpoint's scope) plus the label paragraph just before it ("**Query String
Parameters** — Required", "The details returned for the job are:").  Label words
win over section titles; inner titles win over outer ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.document import Paragraph

# (kind, pattern) — first match wins, so order from specific to general
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("status", re.compile(r"\b(status codes?|http codes?|http status|response codes?|error codes?)\b|^responses?$", re.I)),
    ("request-example", re.compile(r"\b(example requests?|request example|request \(curl|curl|route)\b", re.I)),
    ("response-example", re.compile(r"\b(example responses?|response example|response body|sample response)\b", re.I)),
    ("query", re.compile(r"\b(query[ -]?string|query param\w*|url param\w*|query)\b", re.I)),
    ("path", re.compile(r"\b(path param\w*|route param\w*|url segments?|path)\b", re.I)),
    ("body", re.compile(r"\b(request body|body param\w*|form (data|param\w*|fields)|post data|payload|body)\b", re.I)),
    ("header", re.compile(r"\b(headers?)\b", re.I)),
    ("enum", re.compile(r"\b(one of the following|following (states|values|statuses)|possible (values|states)|enumerations?|states)\b", re.I)),
    ("response", re.compile(r"\b(returns?|returned|response|output|result|attributes)\b", re.I)),
    ("params", re.compile(r"\b(input param\w*|param\w*|arguments?|options|inputs?)\b", re.I)),
    ("fields", re.compile(r"\b(fields?)\b", re.I)),
    ("request", re.compile(r"\b(request)\b", re.I)),
]


@dataclass(frozen=True)
class Context:
    titles: tuple[str, ...] = ()  # section titles inside the scope, outer → inner
    label: str = ""  # label paragraph text
    from_prose: bool = False  # the label is the prose paragraph just before, not a label

    def kind(self) -> str:
        for text in (self.label, *reversed(self.titles)):
            found = classify(text)
            if found:
                return found
        return ""

    def words(self) -> str:
        return " ".join((*self.titles, self.label))

    def required(self) -> bool | None:
        """"Required"/"Optional" in the label ("Query String Parameters — Required")."""
        text = _without_parentheses(self.label)
        if re.search(r"\boptional\b", text, re.I):
            return False
        if re.search(r"\brequired\b", text, re.I):
            return True
        return None

    def condition(self) -> str:
        """Parenthesised condition in the label: "(when adding media from URL)"."""
        # chunk by chunk, not re.search(r"\(([^)]*\b(when|…)\b[^)]*)\)"), which rescans
        # to the next ")" from every "(" (quadratic on a label of many "(")
        for chunk in self.label.split(")")[:-1]:
            if "(" in chunk:
                inside = chunk[chunk.index("(") + 1:]
                if re.search(r"\b(when|if|for|only)\b", inside, re.I):
                    return inside.strip()
        return ""

    def in_response(self) -> bool:
        return any(re.search(r"\bresponse\b", t, re.I) for t in self.titles + (self.label,))

    def in_request(self) -> bool:
        return any(re.search(r"\brequest\b", t, re.I) for t in self.titles + (self.label,))


def _without_parentheses(text: str) -> str:
    r"""``re.sub(r"\([^)]*\)", "", text)`` chunk by chunk: the regex rescans to the next
    ")" from every "(" (quadratic on a label of many "(")."""
    chunks = text.split(")")
    kept = [chunk[: chunk.index("(")] if "(" in chunk else chunk + ")" for chunk in chunks[:-1]]
    return "".join(kept) + chunks[-1]


def classify(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return ""


def is_label(paragraph: Paragraph) -> bool:
    """A short paragraph that introduces what follows rather than describing."""
    text = paragraph.text.strip()
    if not text or len(text) > 160 or "\n\n" in text:
        return False
    if paragraph.spans and paragraph.spans[0].kind == "strong" and text.startswith(paragraph.spans[0].text):
        rest = text[len(paragraph.spans[0].text):].strip()
        return len(rest) < 80
    return text.endswith(":")
