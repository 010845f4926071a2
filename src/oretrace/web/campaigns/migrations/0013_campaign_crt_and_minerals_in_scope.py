"""Campaigns of every kind: the CRT joins the kinds, each campaign stores the minerals it asks about,
and the standard texts name the campaign's template and minerals ({template_name}, {minerals}) where
they named the CMRT's ("Conflict Minerals Reporting Template", "no 3TG"). Campaigns that still hold the
earlier standard texts get the current ones, which read as before for a CMRT campaign; a text a person
has changed is left as it is."""

from django.db import migrations, models

OLD = {
    "invitation_subject": "{organisation}: Conflict Minerals Reporting Template for {year}",
    "reminder_body": (
        "Dear {contact},\n\n"
        "We have not yet received the {template} from {supplier} for {year}. It {due_on}.\n\n"
        "Upload it through your personal link:\n{link}\n\n"
        "If your products contain no 3TG, you can say so on the same page.\n\n"
        "Thank you,\n{organisation}"
    ),
}
NEW = {
    "invitation_subject": "{organisation}: {template_name} for {year}",
    "reminder_body": OLD["reminder_body"].replace(
        "If your products contain no 3TG,", "If your products contain none of these minerals ({minerals}),"
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

    dependencies = [
        ('campaigns', '0012_facility_not_listed_by_rmi'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='minerals',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='invitation_subject',
            field=models.CharField(default='{organisation}: {template_name} for {year}', max_length=300),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='reminder_body',
            field=models.TextField(default='Dear {contact},\n\nWe have not yet received the {template} from {supplier} for {year}. It {due_on}.\n\nUpload it through your personal link:\n{link}\n\nIf your products contain none of these minerals ({minerals}), you can say so on the same page.\n\nThank you,\n{organisation}'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='template_kind',
            field=models.CharField(choices=[('CMRT', 'CMRT (3TG: tin, tantalum, tungsten, gold)'), ('EMRT', 'EMRT (extended minerals: cobalt, mica; from 2.0 also copper, graphite, lithium, nickel)'), ('CRT', 'CRT (cobalt; superseded by the EMRT)'), ('AMRT', 'AMRT (additional minerals)')], default='CMRT', max_length=4),
        ),
        migrations.RunPython(use_current_texts, use_earlier_texts),
    ]
