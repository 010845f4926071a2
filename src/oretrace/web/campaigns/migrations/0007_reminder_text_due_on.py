"""Campaigns that still hold oretrace's earlier standard texts get the current ones: a reminder says
"is due on <date>" before the due date and "was due on <date>" after it (the {due_on} placeholder), where
it said "is due <date>" even after that day; the escalation no longer calls the link the supplier's
(it goes to the supplier's escalation contacts; our own staff get the staff page). A text a person has
changed is left as it is."""

from django.db import migrations, models

OLD = {
    "reminder_subject": "Reminder: your {template} for {organisation} is due {due_date}",
    "reminder_body": (
        "Dear {contact},\n\n"
        "We have not yet received the {template} from {supplier} for {year}. It is due {due_date}.\n\n"
        "Upload it through your personal link:\n{link}\n\n"
        "If your products contain no 3TG, you can say so on the same page.\n\n"
        "Thank you,\n{organisation}"
    ),
    "escalation_body": (
        "Hello,\n\n"
        "{supplier} has not answered the {template} request {organisation} sent on {sent_date} "
        "(due {due_date}), despite reminders. Please help us obtain it.\n\n"
        "Personal link of the supplier:\n{link}\n\n"
        "{organisation}"
    ),
}
NEW = {
    "reminder_subject": "Reminder: your {template} for {organisation} {due_on}",
    "reminder_body": OLD["reminder_body"].replace("It is due {due_date}.", "It {due_on}."),
    "escalation_body": OLD["escalation_body"].replace(
        "Personal link of the supplier:", "The request can be answered through this personal link:"
    ),
}


def use_current_texts(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    for field, old in OLD.items():
        Campaign.objects.filter(**{field: old}).update(**{field: NEW[field]})


def use_earlier_texts(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    for field, new in NEW.items():
        Campaign.objects.filter(**{field: new}).update(**{field: OLD[field]})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_file_records")]

    operations = [
        *(
            migrations.AlterField(model_name="campaign", name=field, field=models.TextField(default=NEW[field]))
            for field in ("escalation_body", "reminder_body")
        ),
        migrations.AlterField(
            model_name="campaign",
            name="reminder_subject",
            field=models.CharField(default=NEW["reminder_subject"], max_length=300),
        ),
        migrations.RunPython(use_current_texts, use_earlier_texts),
    ]
