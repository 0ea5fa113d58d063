"""Read models: each takes a ``Store`` and plain values and returns typed data; none writes.

The figures of a period, the dashboard, the report's data, the quarterly evaluation, the
roll-up of units, the service-index estimate, the reports issued as final.
May import ``core.files`` and ``core.domain`` (and ``db`` for reading).
"""
