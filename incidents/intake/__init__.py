"""Alert intake: monitoring notifications (Alertmanager, generic JSON) become incidents and timeline events.

`notifications` reads a webhook payload and opens or updates the incident of its alert group; `api/`
holds the token-authenticated webhook endpoints and the intake sources admins manage.
"""
