"""Perencanaan: indeks prioritas kelurahan dan alokasi anggaran / planning: priority index and allocation.

The Django app (models, services, selectors, pages, ``padu plan``) lives in this package (see the
pages/CLI section of ``docs/planning.md``). The computation lives in
:mod:`padu.planning.engine`, which is Django-free: it imports only numpy, pyarrow and highspy, so it
runs in benchmarks, notebooks and background jobs without settings. Keep Django imports out of this
file so that importing the engine never loads Django.
"""
