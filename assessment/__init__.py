"""Aannemelijk: the core of multidisciplinary advice on the plausibility of victimhood of trafficking.

This package never imports streamlit: the app (`app.py`, `ui/`) and the CLI (`assessment.cli`) sit on top.
"""

__version__ = "0.1.0"
