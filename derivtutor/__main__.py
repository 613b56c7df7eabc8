from derivtutor import startup_gc

startup_gc.pause()  # before the imports: they are most of start-up

from derivtutor.cli import main  # noqa: E402

raise SystemExit(main())
