"""Where rmtui keeps its files: the folders platformdirs names, found without loading it where
the environment says them plainly (a quick command would spend more on loading it than on its
work)."""

from __future__ import annotations

import subprocess
import sys

import platformdirs
import pytest

from rmtui.core import paths

UNSET = None
# The environments a user may run rmtui in: XDG folders absolute, unset, empty, blank,
# relative (which platformdirs decides on), with HOME plain, ending in a slash, the root,
# relative or empty.
ENVIRONMENTS = [
    {"XDG_CONFIG_HOME": "/srv/ann/config", "XDG_DATA_HOME": "/srv/ann/data", "HOME": "/home/ann"},
    {"XDG_CONFIG_HOME": "/srv/ann/config/", "XDG_DATA_HOME": "/srv/data//", "HOME": UNSET},
    {"XDG_CONFIG_HOME": UNSET, "XDG_DATA_HOME": UNSET, "HOME": "/home/ann"},
    {"XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "", "HOME": "/home/ann/"},
    {"XDG_CONFIG_HOME": "  ", "XDG_DATA_HOME": " ", "HOME": "/"},
    {"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data", "HOME": "/home/ann"},
    {"XDG_CONFIG_HOME": UNSET, "XDG_DATA_HOME": UNSET, "HOME": "ann"},
    {"XDG_CONFIG_HOME": UNSET, "XDG_DATA_HOME": UNSET, "HOME": ""},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=str)
def test_the_folders_are_the_ones_platformdirs_names(
    environment: dict[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert paths.config_dir() == platformdirs.user_config_path(paths.APP_NAME, appauthor=False)
    assert paths.data_dir() == platformdirs.user_data_path(paths.APP_NAME, appauthor=False)
    assert paths.config_file() == paths.config_dir() / "config.toml"


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs decides elsewhere")
def test_plain_folders_are_found_without_loading_platformdirs() -> None:
    script = (
        "import sys; from rmtui.core import paths; "
        "print(paths.config_file(), paths.default_db_path()); "
        "assert 'platformdirs' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
