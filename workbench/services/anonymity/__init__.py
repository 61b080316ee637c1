"""The anonymity audit of transcripts and its allow and deny lists."""
