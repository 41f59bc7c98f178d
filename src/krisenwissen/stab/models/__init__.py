"""Models of the crisis staff, one module per part (so that the parts grow apart):

* ``core``: templates, staffs, functions, assignments;
* ``etb``: the Einsatztagebuch (append-only, hash-chained);
* ``ops``: Meldungen, Aufträge, Lagebesprechungen, Lageberichte;
* ``load``: presence, shifts, load figures, strain checks, handover briefs;
* ``closing``: Rückführung (deactivation checklist) and the hot debrief.
"""

from .closing import *  # noqa: F403
from .core import *  # noqa: F403
from .etb import *  # noqa: F403
from .load import *  # noqa: F403
from .meet import *  # noqa: F403
from .ops import *  # noqa: F403
