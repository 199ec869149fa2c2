"""Link worker workflows, one module per part of the work; each function runs in one
transaction and is called by the HTML views, the API and the tasks alike.
Onward connections have their own subpackage, ``linkworkers.connections``.
"""
