"""Derivation, judgment conditions, levels with their trace, cloud split, what-if, parameters."""
