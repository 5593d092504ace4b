"""The WhatsApp/JSON webhook microservice: `create_app` is the WSGI app factory for Waitress."""

from .app import create_app
from .errors import ConfigurationError

__all__ = ["ConfigurationError", "create_app"]
