"""The layer rule (pages -> state -> app -> models; no Reflex in the domain) holds."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_are_kept():
    # given the contracts in pyproject.toml
    lint = Path(sys.executable).with_name("lint-imports")
    # when import-linter checks the code
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    # then every contract is kept
    assert result.returncode == 0, result.stdout + result.stderr
