"""Display logic, kept out of templates and models; one module per part of the work."""
