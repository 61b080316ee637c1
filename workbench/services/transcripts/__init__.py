"""Transcripts: importing and storing them, their labels, re-segmenting them with another language pipeline."""
