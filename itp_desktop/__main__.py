"""``python -m itp_desktop``: the same as the ``itp-desktop`` command. May import: app."""

import sys

from itp_desktop.app import main

sys.exit(main())
