"""scripts/kommentera_pr.py against a loopback stand-in for GitHub's REST API, and the workflow
that runs it (.github/workflows/rapport.yml), parsed and checked."""

from __future__ import annotations

import importlib.util
import json
import shlex
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from support import PROJECT

SCRIPT = PROJECT / "scripts" / "kommentera_pr.py"
WORKFLOW = PROJECT / ".github" / "workflows" / "rapport.yml"


def load_script():
    spec = importlib.util.spec_from_file_location("kommentera_pr", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


kommentera = load_script()


class FakeGitHub:
    """Issue comments of one repository, kept in memory; ``refuse`` answers every call with it."""

    def __init__(self):
        self.comments: dict[int, list[dict]] = {}
        self.requests: list[tuple[str, str, dict | None, str]] = []
        self.refuse: int | None = None
        self.next_id = 1000

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, code: int, payload) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append((method, self.path, payload, self.headers.get("Authorization")))
                if fake.refuse:
                    return self._answer(fake.refuse, {"message": "Resource not accessible by integration"})
                parts = self.path.split("?")[0].strip("/").split("/")  # repos/o/r/issues/...
                if method == "GET" and parts[3:4] == ["issues"] and parts[5:] == ["comments"]:
                    page = int(self.path.split("page=")[-1])
                    everything = fake.comments.get(int(parts[4]), [])
                    return self._answer(200, everything[(page - 1) * 100: page * 100])
                if method == "POST" and parts[5:] == ["comments"]:
                    fake.next_id += 1
                    comment = {"id": fake.next_id, "body": payload["body"]}
                    fake.comments.setdefault(int(parts[4]), []).append(comment)
                    return self._answer(201, comment)
                if method == "PATCH" and parts[3:5] == ["issues", "comments"]:
                    for comment in (c for cs in fake.comments.values() for c in cs):
                        if comment["id"] == int(parts[5]):
                            comment["body"] = payload["body"]
                            return self._answer(200, comment)
                return self._answer(404, {"message": "Not Found"})

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_PATCH(self):
                self._handle("PATCH")

        return Handler


@pytest.fixture
def github():
    fake = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    # A short poll: shutdown() waits for the loop's next look (0,5 s by default) after each test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def env(github, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7}}), encoding="utf-8")
    return {"GITHUB_TOKEN": "t0ken", "GITHUB_REPOSITORY": "region/rus", "GITHUB_EVENT_PATH": str(event),
            "GITHUB_API_URL": github.url, "GITHUB_STEP_SUMMARY": str(tmp_path / "step.md")}


def summary(tmp_path, text: str):
    path = tmp_path / "jamforelse.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_first_run_adds_a_comment_and_later_runs_edit_it(github, env, tmp_path, capsys):
    github.comments[7] = [{"id": 5, "body": "Ser bra ut!"}]
    assert kommentera.main([summary(tmp_path, "## Jämförelse: A → B\n")], env) == 0
    assert capsys.readouterr().out == "Skrev kommentaren på pull request 7.\n"
    assert kommentera.main([summary(tmp_path, "## Jämförelse: A → C\n")], env) == 0
    assert capsys.readouterr().out == "Ändrade kommentaren på pull request 7.\n"
    assert github.comments[7] == [{"id": 5, "body": "Ser bra ut!"},
                                  {"id": 1001, "body": "<!-- rus-jamfor -->\n## Jämförelse: A → C\n"}]
    assert {auth for *_, auth in github.requests} == {"Bearer t0ken"}
    # Both summaries also went to the job's summary page.
    assert (tmp_path / "step.md").read_text(encoding="utf-8") == "## Jämförelse: A → B\n\n## Jämförelse: A → C\n\n"


def test_the_earlier_comment_is_found_on_a_later_page(github, env, tmp_path):
    github.comments[7] = [{"id": i, "body": f"kommentar {i}"} for i in range(150)]
    github.comments[7].append({"id": 999, "body": "<!-- rus-jamfor -->\ngammal"})
    assert kommentera.main([summary(tmp_path, "ny\n")], env) == 0
    assert github.comments[7][-1] == {"id": 999, "body": "<!-- rus-jamfor -->\nny\n"}
    assert [r[0] for r in github.requests] == ["GET", "GET", "PATCH"]


def test_a_refusal_is_a_warning_not_a_failure(github, env, tmp_path, capsys):
    github.refuse = 403  # a pull request from a fork gets a read-only token
    assert kommentera.main([summary(tmp_path, "x\n")], env) == 0
    out = capsys.readouterr().out
    assert out.startswith("::warning::Kunde inte kommentera pull requesten: GitHub svarade 403")
    assert (tmp_path / "step.md").read_text(encoding="utf-8") == "x\n\n"


def test_a_server_error_fails_with_one_swedish_line(github, env, tmp_path, capsys):
    github.refuse = 502
    assert kommentera.main([summary(tmp_path, "x\n")], env) == 1
    assert capsys.readouterr().err == "Fel: GitHub svarade 502 på GET /issues/7/comments?per_page=100&page=1.\n"


def test_missing_token_or_event_fails_clearly(env, tmp_path, capsys):
    assert kommentera.main([summary(tmp_path, "x\n")], env | {"GITHUB_TOKEN": ""}) == 1
    assert "Miljövariabeln GITHUB_TOKEN saknas." in capsys.readouterr().err
    assert kommentera.main([summary(tmp_path, "x\n")], env | {"GITHUB_EVENT_PATH": ""}) == 1
    assert "Hittar inget nummer på en pull request" in capsys.readouterr().err
    assert kommentera.main([str(tmp_path / "saknas.md")], env) == 1


def test_a_long_summary_is_cut_at_a_line_with_a_note():
    body = kommentera.comment_body("| rad |\n" * 20_000)
    assert len(body) <= kommentera.MAX_BODY
    assert body.startswith(kommentera.MARKER + "\n| rad |")
    assert body.endswith(kommentera.TRUNCATED) and "| rad |\n\n*Sammanfattningen" in body


# --- the workflow ---------------------------------------------------------------------------

def workflow() -> dict:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


def steps() -> list[dict]:
    (job,) = workflow()["jobs"].values()
    return job["steps"]


def test_workflow_runs_on_pull_requests_with_least_permissions():
    document = workflow()
    assert "pull_request" in document["on"]
    assert "pull_request_target" not in document["on"]  # never a fork's code with a write token
    assert document["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_workflow_compares_comments_with_the_tested_script_builds_and_keeps_the_report():
    runs = {step.get("name"): " ".join(step.get("run", "").split()) for step in steps()}
    compare = shlex.split(runs["Jämför med basgrenen"])
    assert compare[:3] == ["python3", "bygg.py", "jamfor"] and compare[3].startswith("origin/")
    output = compare[compare.index("--ut") + 1]
    comment = next(step for step in steps() if "kommentera_pr.py" in step.get("run", ""))
    assert shlex.split(comment["run"]) == ["python3", "scripts/kommentera_pr.py", output]
    assert (PROJECT / "scripts" / "kommentera_pr.py").is_file()
    assert comment["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    assert runs["Bygg rapporten"].startswith("python3 bygg.py rapport")
    checkout = next(step for step in steps() if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch's revision must be in the clone
    upload = next(step for step in steps() if step.get("uses", "").startswith("actions/upload-artifact@"))
    paths = upload["with"]["path"].split()
    assert "_output/*/*.pdf" in paths and "_output/*/*.html" in paths
    names = [step.get("name") or step.get("uses") for step in steps()]
    assert names.index("Jämför med basgrenen") < names.index("Kommentera pull requesten")
