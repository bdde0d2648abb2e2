"""The demo county: its data and the generator."""
