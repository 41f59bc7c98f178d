"""The ``krisenwissen`` console command.

It is ``manage.py`` with the project's settings preselected, so every Django
management command and every project subcommand (``search``, ``reindex``,
``export``, ``import``, ``gemeinden`` ...) is available as
``krisenwissen <subcommand>``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["krisenwissen", *(argv if argv is not None else sys.argv[1:])])
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do. Point stdout
        # at /dev/null so that flushing it at exit does not raise a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
