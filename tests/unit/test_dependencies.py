"""The lock file must satisfy pyproject's ranges, or a fresh install fails (pip: ResolutionImpossible)."""

import tomllib

from packaging.requirements import Requirement


def locked_versions(path):
    versions = {}
    for line in path.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            versions[name.lower().replace("_", "-")] = version.strip()
    return versions


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
