"""Reading a rendered HTML report back: its active elements and its text (shared by tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources

# The built-in renderer's own page template: its scripts are the product's, not the data's.
TEMPLATE = (resources.files("rus_analysis.build") / "templates" / "rapport.html").read_text(encoding="utf-8")


class _Html(HTMLParser):
    """Every start tag with its attributes, each script's text, and the text outside
    <style> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int]] = []
        self.scripts: dict[int, str] = {}
        self.text: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs, len(self.tags)))
        self._inside = tag if tag in ("style", "script") else None
        if tag == "script":
            self.scripts[len(self.tags) - 1] = ""

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs, len(self.tags)))

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside == "script":
            self.scripts[max(self.scripts)] += data
        elif self._inside is None:
            self.text.append(data)


def _template_script(body: str) -> bool:
    """A script written in the page template itself (e.g. opening the contents on wide screens)."""
    body = body.strip()
    return bool(body) and body in TEMPLATE


def active_elements(html: str) -> list[str]:
    """Anything in the HTML that could run or load something and is not the template's own:
    scripts, event handlers, javascript: URLs, frames and images that are not embedded data."""
    parser = _Html()
    parser.feed(html)
    found = []
    for tag, attrs, index in parser.tags:
        named = dict(attrs)
        if tag == "script" and not ("src" not in named and _template_script(parser.scripts[index])):
            found.append("<script>")
        if tag in ("iframe", "object", "embed", "base", "form", "frame"):
            found.append(f"<{tag}>")
        if tag == "meta" and (named.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag} {name}={value}>")
        if tag == "img" and not (named.get("src") or "").startswith("data:"):
            found.append(f"<img src={named.get('src')}>")
    return found


def html_text(html: str) -> str:
    """The words of the page (outside style and script), joined by spaces."""
    parser = _Html()
    parser.feed(html)
    return " ".join(parser.text)
