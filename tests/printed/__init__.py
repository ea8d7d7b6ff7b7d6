"""The printed page: the page PDF's reader (converters/pdf), story regions, the page view."""
