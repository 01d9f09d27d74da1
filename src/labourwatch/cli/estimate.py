"""``labourwatch estimate mse``: multiple systems estimation of a hidden population."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from labourwatch.cli.app import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    ClusterOption,
    app,
    cluster_mapper,
    fail,
    print_json,
    progress_bar,
    say,
)

estimate_app = typer.Typer(help="Estimate hidden populations.", no_args_is_help=True)
app.add_typer(estimate_app, name="estimate")


@estimate_app.command("mse")
def mse(
    file: Annotated[
        Path,
        typer.Argument(
            help="Capture histories: 0/1 columns per list and `count`, or one row per individual."
        ),
    ],
    method: Annotated[str, typer.Option(help="stepwise, bic, downhill, main, model or dga.")] = "stepwise",
    max_order: Annotated[int, typer.Option("--max-order", help="Largest interaction for bic/downhill.")] = 2,
    model: Annotated[str | None, typer.Option(help="Generating terms, e.g. 'A*E,B*C'.")] = None,
    bootstrap: Annotated[int, typer.Option(help="BCa bootstrap resamples (0: none).", min=0)] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed for the bootstrap.")] = None,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    cluster: ClusterOption = None,
) -> None:
    """Multiple systems estimation (capture–recapture) with model selection and intervals."""
    from labourwatch.analysis.mse import METHOD_NAMES, MSEInputError, estimate, read_capture_csv

    if method not in METHOD_NAMES:
        raise fail(f"--method must be one of {', '.join(METHOD_NAMES)}, not {method!r}")
    if method == "model" and not model:
        raise fail("--method model needs --model TERMS")
    if not 0 < level < 1:
        raise fail("--level must be between 0 and 1")
    nb = None
    if prior_nb:
        try:
            a, b = (float(x) for x in prior_nb.split(","))
            nb = (a, b)
        except ValueError:
            raise fail(f"--prior-nb must be 'a,b', not {prior_nb!r}") from None
    try:
        data = read_capture_csv(file)
        with warnings.catch_warnings(), cluster_mapper(cluster, batch=8) as mapper, \
                progress_bar("bootstrap", None, enabled=bootstrap > 0) as bar:
            warnings.simplefilter("ignore", RuntimeWarning)  # diverging fits are caught and reported
            result = estimate(
                data,
                method,
                max_order=max_order,
                model=model,
                bootstrap=bootstrap,
                seed=seed,
                p_threshold=p_threshold,
                level=level,
                jobs=jobs,
                profile=profile,
                delta=delta,
                missing=range(missing_min, (missing_max or 3 * data.n) + 1) if method == "dga" else None,
                prior_nb=nb,
                mapper=mapper,
                progress=bar.show,
            )
    except MSEInputError as exc:
        raise fail(str(exc), EXIT_SOME_FAILED) from None
    except ValueError as exc:
        raise fail(f"{file}: {exc}") from None
    if as_json:
        print_json(result.to_dict())
    else:
        say(str(result.summary()))
    raise typer.Exit(EXIT_OK if result.estimate is not None else EXIT_SOME_FAILED)
