"""Fresh official data from the statistical offices' web services (``python -m dashboard data update``).

Fetches for Kreis Düren and its 15 municipalities the newest tables listed in ``sources.json``
through pystatis (Regionalstatistik and Landesdatenbank NRW, GENESIS-Webservice 2020), validates
each with the same :func:`dashboard.data.genesis.load_genesis` as a file import, checks the
structure the dashboard needs, and hands all of them over as one draft with provenance
(service, table code, retrieval time, the service's "Stand", licence). Offline, recorded
answers are replayed through a local HTTP server so the very same code runs.

Modules: :mod:`.registry` (what to fetch), :mod:`.credentials` (environment/keyring),
:mod:`.client` (pystatis, retries, failure classification), :mod:`.replay` (recordings),
:mod:`.run` (one run), :mod:`.sink` (the hand-over to the store).
"""

from dashboard.data.update.errors import KINDS, UpdateError
from dashboard.data.update.run import FetchedTable, UpdateResult, run_update, step_count

__all__ = ["KINDS", "FetchedTable", "UpdateError", "UpdateResult", "run_update", "step_count"]
