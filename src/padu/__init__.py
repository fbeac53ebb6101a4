"""Padu: sistem informasi penanggulangan kemiskinan terpadu (integrated poverty-reduction system)."""

__version__ = "0.1.0"
