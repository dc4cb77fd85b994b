"""Data files shipped with the program (icons, default rule sets, translations)."""
