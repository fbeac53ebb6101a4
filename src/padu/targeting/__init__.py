"""Penargetan / targeting: who receives what, and who should (inclusion, exclusion, double receipt).

The computation lives in :mod:`padu.targeting.engine`, which is Django-free: it runs set-based SQL over a
DB-API connection (SQLite or PostgreSQL) against a small logical schema contract
(:class:`padu.targeting.engine.TargetingSchema`) that the Django side maps onto its real tables. See
``docs/targeting.md``. A Django app (models for runs and findings, pages, jobs) will live in this package
later; this module must stay free of Django imports until then.
"""
