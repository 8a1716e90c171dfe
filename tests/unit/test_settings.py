"""Settings: defaults, validation with one clear line, the generated secret key."""

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.config import Settings, describe_validation_error


def test_defaults_are_offline_and_sqlite(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert settings.llm_provider == "offline" and not settings.llm_enabled
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.as_posix()}/sales_coach.db"


def test_openai_provider_needs_an_endpoint_or_key(tmp_path):
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, data_dir=tmp_path, llm_provider="openai")
    assert "OPENAI_BASE_URL" in describe_validation_error(error.value)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key()
    second = Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key()
    assert first == second and len(first) > 40
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({"LLM_TIMEOUT_S": "-1"}, "LLM_TIMEOUT_S"),
        ({"LLM_PROVIDER": "claude"}, "LLM_PROVIDER"),
        ({"PORT": "99999"}, "PORT"),
    ],
)
def test_bad_settings_fail_at_start_with_one_line(tmp_path, env, fragment):
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in result.stderr
