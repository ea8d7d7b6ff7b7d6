"""The build layer: incremental daily updates, crash safety, year shards (tools/build.py, tools/shards.py)."""
