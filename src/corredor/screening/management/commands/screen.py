"""`corredor screen --watchlist FILE.csv [--threshold T]`: the matching core on files and standard streams.

Builds an index from the CSV (no database), reads one JSON query per line on standard input, writes one
JSON line per query.
"""

from corredor.core.management.purecli import PureCoreCommand
from corredor.matching.cli import screen_cli


class Command(PureCoreCommand):
    help = "Screen JSON queries from standard input against a watchlist CSV (no database needed)."
    usage = "--watchlist FILE.csv [--threshold T]"
    cli = staticmethod(screen_cli)
