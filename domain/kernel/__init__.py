"""What every business area shares: settings, clock, errors, actors and request meta, deps, keys, rate limits,
audit log, events, the outbox, the unit of work (`unit_of_work`; `domain.trail.business_step` adds trail entries),
job names, access policies.

Modules are imported by name (`from domain.kernel import clock`, `from domain.kernel.errors import DomainError`);
the kernel imports no business area.
"""
