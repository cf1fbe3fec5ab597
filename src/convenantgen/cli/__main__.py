"""``python -m convenantgen.cli``: the same as the ``convenantgen`` command."""

import sys

from . import main

sys.exit(main())
