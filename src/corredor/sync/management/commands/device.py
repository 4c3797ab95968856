"""Central's devices (border posts' installations):

corredor device code --post CODE     a one-time enrolment code for a post (valid 24 hours)
corredor device revoke DEVICE_ID     cut a device off (401 from now on; what it queued stays queued)
corredor device list                 the devices, their post, last contact and pending records
"""

from typing import Any

from django.core.management.base import CommandParser

from corredor.core.audit import Actor, acting_as
from corredor.core.management.base import ApplicationCommand
from corredor.sync import selectors, services


class Command(ApplicationCommand):
    help = "Border posts' devices at central: enrolment codes, revocation, list."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        code = verbs.add_parser("code", help="print a one-time enrolment code for a post (expires in 24 h)")
        code.add_argument("--post", required=True, help="the border post's code (e.g. PBL)")
        revoke = verbs.add_parser("revoke", help="revoke a device: its requests are refused from now on")
        revoke.add_argument("device_id")
        verbs.add_parser("list", help="the enrolled devices")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor(username="cli", role="", origin="corredor device")):
            verb = options["verb"]
            if verb == "code":
                code, made = services.enrolment_code_create(post_code=options["post"])
                self.stdout.write(code)
                self.stderr.write(
                    f"post {made.post_id}, valid until {made.expires_at:%Y-%m-%d %H:%M} UTC, once"
                )
            elif verb == "revoke":
                device = services.device_revoke(device_id=options["device_id"])
                self.stdout.write(f"{device.id} revoked at {device.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
            else:
                for row in selectors.device_rows():
                    contact = row.device.last_contact_at
                    self.stdout.write(
                        "\t".join(
                            [
                                row.device.id,
                                row.device.post_id,
                                "revoked"
                                if row.device.revoked_at
                                else ("silent" if row.silent else "active"),
                                f"{contact:%Y-%m-%d %H:%M}" if contact else "never",
                                f"pending {row.device.pending}",
                            ]
                        )
                    )
