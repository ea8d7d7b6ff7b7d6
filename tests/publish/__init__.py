"""Publishing: the make targets, media on a bucket, the Pages workflow."""
