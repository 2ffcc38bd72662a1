import sys

from govlab.cli import main

sys.exit(main())
