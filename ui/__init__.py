"""The Streamlit front end: thin pages (one file a screen) over assessment.services."""
