"""Post `rus jamfor`'s summary as a comment on the pull request (GitHub Actions).

    python3 scripts/kommentera_pr.py jamforelse.md

Run by .github/workflows/rapport.yml after `rus jamfor … --ut jamforelse.md`. One comment per
pull request: the script finds its own earlier comment by a hidden marker and edits it, so a
pull request with ten pushes has one up-to-date summary, not ten. The summary also goes to the
job's summary page (``GITHUB_STEP_SUMMARY``).

Environment (GitHub Actions sets all but the token, which the workflow passes):
``GITHUB_TOKEN``, ``GITHUB_REPOSITORY`` (owner/name), ``GITHUB_EVENT_PATH`` (the event JSON
with the pull request's number; or ``PR_NUMMER``), ``GITHUB_API_URL`` (default
https://api.github.com), ``GITHUB_STEP_SUMMARY`` (optional).

Exit codes: 0 when the comment was written, or when GitHub refused it for lack of permission (a
pull request from a fork gets a read-only token; the summary is then on the job's page and in
the artifact, and a warning says so); 1 for anything else, with one Swedish line. Only the
standard library is used, so it runs before and without the project's environment.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

MARKER = "<!-- rus-jamfor -->"
USAGE = "Användning: python3 scripts/kommentera_pr.py SAMMANFATTNING.md"
HELP = ("Lägger sammanfattningen från rus jamfor som en kommentar på pull requesten (i GitHub Actions).\n"
        "En kommentar per pull request: en tidigare kommentar från skriptet ändras i stället för att en\n"
        "ny läggs till. Sammanfattningen skrivs också till jobbets sammanfattningssida.\n\n"
        "Miljövariabler: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH (eller PR_NUMMER),\n"
        "GITHUB_API_URL (standard https://api.github.com) och GITHUB_STEP_SUMMARY (valfri).\n"
        "Slutkod 0 när kommentaren skrevs eller GitHub nekade för att token saknar rätt; annars 1.")
# GitHub refuses comment bodies longer than 65 536 characters.
MAX_BODY = 65_000
TRUNCATED = "\n\n*Sammanfattningen är för lång för en kommentar; hela finns i artefakten `uppfoljningsrapport`.*\n"
PAGE_SIZE = 100


class CommentError(Exception):
    """A Swedish message; ``refused`` when GitHub said no for lack of permission (401/403/404)."""

    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused


def comment_body(summary: str) -> str:
    """The marker, then the summary, cut (with a note) to fit GitHub's limit."""
    body = f"{MARKER}\n{summary}"
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - len(TRUNCATED)].rsplit("\n", 1)[0] + TRUNCATED
    return body


def pull_request_number(env: dict[str, str]) -> int:
    """The pull request's number from ``PR_NUMMER`` or the event JSON; CommentError otherwise."""
    if env.get("PR_NUMMER"):
        return int(env["PR_NUMMER"])
    path = env.get("GITHUB_EVENT_PATH")
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError) as exc:
        raise CommentError(f"Kan inte läsa händelsen i GITHUB_EVENT_PATH ({exc}).") from None
    number = (event.get("pull_request") or {}).get("number")
    if not isinstance(number, int):
        raise CommentError("Hittar inget nummer på en pull request (körs arbetsflödet på pull_request?).")
    return number


class GitHub:
    """The three REST calls the script needs, with the token and GitHub's JSON headers."""

    def __init__(self, api: str, repository: str, token: str):
        self.api, self.repository, self.token = api.rstrip("/"), repository, token

    def _call(self, method: str, path: str, payload: dict | None = None):
        request = urllib.request.Request(
            f"{self.api}/repos/{self.repository}{path}", method=method,
            data=None if payload is None else json.dumps(payload).encode("utf-8"),
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json",
                     "User-Agent": "rus-uppfoljning"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as exc:
            refused = exc.code in (401, 403, 404)
            raise CommentError(f"GitHub svarade {exc.code} på {method} {path}"
                               + (" (token utan rätt att kommentera, t.ex. en pull request från en fork)"
                                  if refused else "") + ".", refused=refused) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CommentError(f"Kan inte nå GitHub ({self.api}): {getattr(exc, 'reason', exc)}.") from None

    def own_comment(self, number: int) -> int | None:
        """The id of the comment this script wrote earlier on the pull request, or None."""
        page = 1
        while True:
            comments = self._call("GET", f"/issues/{number}/comments?per_page={PAGE_SIZE}&page={page}") or []
            for comment in comments:
                if str(comment.get("body", "")).startswith(MARKER):
                    return int(comment["id"])
            if len(comments) < PAGE_SIZE:
                return None
            page += 1

    def write(self, number: int, body: str) -> str:
        """Edit the earlier comment or add one; returns ``"ändrade"`` or ``"skrev"``."""
        existing = self.own_comment(number)
        if existing is None:
            self._call("POST", f"/issues/{number}/comments", {"body": body})
            return "skrev"
        self._call("PATCH", f"/issues/comments/{existing}", {"body": body})
        return "ändrade"


def main(argv: list[str], env: dict[str, str] | None = None) -> int:
    """Run the script (see the module docstring); returns the exit code."""
    env = dict(os.environ) if env is None else env
    if argv in (["-h"], ["--help"]):
        print(f"{USAGE}\n\n{HELP}")
        return 0
    if len(argv) != 1 or argv[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        summary = Path(argv[0]).read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"Fel: sammanfattningen {argv[0]} finns inte.", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError):
        print(f"Fel: sammanfattningen {argv[0]} kan inte läsas som en textfil (UTF-8).", file=sys.stderr)
        return 1
    if env.get("GITHUB_STEP_SUMMARY"):
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(summary + "\n")
    try:
        missing = [name for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not env.get(name)]
        if missing:
            raise CommentError(f"Miljövariabeln {' och '.join(missing)} saknas.")
        number = pull_request_number(env)
        github = GitHub(env.get("GITHUB_API_URL") or "https://api.github.com", env["GITHUB_REPOSITORY"],
                        env["GITHUB_TOKEN"])
        done = github.write(number, comment_body(summary))
    except CommentError as exc:
        if exc.refused:
            print(f"::warning::Kunde inte kommentera pull requesten: {exc} Sammanfattningen finns på "
                  "jobbets sammanfattningssida och i artefakten.")
            return 0
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    print(f"{done.capitalize()} kommentaren på pull request {number}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
