"""Readers and the Vietnamese extraction engine: plain Python, no Dagster."""
