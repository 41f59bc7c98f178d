"""krisenwissen: the knowledge platform for municipal crisis management."""

__version__ = "0.1.0"
