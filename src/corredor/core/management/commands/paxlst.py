"""`corredor paxlst parse FILE` / `corredor paxlst build`: the PAXLST core on files and standard streams."""

from corredor.core.management.purecli import PureCoreCommand
from corredor.paxlst.cli import paxlst_cli


class Command(PureCoreCommand):
    help = "Read a PAXLST (UN/EDIFACT) file into JSON (parse FILE), or write PAXLST from JSON (build)."
    usage = "parse FILE | build"
    cli = staticmethod(paxlst_cli)
