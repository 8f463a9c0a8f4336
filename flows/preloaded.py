"""Imported last by the forkserver (flows/forkserver.py), with every module loaded: the work that each flow run
forked from it would otherwise do again.

- The ORM's mappers, configured once: SQLAlchemy configures them at a process's first query (about 0.15 s).
- The objects loaded so far, frozen out of the garbage collector (`gc.freeze`): a run's full collection would walk
  them all (about 0.2 s) and, writing to each, copy the forkserver's memory pages into the run.
"""

import gc
import importlib

from sqlalchemy.orm import configure_mappers

importlib.import_module("models.tables")  # every table, so that configure_mappers sees every mapper
configure_mappers()
gc.collect()
gc.freeze()
