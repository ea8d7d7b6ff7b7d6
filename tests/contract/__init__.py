"""epaper_contract: what the converter writes and every reader of the Markdown relies on."""
