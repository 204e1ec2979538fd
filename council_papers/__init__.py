"""council-papers: local-government papers into a research database."""

__version__ = "0.1.0"
