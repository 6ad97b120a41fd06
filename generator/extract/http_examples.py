"""HTTP request/response messages and curl commands found in code blocks.

These are examples, not declarations: they confirm an endpoint's method and path,
and give servers (``Host:``, full URLs), auth (``-u key:``, ``Authorization``),
media types, query/body parameters with example values, status codes and bodies.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qsl, urlsplit

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# HTTP status codes are 100-599 (RFC 9110 §15); "HTTP/1.1 999" is not a status line
_STATUS_LINE = re.compile(r"^\s*HTTP/\d(?:\.\d)?\s+([1-5]\d\d)\b\s*(.*)$")
_BARE_STATUS = re.compile(r"^\s*([1-5]\d\d)(?:\s+([A-Za-z][A-Za-z -]*))?\s*$")
_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s?(.*)$")
_HTTP_VERSION = re.compile(r"(?<!\s)\s+HTTP/\d(?:\.\d)?\s*$")  # (?<!\s): linear on blank runs


@dataclass
class HttpMessage:
    """A request (``method``/``target`` set) or a response (``status`` set)."""

    line: int  # 1-based line inside the code block
    method: str = ""
    target: str = ""  # path?query or absolute URL as written
    status: str = ""
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    body_line: int = 0  # 1-based line of the body inside the code block
    header_lines: dict[str, int] = field(default_factory=dict)  # lower-case name → line in block
    form: list[tuple[str, str]] = field(default_factory=list)  # curl -d key=value pairs
    user: str | None = None  # curl -u
    via_curl: bool = False
    multipart: bool = False  # curl -F: multipart/form-data
    upload: str = ""  # curl --data-binary @file / -T file: the method that sends a file

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def url_parts(self) -> tuple[str, str, str, list[tuple[str, str]]]:
        """(scheme, host, path, query pairs) of the target; host from ``Host:``
        when the target is a bare path."""
        parts = safe_urlsplit(self.target if "://" in self.target else "http://placeholder" + self.target)
        host = parts.netloc if "://" in self.target else (self.header("Host") or "").strip()
        scheme = parts.scheme if "://" in self.target else ""
        query = parse_qsl(parts.query, keep_blank_values=True)
        return scheme, host, parts.path or "/", query


def _brackets_to_braces(url: str) -> str:
    r"""``re.sub(r"\[([^\]]*)\]", "{…}", url)`` chunk by chunk: the regex rescans to the
    next "]" from every "[" (quadratic on a URL of many "[")."""
    chunks = url.split("]")
    done = [f"{c[: c.index('[')]}{{{c[c.index('[') + 1:]}}}" if "[" in c else c + "]" for c in chunks[:-1]]
    return "".join(done) + chunks[-1]


def safe_urlsplit(url: str) -> SplitResult:
    """urlsplit that accepts doc placeholders in hosts (``api.[your-domain.com]``,
    ``<accountID>``): they become ``{...}`` template variables instead of errors."""
    head, mark, query = url.partition("?")  # query keys keep their brackets: ``context[]=public``
    url = _brackets_to_braces(head).replace("<", "{").replace(">", "}") + mark + query
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit(re.sub(r"[\[\]]", "", url.split("://", 1)[-1]))


def parse_messages(text: str) -> list[HttpMessage]:
    """Every HTTP message or curl command in one code block, in order."""
    lines = text.split("\n")
    messages: list[HttpMessage] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _CURL_START.match(line):
            index = _read_curl(lines, index, messages)
        elif _request_start(line):
            index = _read_message(lines, index, messages, request=True)
        elif _STATUS_LINE.match(line):
            index = _read_message(lines, index, messages, request=False)
        else:
            index += 1
    return messages


def parse_status(text: str) -> tuple[str, str] | None:
    """``200 OK`` alone (rspec docs' Status section) → ("200", "OK")."""
    stripped = text.strip()
    match = _STATUS_LINE.match(stripped) or _BARE_STATUS.match(stripped)
    if match and "\n" not in stripped:
        return match.group(1), (match.group(2) or "").strip()
    return None


_CURL_START = re.compile(r"^\s*(\$\s*)?curl\b")
_REQUEST_START = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/\S*|https?://\S+)")


def _request_start(line: str) -> bool:
    return _REQUEST_START.match(line) is not None


def _read_message(lines: list[str], index: int, out: list[HttpMessage], request: bool) -> int:
    first = lines[index].strip()
    message = HttpMessage(line=index + 1)
    index += 1
    if request:
        parts = first.split(None, 1)
        message.method = parts[0].upper()
        target = _HTTP_VERSION.sub("", parts[1]) if len(parts) > 1 else "/"
        # wrapped query strings: continuation lines starting with & or ?
        while index < len(lines) and re.match(r"^\s*[&?]", lines[index]):
            target += _HTTP_VERSION.sub("", lines[index].strip())
            index += 1
        message.target = target.split()[0] if target.split() else "/"
    else:
        match = _STATUS_LINE.match(first)
        assert match is not None
        message.status, message.reason = match.group(1), match.group(2).strip()
    while index < len(lines) and lines[index].strip():
        header = _HEADER.match(lines[index])
        if not header or lines[index].lstrip().startswith(("{", "[")):
            break
        message.headers.append((header.group(1), header.group(2).strip()))
        message.header_lines[header.group(1).lower()] = index + 1
        index += 1
    body_lines: list[str] = []
    while index < len(lines) and not lines[index].strip():
        index += 1
    message.body_line = index + 1
    while index < len(lines):
        line = lines[index]
        if _STATUS_LINE.match(line) or _request_start(line) or re.match(r"^\s*curl\b", line):
            break
        body_lines.append(line)
        index += 1
    message.body = "\n".join(body_lines).strip("\n")
    out.append(message)
    return index


# curl options that take a value (the next word, or glued on: -XPOST, -H"A: b"); any
# other option is a flag.  A value is never the URL.
_CURL_VALUED = {
    "-X": "method", "--request": "method", "-H": "header", "--header": "header",
    "-u": "user", "--user": "user", "-d": "data", "--data": "data", "--data-raw": "data",
    "--data-ascii": "data", "--data-binary": "binary", "--data-urlencode": "urlencode",
    "-F": "form", "--form": "form", "--form-string": "form", "--json": "json", "--url": "url",
    "--oauth2-bearer": "bearer", "-T": "upload", "--upload-file": "upload",
    "-o": "", "--output": "", "-A": "", "--user-agent": "", "-e": "", "--referer": "",
    "-b": "", "--cookie": "", "-c": "", "--cookie-jar": "", "-m": "", "--max-time": "",
    "--connect-timeout": "", "-w": "", "--write-out": "", "-x": "", "--proxy": "", "-r": "",
    "--range": "", "-K": "", "--config": "", "-E": "", "--cert": "", "--cacert": "",
    "--key": "", "--retry": "", "--limit-rate": "", "-C": "", "--continue-at": "",
    "--resolve": "", "--connect-to": "", "--aws-sigv4": "", "-y": "", "-Y": "", "-z": "",
    "--max-redirs": "", "--interface": "", "--proto": "", "--unix-socket": "", "--trace": "",
    "--trace-ascii": "", "--stderr": "", "-D": "", "--dump-header": "", "--cert-type": "",
}
_GLUED = ("-X", "-H", "-u", "-d", "-F", "-o", "-A", "-e", "-b", "-c", "-m", "-w", "-x", "-r", "-T", "-E", "-K", "-D")
_SHELL_VARIABLE = re.compile(r"\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)")
_URLISH = re.compile(r"^(?:https?://|/|[\w.-]+\.[a-z]{2,}(?::\d+)?/|localhost[:/]|\{[\w.-]+\}/|<[^<>\s]+>/)", re.I)
MAX_CURL_LINES = 400


def _curl_words(lines: list[str], index: int) -> tuple[list[str], int]:
    """The shell words of the curl command starting on line ``index`` (a ``$``
    prompt dropped), read as a shell would: ``\\`` continues a line, and a quote
    left open (``-d '{`` … ``}'``) runs on over the next lines.  Returns the words and
    the index of the line after the command."""
    command = lines[index].lstrip().removeprefix("$").lstrip()
    index += 1
    for _ in range(MAX_CURL_LINES):
        if command.rstrip().endswith("\\") and index < len(lines):
            command = command.rstrip()[:-1] + " " + lines[index]
            index += 1
            continue
        try:
            return shlex.split(command, comments=False), index
        except ValueError:  # an open quote: the next line belongs to it
            if index >= len(lines):
                break
            command += "\n" + lines[index]
            index += 1
    try:
        return shlex.split(command, comments=False, posix=False), index
    except ValueError:
        return command.split(), index


def _unglued(words: list[str]) -> list[str]:
    """``-XPOST`` → ``-X POST``; ``--data=x`` stays as curl reads it (not an option)."""
    out: list[str] = []
    for word in words:
        glued = next((o for o in _GLUED if word.startswith(o) and len(word) > len(o) and not word.startswith("--")), None)
        if glued is not None:
            out += [glued, word[len(glued):]]
        else:
            out.append(word)
    return out


def _read_curl(lines: list[str], index: int, out: list[HttpMessage]) -> int:
    start = index
    words, index = _curl_words(lines, index)
    words = _unglued(words)
    message = HttpMessage(line=start + 1, via_curl=True)
    method = ""
    data: list[str] = []
    query: list[str] = []
    get_mode = False
    position = 1
    while position < len(words):
        word = words[position]
        if word in _CURL_VALUED:
            kind = _CURL_VALUED[word]
            value = words[position + 1] if position + 1 < len(words) else ""
            position += 2
            if kind == "method":
                method = value.upper()
            elif kind == "header":
                header = _HEADER.match(value)
                if header:
                    message.headers.append((header.group(1), header.group(2).strip()))
            elif kind == "user":
                message.user = value
            elif kind in ("data", "urlencode"):
                data.append(value)
            elif kind == "json":
                message.body = value.strip()
                message.headers.append(("Content-Type", "application/json"))
            elif kind in ("binary", "upload"):
                if value.startswith("@") or kind == "upload":
                    message.upload = "PUT" if kind == "upload" else "POST"
                else:
                    data.append(value)
            elif kind == "form":
                key, _, val = value.partition("=")
                if key:
                    message.form.append((key, val))
                    message.multipart = True
            elif kind == "bearer":
                message.headers.append(("Authorization", f"Bearer {value}"))
            elif kind == "url":
                message.target = message.target or value
        elif word in ("-G", "--get"):
            get_mode, position = True, position + 1
        elif word.startswith("-"):
            position += 1  # a flag: -s, -i, -L, -sSL, --compressed
        else:
            if not message.target and _URLISH.match(shell_variables(word)):
                message.target = word
            position += 1
    if method and method not in METHODS:
        return index  # -X PROPFIND, a typo: not a method a spec can hold
    message.target = shell_variables(message.target)
    if get_mode:
        query, data = data, []
    message.method = method or message.upload or ("GET" if get_mode or not (data or message.form or message.body) else "POST")
    if query:
        separator = "&" if "?" in message.target else "?"
        message.target += separator + "&".join(query)
    for item in data:
        stripped = item.strip()
        if stripped.startswith(("{", "[")):
            message.body = stripped
        elif "=" in stripped and not stripped.startswith("@"):
            for pair in stripped.split("&"):
                key, _, val = pair.partition("=")
                message.form.append((key, val))
        else:
            message.body = stripped
    if message.target:
        out.append(message)
    return index


def shell_variables(text: str) -> str:
    """``$ACCOUNT_ID`` / ``${TOKEN}`` in a URL → ``{ACCOUNT_ID}`` template variables."""
    return _SHELL_VARIABLE.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", text)
