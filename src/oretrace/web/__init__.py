"""The campaign workspace: a Django project on the oretrace core (suppliers, campaigns, review, dashboard)."""
