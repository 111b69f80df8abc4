"""Staff sign-in and who may do what: two-factor authentication, the lockout after failed sign-ins (the AXES_*
settings in site_project/settings/base.py), the editorial groups and the review workflow that blog and booking
both rely on (`groups.py`)."""
