"""The ``krisenwissen`` console command.

It is ``manage.py`` with the project's settings preselected, so every Django
management command and every project subcommand (``search``, ``reindex``,
``export``, ``import``, ``gemeinden`` ...) is available as
``krisenwissen <subcommand>``.

The default settings are the development settings, except for ``krisenwissen serve`` (the
production server), which defaults to the production settings.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if args[:1] == ["compare"]:
        # Comparing files needs no database: skip Django's start-up (most of the run time of a
        # small comparison). --db-rules and Django's own options take the management command.
        from krisenwissen.regulations.comparecli import fast_path_possible
        from krisenwissen.regulations.comparecli import main as compare_main

        if fast_path_possible(args[1:]):
            try:
                sys.exit(compare_main(args[1:]))
            except BrokenPipeError:
                _quiet_broken_pipe()
    default = "production" if args[:1] == ["serve"] else "dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"krisenwissen.settings.{default}")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["krisenwissen", *args])
    except ImproperlyConfigured as exc:
        if default != "production":
            raise
        # The production server's operator needs the message (which setting is missing), not
        # a traceback through Django's settings loader.
        sys.exit(f"krisenwissen serve: {exc}")
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    """Output piped into `head` and the like: stop quietly, as Unix tools do. Point stdout
    at /dev/null so that flushing it at exit does not raise a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


if __name__ == "__main__":
    main()
