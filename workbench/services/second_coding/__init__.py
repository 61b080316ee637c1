"""Second coding: agreement between coders, their disagreements and reconciling them."""
