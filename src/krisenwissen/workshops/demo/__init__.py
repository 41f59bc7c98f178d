"""Demo content: the Essen Reflexionsraum (March 2023) and a follow-up workshop."""

from .loader import load

__all__ = ["load"]
