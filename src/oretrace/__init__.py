"""oretrace: responsible-minerals due diligence on RMI reporting templates.

The core (this package without ``web``) never imports Django, Typer or Rich.
"""

__version__ = "0.1.0"
