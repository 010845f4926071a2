"""Erase a supplier contact's personal data on request (GDPR Art 17): its name, e-mail address and
phone number become a pseudonym wherever oretrace stored them (oretrace.web.retention.erasure).

Lists the contacts it would erase unless --apply: an erasure cannot be undone.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oretrace.web.retention.erasure import ErasureRefused, erase_contact
from oretrace.web.suppliers.models import Contact

ACTOR = "erase_personal_data command"


class Command(BaseCommand):
    help = "Replace a contact's name, e-mail address and phone number by a pseudonym everywhere (--apply to erase)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--email", help="Every contact with this e-mail address (any supplier).")
        which.add_argument("--contact", type=int, help="The contact with this id.")
        parser.add_argument("--apply", action="store_true", help="Erase; without it, only list who would be.")

    def handle(self, *args, **options):
        if options["email"]:
            contacts = Contact.objects.filter(email__iexact=options["email"].strip())
        else:
            contacts = Contact.objects.filter(pk=options["contact"])
        contacts = list(contacts.select_related("supplier").order_by("pk"))
        if not contacts:
            wanted = options["email"] or f"id {options['contact']}"
            raise CommandError(f"No contact has {'the e-mail address ' if options['email'] else ''}{wanted}.")
        refused = 0
        for contact in contacts:
            if not options["apply"]:
                self.stdout.write(f"would erase contact {contact.pk} of {contact.supplier}: {contact}")
                continue
            try:
                erasure = erase_contact(contact.pk, ACTOR)
            except ErasureRefused as error:
                refused += 1
                self.stderr.write(f"contact {contact.pk} of {contact.supplier}: not erased. {error}")
                continue
            self.stdout.write(f"erased contact {contact.pk} of {contact.supplier}. {erasure.summary}")
        if not options["apply"]:
            self.stdout.write("Dry run: nothing was erased. Run with --apply to erase.")
        if refused:
            raise CommandError(f"{refused} contact(s) not erased; see above.")
