"""``labourwatch estimate mse``: multiple systems estimation of a hidden population."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from labourwatch.cli.app import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    ClusterOption,
    DbOption,
    app,
    cluster_mapper,
    fail,
    open_workspace,
    print_json,
    progress_bar,
    say,
)
from labourwatch.cli.link import check_threshold, parse_thresholds, show_sensitivity

if TYPE_CHECKING:
    from labourwatch.analysis.mse import MSEResult
    from labourwatch.analysis.mse.records import Captures

estimate_app = typer.Typer(help="Estimate hidden populations.", no_args_is_help=True)
app.add_typer(estimate_app, name="estimate")


@estimate_app.command("mse")
def mse(
    file: Annotated[
        Path | None,
        typer.Argument(help="Capture histories (0/1 columns per list and `count`), one row per person "
                            "(a yes/no column per list), or one row per sighting (--list-col, --id-col).",
                       show_default=False),
    ] = None,
    method: Annotated[str, typer.Option(
        help="stepwise, bic, downhill, main, model, dga or lcmcr.")] = "stepwise",
    max_order: Annotated[int, typer.Option("--max-order", help="Largest interaction for bic/downhill.")] = 2,
    model: Annotated[str | None, typer.Option(help="Generating terms, e.g. 'A*E,B*C'.")] = None,
    bootstrap: Annotated[int, typer.Option(help="BCa bootstrap resamples (0: none).", min=0)] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed for the bootstrap or the sampler.")] = None,
    p_threshold: Annotated[float, typer.Option("--p-threshold", help="Stepwise p-value threshold.")] = 0.02,
    level: Annotated[float, typer.Option(help="Interval level.")] = 0.95,
    jobs: Annotated[int | None, typer.Option(help="Worker processes (default: all cores).")] = None,
    profile: Annotated[bool, typer.Option(help="Profile-likelihood interval for the chosen model.")] = False,
    delta: Annotated[float, typer.Option(help="dga: hyper-Dirichlet parameter.")] = 1.0,
    missing_min: Annotated[
        int, typer.Option("--missing-min", help="dga: smallest unobserved count.", min=0)
    ] = 0,
    missing_max: Annotated[
        int | None, typer.Option("--missing-max", help="dga: largest unobserved count (default 3n).")
    ] = None,
    prior_nb: Annotated[
        str | None, typer.Option("--prior-nb", help="dga: negative binomial prior on N as 'a,b'.")
    ] = None,
    list_col: Annotated[str | None, typer.Option(
        "--list-col", help="Long form: the column naming the list of each sighting.")] = None,
    id_col: Annotated[str | None, typer.Option(
        "--id-col", help="The column naming the person (rows with one id are one person).")] = None,
    lists: Annotated[str | None, typer.Option(
        "--lists", help="The lists to use, comma-separated (columns, or values of --list-col).")] = None,
    stratify: Annotated[str | None, typer.Option(
        "--stratify", help="A column (place, year): one estimate per value, and their sum.")] = None,
    criterion: Annotated[str, typer.Option(help="bic: score models by BIC or AIC.")] = "BIC",
    ntop: Annotated[int, typer.Option(
        "--ntop", help="bic: average the estimates of the best N models (0: take the best).", min=0)] = 0,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="bic: write the estimate against the model's rank as SVG.")] = None,
    classes: Annotated[int, typer.Option(help="lcmcr: latent classes (truncation K).", min=2)] = 10,
    chains: Annotated[int, typer.Option(help="lcmcr: chains (R-hat compares them).", min=1)] = 4,
    burnin: Annotated[int, typer.Option(help="lcmcr: iterations discarded per chain.", min=0)] = 10_000,
    samples: Annotated[int, typer.Option(help="lcmcr: draws kept per chain.", min=1)] = 1_000,
    thinning: Annotated[int, typer.Option(help="lcmcr: iterations per draw kept.", min=1)] = 100,
    exact_bootstrap: Annotated[bool, typer.Option(
        "--exact-bootstrap", help="bic: refit every model on each resample (default: those near the best).")
    ] = False,
    from_store: Annotated[bool, typer.Option(
        "--from-store", help="Lists from the evidence store: the names each folder (or publisher) of "
                             "documents mentions, linked across lists.")] = False,
    kind: Annotated[str, typer.Option(help="--from-store: person or organisation.")] = "person",
    lists_by: Annotated[str, typer.Option(
        "--lists-by", help="--from-store: folder or publisher.")] = "folder",
    threshold: Annotated[float, typer.Option(help="--from-store: lowest score linking two names.")] = 0.88,
    sensitivity: Annotated[str | None, typer.Option(
        help="--from-store: linkage thresholds to estimate at as well, e.g. 0.8,0.85,0.9,0.95.")] = None,
    save: Annotated[str | None, typer.Option(
        "--save", help="Keep the estimate in the store under this label, with its inputs (the report "
                       "shows it).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    cluster: ClusterOption = None,
) -> None:
    """Multiple systems estimation (capture–recapture) with model selection and intervals."""
    from labourwatch.analysis.mse import METHOD_NAMES, LCMCRSettings, MSEInputError, estimate
    from labourwatch.analysis.mse.records import Layout, read_records
    from labourwatch.analysis.mse.results import StratifiedResult

    if method not in METHOD_NAMES:
        raise fail(f"--method must be one of {', '.join(METHOD_NAMES)}, not {method!r}")
    if method == "model" and not model:
        raise fail("--method model needs --model TERMS")
    if not 0 < level < 1:
        raise fail("--level must be between 0 and 1")
    criterion = criterion.upper()
    if criterion not in ("BIC", "AIC"):
        raise fail(f"--criterion must be BIC or AIC, not {criterion!r}")
    if (ntop or plot) and method != "bic":
        raise fail("--ntop and --plot need --method bic, which scores every model")
    nb = _prior(prior_nb)
    layout = Layout(list_col, id_col, tuple(x.strip() for x in lists.split(",")) if lists else None, stratify)
    thresholds = parse_thresholds(sensitivity)
    if (file is None) != from_store:
        raise fail("give a FILE of capture histories or records, or --from-store (not both)")
    if thresholds and not from_store:
        raise fail("--sensitivity needs --from-store (for a file of records: labourwatch link --sensitivity)")
    where = "the store" if file is None else str(file)
    rows: list[dict[str, Any]] = []
    try:
        if file is None:
            captures, origin, rows = _store_lists(db, kind, lists_by, threshold, thresholds, method, seed)
        else:
            captures, origin = read_records(file, layout), _file_origin(file)
        settings = LCMCRSettings(classes, burnin=burnin, samples=samples, thinning=thinning, chains=chains)
        results = {}
        with warnings.catch_warnings(), cluster_mapper(cluster, batch=8) as mapper, \
                progress_bar("sampling" if method == "lcmcr" else "bootstrap", None,
                             enabled=bootstrap > 0 or method == "lcmcr") as bar:
            warnings.simplefilter("ignore", RuntimeWarning)  # diverging fits are caught and reported
            for name, data in captures.strata.items():
                results[name] = estimate(
                    data, method, max_order=max_order, model=model, bootstrap=bootstrap, seed=seed,
                    p_threshold=p_threshold, level=level, jobs=jobs, profile=profile, delta=delta,
                    missing=range(missing_min, (missing_max or 3 * data.n) + 1) if method == "dga" else None,
                    prior_nb=nb, mapper=mapper, progress=bar.show, criterion=criterion, ntop=ntop,
                    lcmcr=settings, exact_bootstrap=exact_bootstrap,
                )
    except MSEInputError as exc:
        raise fail(str(exc), EXIT_SOME_FAILED) from None
    except ValueError as exc:
        raise fail(f"{where}: {exc}") from None
    if plot:
        _write_plot(plot, results)
    final: MSEResult | StratifiedResult
    if len(results) > 1:
        final = StratifiedResult(results, level, captures.notes)
    else:
        final = next(iter(results.values()))
        final.warnings[:0] = captures.notes
    payload = {**final.to_dict(), **({"sensitivity": rows} if rows else {})}
    if save:
        _save(db, save, method, origin, captures, payload)
    if as_json:
        print_json(payload)
    else:
        say(str(final.summary()))
        if rows:
            say("estimate by linkage threshold:")
            show_sensitivity(rows)
    raise typer.Exit(EXIT_OK if final.estimate is not None else EXIT_SOME_FAILED)


def _file_origin(file: Path) -> dict[str, Any]:
    import hashlib

    try:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        digest = None  # the reader names the file and the reason
    return {"file": str(file), "sha256": digest}


def _store_lists(
    db: str | None, kind: str, lists_by: str, threshold: float, thresholds: list[float], method: str,
    seed: int | None,
) -> tuple[Captures, dict[str, Any], list[dict[str, Any]]]:
    """Captures from the names in the store, linked across lists at ``threshold``; the origin
    to save with them, and the estimates at the other thresholds."""
    from labourwatch.analysis.linkage import Linker, threshold_sensitivity
    from labourwatch.analysis.store_lists import records_from_store

    check_threshold(threshold)
    with open_workspace(db) as ws:
        records = records_from_store(ws.store, kind, lists_by)
        location = ws.location
    linker = Linker(records)
    linkage = linker.link(threshold)
    origin = {"store": location, "kind": kind, "lists_by": lists_by, "threshold": threshold,
              "records": len(records), "people": linkage.people}
    return linkage.captures(), origin, threshold_sensitivity(linker, thresholds, None, method, seed)


def _save(db: str | None, label: str, method: str, origin: dict[str, Any], captures: Captures,
          payload: dict[str, Any]) -> None:
    inputs = {name: data.as_dict() for name, data in captures.strata.items()}
    with open_workspace(db, create=True) as ws:
        estimate_id = ws.store.save_estimate(label, method, origin, inputs, payload)
    say(f"saved as estimate {estimate_id} ({label!r}) in {ws.location}")


def _prior(prior_nb: str | None) -> tuple[float, float] | None:
    if not prior_nb:
        return None
    try:
        a, b = (float(x) for x in prior_nb.split(","))
    except ValueError:
        raise fail(f"--prior-nb must be 'a,b', not {prior_nb!r}") from None
    return a, b


def _write_plot(path: Path, results: dict[str, MSEResult]) -> None:
    """The rank plot in ``path``; one file per stratum (``name-STRATUM.svg``) where split."""
    from labourwatch.report.svg import rank_plot

    for name, result in results.items():
        ranked = [c for c in result.considered if c.estimate is not None and not math.isnan(c.score)]
        weights = [m.weight for m in result.averaged.models] if result.averaged else None
        chart = rank_plot([float(c.estimate or 0.0) for c in ranked], weights, result.score_name,
                          standalone=True)
        target = path if len(results) == 1 else path.with_name(f"{path.stem}-{_slug(name)}{path.suffix}")
        try:
            target.write_text(chart, encoding="utf-8")
        except OSError as exc:
            raise fail(f"{target}: cannot write the plot: {exc.strerror or exc}") from None


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "blank"
