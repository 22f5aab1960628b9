"""Great Expectations suites for dx-warehouse, and the one function that runs them.

The suites (`observations_hard_rules.json`, `observations_warnings.json`) are the rules; the dbt model
`int_observation_rule_inputs` prepares, for each observation, the related figures they compare (the eligible
citizens of the same place and period, the parts of the same report, ...). Validation runs on a pandas frame
read from DuckDB: GX on DuckDB through SQLAlchemy has metric bugs, and the frames are small.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SUITE_DIR = Path(__file__).resolve().parent
SUITES = ("observations_hard_rules", "observations_warnings")
ID_COLUMN = "observation_id"


@dataclass
class RuleResult:
    suite: str
    rule: str
    rule_number: int
    severity: str  # error | warning
    description: str
    success: bool
    element_count: int
    failing_ids: list[str] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # what the rule compares, shown next to each failing row
    docs_page: str | None = None  # this validation's Data Docs page, relative to the Data Docs folder

    @property
    def failing_count(self) -> int:
        return len(self.failing_ids)


@cache
def suite_definitions() -> dict[str, dict]:
    """The version-controlled suites, as GX serialises them."""
    return {name: json.loads((SUITE_DIR / f"{name}.json").read_text(encoding="utf-8")) for name in SUITES}


def rules() -> list[tuple[str, str, int, str, str]]:
    """(suite, rule, rule number, severity, description) of every expectation, in suite order."""
    out = []
    for name, suite in suite_definitions().items():
        severity = suite["meta"]["severity"]
        for e in suite["expectations"]:
            out.append((name, e["meta"]["rule"], e["meta"]["rule_number"], severity, e["meta"]["description"]))
    return out


def rule_columns() -> dict[str, tuple[str, ...]]:
    """The columns each rule compares, shown next to its failing rows."""
    return {
        e["meta"]["rule"]: _columns(e["kwargs"])
        for suite in suite_definitions().values()
        for e in suite["expectations"]
    }


def referenced_columns() -> set[str]:
    """Columns of the rule-input frame the suites read (a drift test compares them with the dbt model)."""
    cols = set()
    for suite in suite_definitions().values():
        for e in suite["expectations"]:
            cols |= {v for k, v in e["kwargs"].items() if k in {"column", "column_A", "column_B"}}
    return cols


def validate(frame, docs_dir: Path | None = None) -> list[RuleResult]:
    """Run every suite on the frame; failing rows come back as observation ids. Builds Data Docs if asked."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _defer_scipy_stats()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)  # logs, not terminal bars
        asset = context.data_sources.add_pandas(name="warehouse").add_dataframe_asset(name="rule_inputs")
        batch_definition = asset.add_batch_definition_whole_dataframe("all_rows")
        result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [ID_COLUMN]}
        if docs_dir is not None:
            docs_dir.mkdir(parents=True, exist_ok=True)
            context.add_data_docs_site(
                site_name="dxw",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        results: list[RuleResult] = []
        for name, definition in suite_definitions().items():
            suite = context.suites.add(gx.ExpectationSuite(**definition))
            if docs_dir is not None:
                validation = context.validation_definitions.add(
                    gx.ValidationDefinition(name=f"{name}_validation", data=batch_definition, suite=suite)
                )
                checkpoint = context.checkpoints.add(
                    gx.Checkpoint(
                        name=f"{name}_checkpoint",
                        validation_definitions=[validation],
                        result_format=result_format,
                        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=["dxw"])],
                    )
                )
                run = checkpoint.run(batch_parameters={"dataframe": frame})
                identifier, outcome = next(iter(run.run_results.items()))
                docs_page = _docs_page(context, identifier, docs_dir)
            else:
                outcome = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
                    suite, result_format=result_format
                )
                docs_page = None
            severity = definition["meta"]["severity"]
            by_rule = {r.expectation_config.meta["rule"]: r for r in outcome.results}  # results are not in order
            for e in definition["expectations"]:
                r = by_rule[e["meta"]["rule"]]
                ids = [str(row[ID_COLUMN]) for row in (r.result.get("unexpected_index_list") or [])]
                results.append(
                    RuleResult(
                        suite=name,
                        rule=e["meta"]["rule"],
                        rule_number=e["meta"]["rule_number"],
                        severity=severity,
                        description=e["meta"]["description"],
                        success=bool(r.success),
                        element_count=int(r.result.get("element_count") or len(frame)),
                        failing_ids=ids,
                        columns=_columns(e["kwargs"]),
                        docs_page=docs_page,
                    )
                )
    return results


def _defer_scipy_stats() -> None:
    """GX's catalogue of expectations imports scipy.stats at import, for distribution expectations these suites do
    not use: about 0.7 s of CPU on every run that validates. Registered as a lazy module (the standard library's
    LazyLoader), it is loaded the first time anything reads from it, and not otherwise."""
    import importlib.util
    import sys

    if "scipy.stats" in sys.modules:
        return
    spec = importlib.util.find_spec("scipy.stats")
    if spec is None or spec.loader is None:
        return
    import scipy

    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["scipy.stats"] = module
    spec.loader.exec_module(module)
    scipy.stats = module  # `from scipy import stats` finds it without scipy's own import of the submodule


def _docs_page(context, identifier, docs_dir: Path) -> str | None:
    """The validation's page in the Data Docs site, relative to its folder (GX gives a file:// URL)."""
    from urllib.parse import unquote, urlparse

    for site in context.get_docs_sites_urls(resource_identifier=identifier, site_names=["dxw"]):
        url = site.get("site_url") or ""
        if url.startswith("file://"):
            page = Path(unquote(urlparse(url).path))
            if page.is_relative_to(docs_dir):
                return page.relative_to(docs_dir).as_posix()
    return None


def _columns(kwargs: dict) -> tuple[str, ...]:
    named = [kwargs.get(k) for k in ("column", "column_B", "column_A")] + list(kwargs.get("column_list") or [])
    return tuple(dict.fromkeys(c for c in named if c))
