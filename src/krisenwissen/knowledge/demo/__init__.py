"""Demo content for the platform: the PanReflex partner cities and their COVID-19 findings.

``content`` holds the data (German texts, written for the platform from the facts of the
PanReflex synthesis report); ``loader`` writes it into the database.
"""
