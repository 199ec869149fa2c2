"""The linkworkers API, one module per part of the work (``connections.py`` belongs to the
connections work). Each workflow is one view calling the same service as the HTML view."""
