import pytest

from rus_analysis.snapshot.atomic import atomic_directory


def test_success_replaces_target(tmp_path):
    target = tmp_path / "ut"
    target.mkdir()
    (target / "gammal.txt").write_text("gammal")
    with atomic_directory(target, start_from_existing=False) as staging:
        (staging / "ny.txt").write_text("ny")
    assert [p.name for p in target.iterdir()] == ["ny.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut"]  # no leftovers


def test_failure_leaves_target_untouched(tmp_path):
    target = tmp_path / "ut"
    target.mkdir()
    (target / "rapport.pdf").write_text("förra rapporten")
    with pytest.raises(RuntimeError):
        with atomic_directory(target) as staging:
            (staging / "rapport.pdf").write_text("halvfärdig")
            raise RuntimeError("avbrott")
    assert (target / "rapport.pdf").read_text() == "förra rapporten"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut"]


def test_partial_update_starts_from_existing(tmp_path):
    target = tmp_path / "data"
    target.mkdir()
    (target / "a.csv").write_text("a")
    with atomic_directory(target) as staging:
        (staging / "b.csv").write_text("b")
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "b.csv"]
