"""What every asset of the graph shares: the writer tag the run queue counts, retries, owners, kinds.

One run writes the warehouse at a time: every run of a job that writes carries `WRITER_TAGS` (the queue in
`<home>/dagster/dagster.yaml` admits one such run at a time) and so does every writing step.
"""

import dagster as dg

WRITER_TAG = "dxw/writer"
WRITER_TAGS = {WRITER_TAG: "warehouse"}
RETRY = dg.RetryPolicy(max_retries=2, delay=2, backoff=dg.Backoff.EXPONENTIAL)
OWNERS = ["team:dx-warehouse"]
PYTHON_KINDS = {"python", "duckdb"}
