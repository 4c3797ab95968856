"""`corredor mrz parse` / `corredor mrz build`: the ICAO core on standard input and output."""

from corredor.core.management.purecli import PureCoreCommand
from corredor.icao import mrz_cli


class Command(PureCoreCommand):
    help = "Parse MRZs from standard input into JSON lines (parse), or build an MRZ from JSON fields (build)."
    usage = "parse | build [--format TD1|TD2|TD3|MRVA|MRVB]"
    cli = staticmethod(mrz_cli)
