"""``python -m natocyber``: the command line (see natocyber.cli)."""
import sys

from .cli import main

sys.exit(main())
