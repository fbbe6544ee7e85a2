"""Reading a rendered HTML report back: its active elements and its text (shared by tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Html(HTMLParser):
    """Every start tag with its attributes, and the text outside <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag in ("style", "script")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)


def active_elements(html: str) -> list[str]:
    """Anything in the HTML that could run or load something: scripts, event handlers,
    javascript: URLs, frames and images that are not embedded data."""
    parser = _Html()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in ("script", "iframe", "object", "embed", "base", "form", "meta") and not (
                tag == "meta" and {k for k, _ in attrs} <= {"charset", "name", "content", "http-equiv"}
                and dict(attrs).get("http-equiv") in (None, "Content-Type")):
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag} {name}={value}>")
        if tag == "img" and not (dict(attrs).get("src") or "").startswith("data:"):
            found.append(f"<img src={dict(attrs).get('src')}>")
    return found


def html_text(html: str) -> str:
    parser = _Html()
    parser.feed(html)
    return " ".join(parser.text)
