"""epaper_site: a Pelican plugin that knows editions, pages, jump lines, cities, topics and reporters."""

# multiprocessing's exit hook (it joins child processes) registered now, before the search
# plugin's (loaded after this one) registers the hook that closes its helper's pipe: exit
# hooks run last-registered first, so the pipe is closed before the join.  Otherwise a
# build failing before it hands the search helper its documents (an article refused, say)
# waits for that helper for ever.  (The helper's own fix belongs to plugins/epaper_search.)
import multiprocessing.util  # noqa: F401

from .plugin import register

__all__ = ["register"]
