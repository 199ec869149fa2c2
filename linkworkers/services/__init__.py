"""Link worker workflows, one module per part of the work; each function runs in one
transaction and is called by the HTML views, the API and the tasks alike.

``connections.py`` (onward connections, the VCSE side of the loop) belongs to the
connections work and is not imported here.
"""
