import pytest
from django.test import override_settings

from .files import register_case


@pytest.fixture(autouse=True)
def storage_dir(tmp_path):
    """Each test stores its files in a directory of its own."""
    root = tmp_path / "attachments"
    with override_settings(XINFANG_ATTACHMENT_DIR=root):
        yield root


@pytest.fixture
def case(cast):
    return register_case(cast)
