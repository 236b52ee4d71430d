"""smtpcodes(1), the C core's command line: `python -m smtpcodes` and the `smtpcodes` command."""
import sys

from ._core import cli_main


def main() -> int:
    return cli_main(["smtpcodes"] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
