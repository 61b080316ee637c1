"""Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha.

The figures live in :mod:`workbench.agreement.metrics` (standard library only). This package
module imports nothing so that importing ``workbench.agreement`` stays cheap.
"""
