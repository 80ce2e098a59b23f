import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(live_server):
    """The live server, holding the demo content."""
    call_command("load_demo", stdout=io.StringIO())
    return live_server
