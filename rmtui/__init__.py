"""rmtui: a keyboard-driven book of business for relationship managers."""

__version__ = "0.1.0"
