"""Test-wide settings: imports go to a temporary user data folder, never to <repo>/user_data."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_data(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("DASHBOARD_USER_DATA", str(tmp_path_factory.mktemp("user_data")))
    yield
    mp.undo()
