"""Faultline's analysis library: text in, tables out. Never imports Streamlit."""

METHOD_VERSION = "1.1.0"
