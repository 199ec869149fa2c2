"""Onward connections (social prescriptions) and the service's side of the closed loop.

A subpackage of the linkworkers app, not an app of its own (docs/adr/0018): its models
and migrations stay with the case they belong to. It has its own rooms: ``urls``,
``views``, ``forms``, ``presenters``, ``services/`` (``lifecycle`` for each move,
``search`` for finding a service, ``reminders`` for the clock, ``emails``), ``tasks``
and ``track_record``.
"""
