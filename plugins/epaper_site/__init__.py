"""epaper_site: a Pelican plugin that knows editions, pages, jump lines, cities, topics and reporters."""

from .plugin import register

__all__ = ["register"]
