"""Search: the index (plugins/epaper_search), its reference query, paging, stitching, search.js."""
