"""Manual regional reports: template, parsing, validation, lake writing, receipts and quarantine.

A regional unit that cannot connect its accounts to the platform APIs fills in the report template (CSV or
XLSX) and drops it into the inbox. The sensor (pipelines.sensors.manual_reports) launches one run per new
file; the asset (assets.manual_reports) calls `intake.process_file`, which either writes the rows to the
lake and moves the file to `processed/`, or moves it to `quarantine/` with a reason file.
"""
