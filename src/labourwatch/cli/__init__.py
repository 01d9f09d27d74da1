"""The ``labourwatch`` command line."""
