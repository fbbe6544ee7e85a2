"""The lock file must satisfy pyproject's ranges, or a fresh install fails (pip: ResolutionImpossible)."""

import tomllib

from packaging.requirements import Requirement


def locked_versions(path):
    """name → version of every pin (``name==1.2.3 \\`` followed by its ``--hash`` lines)."""
    versions = {}
    for line in path.read_text().splitlines():
        if "==" in line and not line.startswith(("#", " ")):
            name, version = line.split("==")
            versions[name.lower().replace("_", "-")] = version.strip().rstrip("\\").strip()
    return versions


def test_every_pin_has_hashes_and_the_lock_names_its_command(project_root):
    """bygg.py installs with --require-hashes: a pin without a hash would stop every fresh install."""
    text = (project_root / "requirements.lock").read_text()
    blocks = [b for b in text.split("\n") if b and not b.startswith(("#", " "))]
    unhashed = [b for b in blocks if not b.endswith("\\")]
    assert blocks and not unhashed, f"Pins without --hash: {unhashed}"
    header = "\n".join(text.splitlines()[:8])
    assert "pip-compile" in header and "--generate-hashes" in header
    assert "--require-hashes" in (project_root / "bygg.py").read_text()


def test_lock_satisfies_pyproject(project_root):
    project = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]
    locked = locked_versions(project_root / "requirements.lock")
    requirements = project["dependencies"] + [r for extra in ("test",) for r in project["optional-dependencies"][extra]]
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        version = locked.get(requirement.name.lower().replace("_", "-"))
        if version is None or not requirement.specifier.contains(version):
            problems.append(f"{text}: låst {version}")
    assert not problems, "Uppdatera requirements.lock eller intervallen i pyproject.toml: " + "; ".join(problems)
