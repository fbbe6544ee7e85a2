"""Analysis package for the follow-up of Region Örebro län's regional development strategy."""

__version__ = "0.1.0"
