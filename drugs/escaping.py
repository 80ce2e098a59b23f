"""HTML escaping for the few lists the project writes in Python rather than in templates."""

import html


def escape(value):
    """django.utils.html.conditional_escape, without its lazy-string wrapper, which costs more
    than the escaping itself: safe strings as they are, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
