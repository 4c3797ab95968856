"""Tests of the information hub. `HubTestCase` has Costa Rica's reference data, two information editors
(elena drafts, rafael reviews) and an analyst who is refused; `seeded` adds the demo content."""

import random

from django.test import TestCase
from django.utils import translation

from corredor.core.audit import SYSTEM, acting_as
from corredor.core.models import Role, User
from corredor.infohub import demo
from tests.personas import load_reference


class HubTestCase(TestCase):
    seeded = False

    def setUp(self) -> None:
        # Messages are asserted in English (the services' errors are translated in the active language).
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    @classmethod
    def setUpTestData(cls) -> None:
        load_reference("CRI")
        cls.elena = User.objects.create_user("elena", role=Role.INFORMATION_EDITOR)
        cls.rafael = User.objects.create_user("rafael", role=Role.INFORMATION_EDITOR)
        cls.ana = User.objects.create_user("ana", role=Role.ANALYST)
        if cls.seeded:
            with acting_as(SYSTEM):
                demo.seed(rng=random.Random(1))
