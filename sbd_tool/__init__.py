"""sbd-tool: security requirements for Japanese government procurement (SBD manual method)."""

__version__ = "0.1.0"
