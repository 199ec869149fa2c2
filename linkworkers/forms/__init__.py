"""Forms, one module per part of the work (connections: ``linkworkers.connections``)."""
