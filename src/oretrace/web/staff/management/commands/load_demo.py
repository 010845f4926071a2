"""``python -m oretrace.web load_demo``: the demo organisation, suppliers and 2025 campaign."""

from django.core.management.base import BaseCommand, CommandError

from oretrace.web.demo import DEMO_USERS, load_demo
from oretrace.web.suppliers.models import Supplier


class Command(BaseCommand):
    help = "Load a demo organisation with ~260 suppliers and a 2025 CMRT campaign (96% responded)."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=260, help="Indirect suppliers (default 260).")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--force", action="store_true", help="Load even if suppliers exist.")

    def handle(self, *args, **options):
        if Supplier.objects.exists() and not options["force"]:
            raise CommandError("The database already has suppliers; use --force to add the demo anyway.")
        result = load_demo(seed=options["seed"], indirect=options["suppliers"], log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {result.suppliers} suppliers, {result.requests} requests, "
                f"{result.responded} responded, {result.submissions} files ({result.source})."
            )
        )
        names = ", ".join(name for name, _ in DEMO_USERS)
        self.stdout.write(f"Log in as {names} with the password {result.password}")
