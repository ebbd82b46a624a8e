"""``python -m importer``: see importer.cli."""

from importer.cli import main

raise SystemExit(main())
