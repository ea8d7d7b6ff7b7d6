"""Helpers the tests share: pages typeset or laid out on purpose, the dialects, the Nu checker."""
