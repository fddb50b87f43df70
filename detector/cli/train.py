"""`detector train` (see its issue). Registers its commands on `detector.cli.app`."""
