from derivtutor.terminal import startup_gc

startup_gc.pause()  # before the imports: they are most of start-up

from derivtutor.commands.cli import main  # noqa: E402

raise SystemExit(main())
