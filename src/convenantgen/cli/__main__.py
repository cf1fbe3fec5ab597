"""``python -m convenantgen.cli``: the command line, as the ``convenantgen`` executable."""

import sys

from . import main

sys.exit(main())
