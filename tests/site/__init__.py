"""The site plugin: the generator's pages, the store and render cache, the writer, links, settings."""
