"""Prioritization reports: the dashboard's view written as CSV, XLSX or PDF.

`data` gathers what a report shows (the overview under the dashboard's filters and
profile, the ratings, one brief per project) in a fixed number of queries per chunk of
projects; `tabular` writes the CSV and the XLSX workbook, `pdf` the handout. `jobs` runs
an export as a background job with progress, and keeps the file for its owner.
"""
