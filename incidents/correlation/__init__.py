"""Deploy correlation: which deployments may have caused an incident, and people's verdicts on them.

`suspects` scores deployments and records confirmations and dismissals; `signals` queues a
re-correlation when an incident's start, its services or a late deployment change what it may
suspect; `views` and `api/` let responders confirm or dismiss.
"""
