"""Every setting TeamFlow reads is documented in the README and in .env.example."""

from pathlib import Path

import pytest

from core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = sorted(field.alias for field in Settings.model_fields.values() if field.alias)


@pytest.mark.parametrize("document", ["README.md", ".env.example"])
def test_every_variable_is_documented(document):
    text = (ROOT / document).read_text()
    missing = [name for name in VARIABLES if name not in text]
    assert missing == []
