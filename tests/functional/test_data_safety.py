"""`rus data bygg`, `uppdatera` and `kontroll` on broken inputs: a Swedish message, exit ≠ 0 and data/
byte-identical — never a traceback, never a half-written or invalid snapshot swapped in."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rus_analysis.cli.data import data_app
from support import CASES, PROJECT, SHARED_SOURCES, copy_data_project

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    copy_data_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Three of the snapshot's series: enough for kontroll's checks of one file and for its coverage of
# the others, and kontroll validates three files instead of twenty (the undamaged copy passes).
SMALL_SNAPSHOT = ("eftergymnasial_utbildning", "unga_uvas", "sysselsattningsgrad_bas")


@pytest.fixture
def small_project(project) -> Path:
    """``project`` with only the series of SMALL_SNAPSHOT (their CSV and provenance files)."""
    for path in (project / "data" / "series").iterdir():
        if path.name.split(".")[0] not in SMALL_SNAPSHOT:
            path.unlink()
    return project


def run(*args):
    result = runner.invoke(data_app, list(map(str, args)))
    result.text = " ".join(result.output.split())
    return result


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def series_file(project: Path, name: str = "eftergymnasial_utbildning") -> Path:
    return project / "data" / "series" / f"{name}.csv"


# --- kontroll validates each file before it builds coverage ------------------------------------

def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _non_numeric(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(",47.7,", ",fyrtiosju,", 1), encoding="utf-8")


def _latin1(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def _semicolons(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


def _cut_at_a_row_boundary(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:100]), encoding="utf-8")


def _inf(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(",47.7,", ",inf,", 1), encoding="utf-8")


def _hand_edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(",47.7,", ",48.7,", 1), encoding="utf-8")


def _header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


@pytest.mark.parametrize("damage, words", [
    (_empty, "är tom"),
    (_non_numeric, "'fyrtiosju'"),
    (_latin1, "inte UTF-8"),
    (_semicolons, "kommaseparerad"),
    (_cut_at_a_row_boundary, "har ändrats sedan den skrevs (99 rader, ursprungsuppgifterna anger 209"),
    (_inf, "ändligt tal"),
    (_hand_edit, "har ändrats sedan den skrevs"),
    (_header_only, "har ändrats sedan den skrevs (0 rader"),
], ids=lambda x: getattr(x, "__name__", "")[:30])
@pytest.mark.usefixtures("small_project")
def test_kontroll_reports_a_broken_series_file_in_swedish(project, damage, words):
    damage(series_file(project))
    result = run("kontroll")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    squeezed = result.text.replace(" ", "")
    assert words.replace(" ", "") in squeezed, result.output
    assert "gitcheckout--data/series/eftergymnasial_utbildning.csv" in squeezed
    assert "Täckning" in result.text  # the coverage of the other series is still shown, no crash


@pytest.mark.usefixtures("small_project")
def test_kontroll_reports_a_broken_provenance_file(project):
    path = project / "data" / "series" / "unga_uvas.provenance.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["series"]["sha256"] = "inte en summa"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    result = run("kontroll")
    assert result.exit_code == 1 and "unga_uvas.provenance.yml: fältet 'sha256' under 'series'" in result.text


def test_import_refuses_to_merge_into_a_broken_series(project):
    _hand_edit(series_file(project))
    before = tree(project / "data")
    result = run("importera", PROJECT / "tests" / "fixtures" / "imports" / "utbildning_andel.csv",
                 "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 1 and "klarar inte kontrollen" in result.text
    assert tree(project / "data") == before


# --- bygg: validate before the swap --------------------------------------------------------------

needs_sources = pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason=f"Källfilerna finns inte i {SHARED_SOURCES}.")


@pytest.fixture
def sources(tmp_path) -> Path:
    copy = tmp_path / "kallor"
    shutil.copytree(SHARED_SOURCES, copy)
    return copy


@needs_sources
def test_bygg_refuses_an_invalid_share_before_swapping(project, sources):
    path = sources / "region-halland-socioekonomi" / "scb_syssgrad_utbildning_ekstandard_lan_riket_orebro_kommuner.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = lines[1].rstrip("\n").split(",")
    row[header.index("varde")] = "175.6"
    lines[1] = ",".join(row) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = tree(project / "data")
    result = run("bygg", "--kallor", sources)
    assert result.exit_code == 1, result.output
    assert "175,6 (region 0000" in result.text and "mellan 0 och 100" in result.text
    assert "Ögonblicksbilden är oförändrad" in result.text
    assert tree(project / "data") == before


@needs_sources
def test_bygg_with_a_corrupt_xlsx_source_is_a_swedish_message(project, sources):
    xlsx = next((sources / "region-dalarna-uppfoljning-dalastrategin").glob("*.xlsx"))
    xlsx.write_bytes(xlsx.read_bytes()[:2000])
    before = tree(project / "data")
    result = run("bygg", "--kallor", sources)
    assert result.exit_code == 1 and "Traceback" not in result.output
    squeezed = result.text.replace(" ", "")
    assert "gårinteattläsa" in squeezed and "region-dalarna-uppfoljning-dalastrategin" in squeezed
    assert tree(project / "data") == before


# --- uppdatera: an answer in the wrong format --------------------------------------------------

PX_CASE = CASES / "pxwebapi2-px-i-stallet-for-json"


@pytest.mark.skipif(not PX_CASE.is_dir(), reason=f"Fallet finns inte i {PX_CASE}.")
def test_px_answer_where_jsonstat2_was_asked_is_refused_as_wrong_format(project, monkeypatch):
    """As harness.py in the case folder: a loopback stand-in for PxWebApi 2.0 answers HTTP 200 with PX."""
    body = (PX_CASE / "svar_px_i_stallet_for_jsonstat2.px").read_bytes()
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            seen.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=windows-1252")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        monkeypatch.setenv("RUS_SCB_URL", f"http://127.0.0.1:{server.server_port}/api/v2")
        catalogue = yaml.safe_load((project / "params" / "indikatorer.yml").read_text(encoding="utf-8"))
        energy = next(i for i in catalogue["indicators"] if i["id"] == "energianvandning_total")
        energy["queries"] = [{"api": "scb", "id": "TAB_EXEMPEL", "regions": ["riket", "orebro_lan"],
                              "selection": {"ContentsCode": ["EN0203A1"]}}]
        (project / "params" / "indikatorer.yml").write_text(yaml.safe_dump(catalogue, allow_unicode=True),
                                                            encoding="utf-8")
        before = tree(project / "data")
        result = run("uppdatera", "--indikator", "energianvandning_total", "--utan-cache")
    finally:
        server.shutdown()
    assert seen, "the stand-in was never asked"
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "fel format" in result.text and "PC-Axis" in result.text
    assert "avbrutet" not in result.text and "avkortat" not in result.text.replace("inte avkortat", "")
    assert "energianvandning_total" in result.text
    assert tree(project / "data") == before


def test_migrera_rewrites_version_1_provenance_without_touching_the_rows(project):
    from rus_analysis.snapshot.store import read_provenance

    path = project / "data" / "series" / "unga_uvas.provenance.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = {k: v for k, v in record.items() if k not in ("schema_version", "series", "sources")}
    old["origin"] = [{k: v for k, v in s.items() if k != "kind"} for s in record["sources"]]
    path.write_text(yaml.safe_dump(old, allow_unicode=True, sort_keys=False), encoding="utf-8")
    csv = (project / "data" / "series" / "unga_uvas.csv").read_bytes()
    assert "gamla formatet" in run("kontroll").text
    result = run("migrera")
    assert result.exit_code == 0 and "unga_uvas" in result.text
    assert (project / "data" / "series" / "unga_uvas.csv").read_bytes() == csv
    migrated = read_provenance(project / "data", "unga_uvas")
    assert migrated.schema_version == 2 and migrated.sources[0].kind == "repository"
    assert run("kontroll").exit_code == 0


def test_kontroll_refuses_a_missing_snapshot(project):
    shutil.move(project / "data", project / "data-flyttad")
    result = run("kontroll")
    assert result.exit_code == 1
    assert "Ögonblicksbilden saknas" in result.text and "git checkout -- data" in result.text
    assert "Täckning" not in result.text  # no list of 23 "Data saknas helt"


@pytest.mark.usefixtures("small_project")
def test_kontroll_refuses_a_deleted_series_whose_provenance_is_left(project):
    series_file(project).unlink()
    result = run("kontroll")
    assert result.exit_code == 1
    assert "eftergymnasial_utbildning.csv saknas fast ursprungsuppgifterna" in result.text


@pytest.mark.parametrize("damage", ["folder", "series"])
def test_a_build_without_its_data_stops_before_anything_and_keeps_the_report(tmp_path, request, damage):
    """A missing data/ (or one series deleted) must not give a report where every indicator says
    "Data saknas": the build stops in Swedish before any notebook runs, the output untouched."""
    import subprocess

    from support import copy_project

    project = copy_project(PROJECT, tmp_path / "projekt")
    previous = project / "_output" / "2025"
    previous.mkdir(parents=True)
    (previous / "uppfoljningsrapport-2025.pdf").write_bytes(b"%PDF-1.7 tidigare rapport")
    if damage == "folder":
        shutil.rmtree(project / "data")
    else:
        series_file(project).unlink()
    command = ["rapport", "--ar", "2025", "--motor", "inbyggd", "--projekt", str(project)]
    if damage == "folder":  # the real command in its own process: what the screen shows
        done = subprocess.run([str(Path(__import__("sys").executable).with_name("rus")), *command],
                              capture_output=True, text=True, timeout=300)
        code, said = done.returncode, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    else:  # the same command in this process (one real process for the behaviour is enough)
        from rus_analysis.cli.main import app

        request.getfixturevalue("no_kernels")  # and no kernel: none may run

        result = CliRunner().invoke(app, command)
        code, said = result.exit_code, result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
            result.exception
    assert code == 1, said
    assert ("Ögonblicksbilden saknas" if damage == "folder" else "saknas fast ursprungsuppgifterna") in said
    assert (previous / "uppfoljningsrapport-2025.pdf").read_bytes() == b"%PDF-1.7 tidigare rapport"
    assert not (project / "_build" / "2025" / "notebooks").exists() or not any(
        (project / "_build" / "2025" / "notebooks").glob("*.ipynb"))
