"""Perencanaan: indeks prioritas kelurahan dan alokasi anggaran / planning: priority index and allocation.

The Django app (models, pages, services) will live in this package later. The computation lives in
:mod:`padu.planning.engine`, which is Django-free: it imports only numpy, pyarrow and highspy, so it
runs in benchmarks, notebooks and background jobs without settings. Keep Django imports out of this
file so that importing the engine never loads Django.
"""
