"""The README keeps its promises: the two commands first, every setting documented."""

from pathlib import Path

from app.core.settings import ENVIRONMENT_VARIABLES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_make_run_and_make_test():
    # given the first lines a newcomer reads
    opening = "\n".join(README.splitlines()[:8])
    # then the two commands are there, run first
    assert opening.index("make run") < opening.index("make test")


def test_every_environment_variable_is_documented():
    # given the settings the code reads
    # then each has its row in the configuration table
    missing = [name for name in ENVIRONMENT_VARIABLES if f"| `{name}` |" not in README]
    assert not missing, missing
