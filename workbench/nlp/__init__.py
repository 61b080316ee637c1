"""The Dutch language layer: loading the spaCy pipeline lazily and segmenting text.

Nothing here is imported at start-up; spaCy is imported on first use only.
"""
