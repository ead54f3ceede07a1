"""Faultline's analysis library: text in, tables out. Never imports Streamlit."""

METHOD_VERSION = "1.2.0"
