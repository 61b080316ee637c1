"""The codebook: codes and themes with their counts, the YAML sync, themes review, near-duplicate names."""
