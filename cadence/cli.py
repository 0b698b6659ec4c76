"""The `cadence` command line: generate, ingest, build, serve, status, demo, docs."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from cadence.config import APP_ENTRYPOINT, DBT_PROJECT_DIR, cadence_home, config_dir

DEFAULT_PORT = 8501
# `serve` and `docs` listen on the loopback interface only unless `--host` says otherwise:
# Streamlit's own default, and `http.server`'s, is every interface.
DEFAULT_HOST = "127.0.0.1"
DEMO_REQUESTS = 1_000_000


def _echo(message: str) -> None:
    print(message, flush=True)


def _ingest(home: Path, entity: str, files: list[str], config: Path | None = None) -> int:
    """`cadence ingest`: land `files` as `entity` (or through a connector); the undeclared
    columns to keep come from `extra_columns.csv` in the configuration folder `config`."""
    import duckdb

    from cadence.build import sweep_builds
    from cadence.lock import writer_lock
    from ingestion.connectors import CONNECTOR_NAMES
    from ingestion.entities.registry import SCHEMAS
    from ingestion.errors import FileRefused, KeyProblem, LedgerDamaged, OutOfMemory, WriteFailed
    from ingestion.extra_columns import ExtraColumnsUnreadable, load_extra_columns
    from ingestion.landing import MEMORY_LIMIT, expand_paths, ingest_files, shown_names

    if entity not in SCHEMAS and entity not in CONNECTOR_NAMES:
        _echo(
            f"unknown entity {entity!r}; choose one of: {', '.join([*SCHEMAS, *CONNECTOR_NAMES])}"
        )
        return 2
    try:
        paths = expand_paths(files)
    except FileRefused as refused:
        _echo(f"REFUSED {refused}")
        return 1
    if not paths:
        _echo("no input files found")
        return 1
    try:
        extra_columns = load_extra_columns(config or config_dir())
    except ExtraColumnsUnreadable as unreadable:
        _echo(f"cadence ingest stopped: {unreadable}. Nothing was ingested.")
        return 1
    try:
        with writer_lock(home, f"cadence ingest {entity}"):
            sweep_builds(home)  # what a killed build left, should no build come next
            if entity in CONNECTOR_NAMES:  # imported only when one is used
                from ingestion.connectors.auto import CONNECTORS

                results = CONNECTORS[entity](paths, home, echo=_echo, extra_columns=extra_columns)
            else:
                results = ingest_files(
                    SCHEMAS[entity], paths, home, echo=_echo, extra_columns=extra_columns
                )
    except KeyProblem as problem:
        _echo(str(problem))
        return 1
    except LedgerDamaged as damaged:
        _echo(f"cadence ingest stopped: {damaged}\nNothing was ingested.")
        return 1
    except OutOfMemory as error:
        _echo(
            f"cadence ingest failed: {error}. Nothing of that file was committed (files "
            "reported above were). The limit is CADENCE_INGEST_MEMORY (now "
            f"{MEMORY_LIMIT}): raise it if the machine has room, or free memory, and run the "
            "same `cadence ingest` again; the files already landed are skipped."
        )
        return 1
    except (OSError, duckdb.Error, WriteFailed) as error:
        _echo(
            _write_problem(
                home,
                "ingest",
                error,
                "nothing of that file was committed (files reported above were); the files "
                "already landed are skipped when you run the same `cadence ingest` again",
            )
        )
        return 1
    refused = sum(r.status == "refused" for r in results)
    landed = sum(r.rows_landed for r in results)
    quarantined = sum(r.rows_quarantined for r in results)
    duplicates = sum(r.status == "duplicate" for r in results)
    dropped = [name for result in results for name in result.dropped]
    if dropped:
        _echo(
            f"not landed (undeclared columns and vendor fields): {shown_names(dropped, 40)}. "
            f"To keep an undeclared column, name it in "
            f"{(config or config_dir()) / 'extra_columns.csv'} (entity,column)."
        )
    skipped: dict[str, int] = {}
    for result in results:
        for kind, count in result.skipped:
            skipped[kind] = skipped.get(kind, 0) + count
    if skipped:
        kinds = sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
        whats = {result.skipped_what for result in results if result.skipped}
        what = whats.pop() if len(whats) == 1 else "record(s) that are not model calls"
        _echo(
            f"skipped {sum(skipped.values()):,} {what} (not requests): "
            + ", ".join(f"{kind} {count:,}" for kind, count in kinds)
        )
    _echo(  # the last line: the summary
        f"{entity}: {len(results)} batch(es): {landed:,} rows landed, {quarantined:,} quarantined, "
        f"{duplicates} skipped as duplicate, {refused} refused"
    )
    return 1 if refused else 0


def configuration(home: Path, override: str | None) -> Path:
    """The configuration folder a command of `home` uses (`cadence.config_folder.choose`)."""
    from cadence.config_folder import choose

    return choose(home, override).path


def cmd_ingest(args: argparse.Namespace) -> int:
    home = cadence_home(args.home)
    return _ingest(home, args.entity, args.files, configuration(home, args.config))


def cmd_generate(args: argparse.Namespace) -> int:
    from cadence.demo.generate import generate

    files = generate(
        Path(args.out),
        requests=args.requests,
        seed=args.seed,
        end_date=args.end_date,
        seeds_dir=config_dir(args.config),
    )
    for entity, paths in files.items():
        _echo(f"{entity}: {len(paths)} file(s) in {Path(args.out) / entity}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    import duckdb

    from cadence import config_folder
    from cadence.build import BuildFailed, build, rollback
    from cadence.lock import WriterBusy
    from cadence.published import read_pointer

    home = cadence_home(args.home)
    before = read_pointer(home)
    try:
        if args.rollback:
            rollback(home, echo=_echo)
            return 0
        choice = config_folder.choose(home, args.config)
        config_folder.check_build(home, choice)
        close = getattr(args, "close_periods", None)
        if getattr(args, "engine", "duckdb") == "spark":
            from cadence.spark_build import build_spark

            # Every Spark build is a full build (README "Running at scale").
            build_spark(home, choice.path, echo=_echo, close=close, announce=choice.describe())
        else:
            build(
                home,
                choice.path,
                full_refresh=getattr(args, "full_refresh", False),
                unit_tests=getattr(args, "unit_tests", False),
                close=close,
                echo=_echo,
                announce=choice.describe(),
                skip_unchanged=not getattr(args, "force", True),
            )
    except WriterBusy:
        raise  # main() says who holds the lock and exits with status 3
    except BuildFailed as failed:
        _echo(str(failed))
        if any(_is_write_problem(failure["message"]) for failure in failed.failures):
            _echo(
                "The machine refused a write (disk full, file size limit or permissions): "
                f"free disk space or fix the permissions under {home} and run "
                "`cadence build` again."
            )
        return 1
    except (OSError, duckdb.Error) as error:
        _echo(_write_problem(home, "build", error, _published_after(home, before)))
        return 1
    except config_folder.ConfigFolderRefused as refused:
        _echo(f"cadence build: {refused}")
        return 1
    except RuntimeError as error:  # rollback with nothing to roll back to
        _echo(str(error))
        return 1
    if not args.rollback:  # published: the next command without --config uses this folder
        published = read_pointer(home)
        if published is not None:
            config_folder.remember(home, choice.path, str(published["build_id"]))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    """Close a period: a build records its review figures in the ledger (`cadence.period_close`)
    and publishes it closed; later changes show as restatements beside those figures."""
    from cadence import period_close
    from cadence.published import read_pointer

    home = cadence_home(args.home)
    pointer = read_pointer(home)
    if pointer is None:
        _echo(f"nothing is published in {home}: run `cadence build` before closing a period")
        return 1
    try:
        start, _ = period_close.resolve(
            Path(str(pointer["published_path"])), args.grain, args.period
        )
    except period_close.CloseRefused as refused:
        _echo(f"cannot close {args.grain} {args.period}: {refused}")
        return 1
    closed = period_close.recorded(home).get((args.grain, start))
    if closed is not None:
        close_id, closed_at = closed
        _echo(
            f"{args.grain} {args.period} is already closed (at {closed_at:%Y-%m-%d %H:%M} UTC, "
            f"build {close_id}): its figures stay as recorded; later changes show as "
            "restatements"
        )
        return 1
    args.rollback = False
    args.close_periods = [(args.grain, start)]
    return cmd_build(args)


def _is_write_problem(message: str) -> bool:
    """Whether an error message (DuckDB's, dbt's) says a write was refused by the machine."""
    from ingestion.errors import is_write_problem

    return is_write_problem(message)


def _published_after(home: Path, before: dict | None) -> str:
    """What a failed build did to the published warehouse, from the pointer before and now."""
    from cadence.published import read_pointer

    after = read_pointer(home)
    if after == before:
        if after is None:
            return "nothing was published"
        return f"the published warehouse is unchanged (build {after['build_id']})"
    return f"build {after['build_id'] if after else '?'} was published"


def _write_problem(home: Path, command: str, error: BaseException, outcome: str) -> str:
    """One paragraph for a writer stopped by the machine (disk full, file too large, no
    permission): what failed, what it left (`outcome`), what to do. Removes what an
    interrupted build left in `warehouses/` at once: on a full disk it only takes room."""
    from cadence.build import sweep_builds
    from cadence.lock import WriterBusy, writer_lock

    if isinstance(error, OSError):
        named = error.filename2 or error.filename  # a copy names its source first
        where = f" {named}" if named else ""
        problem = f"could not write{where}: {error.strerror or error}"
    else:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
    try:
        with writer_lock(home, f"cadence {command} (cleanup)"):
            sweep_builds(home)
    except (OSError, WriterBusy):
        pass
    return (
        f"cadence {command} failed: {problem}; {outcome}. Free disk space or fix the "
        f"permissions under {home} and run `cadence {command}` again."
    )


def cmd_status(args: argparse.Namespace) -> int:
    from cadence.status import render, status
    from ingestion.errors import LedgerDamaged

    try:
        document = status(cadence_home(args.home))
    except LedgerDamaged as damaged:
        _echo(f"cadence status: {damaged}")
        return 1
    _echo(json.dumps(document, indent=2) if args.json else render(document))
    return 0


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies


class _Stopped(Exception):
    """A stop signal reached `cadence serve` or `cadence docs`."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the server child gets SIGTERM when cadence dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))


def serve_until_stopped(command: list[str], env: dict[str, str] | None = None) -> int:
    """Run a server child (Streamlit, http.server) until it exits, or until this process gets
    SIGTERM, SIGINT or SIGHUP: then stop the child (SIGTERM, SIGKILL after 10 s) and wait for
    it, so that no server is left listening on the port. 0 when stopped by a signal, else the
    child's exit code."""

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    child = subprocess.Popen(command, env=env, preexec_fn=_die_with_parent)
    try:
        for number in STOP_SIGNALS:
            signal.signal(number, stop)
        return child.wait()
    except (_Stopped, KeyboardInterrupt):
        return 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    home = cadence_home(args.home)
    env = {
        **os.environ,
        "CADENCE_HOME": str(home),
        "CADENCE_CONFIG_DIR": str(configuration(home, args.config)),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_ENTRYPOINT),
        "--server.address",
        args.host,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # readers see the app, not Streamlit's Deploy button and developer menu
        "--client.toolbarMode",
        "viewer",
    ]
    _echo(f"serving the cadence app on {_url(args.host, args.port)} (Ctrl+C to stop)")
    return serve_until_stopped(command, env)


def _ingest_demo_vendor_files(home: Path, inputs: Path, seed: int, config: Path) -> int:
    """Write the demo's GitHub Copilot, Microsoft 365 Copilot and OTel files (see
    cadence/generate_vendor.py) and land them through the connectors."""
    from cadence.generate_vendor import generate_vendor
    from ingestion.connectors._common import IDENTITY_MAP_ENV

    vendor = generate_vendor(inputs, seed=seed)
    _echo(f"vendor-format files in {inputs / 'vendor'} (identity map {vendor.identity_map})")
    previous = os.environ.get(IDENTITY_MAP_ENV)
    os.environ[IDENTITY_MAP_ENV] = str(vendor.identity_map)
    try:
        return max(
            (
                _ingest(home, name, [str(p) for p in paths], config)
                for name, paths in vendor.files.items()
            ),
            default=0,
        )
    finally:
        if previous is None:
            os.environ.pop(IDENTITY_MAP_ENV, None)
        else:
            os.environ[IDENTITY_MAP_ENV] = previous


def cmd_demo(args: argparse.Namespace) -> int:
    from cadence.demo.generate import generate
    from cadence.demo.profile import DEFAULT_END_DATE

    home = cadence_home(args.home)
    config = configuration(home, args.config)
    inputs = home / "demo_input"
    _echo(f"generating the demo organisation ({args.requests:,} requests) into {inputs}")
    files = generate(inputs, requests=args.requests, seed=args.seed, seeds_dir=config)
    status = 0
    for entity, paths in files.items():
        if paths:
            status |= _ingest(home, entity, [str(p) for p in paths], config)
    status |= _ingest_demo_vendor_files(home, inputs, args.seed, config)
    if (DBT_PROJECT_DIR / "dbt_project.yml").exists():
        build_args = argparse.Namespace(
            home=args.home, config=args.config, full_refresh=False, rollback=False
        )
        # The demo organisation's "today" is the last day of its history: its periods run
        # through that day, not through a calendar date its data never reaches.
        pinned = os.environ.get("CADENCE_BUILD_DATE")
        os.environ["CADENCE_BUILD_DATE"] = pinned or DEFAULT_END_DATE.isoformat()
        try:
            if cmd_build(build_args) != 0:
                return 1
        finally:
            if pinned is None:
                os.environ.pop("CADENCE_BUILD_DATE", None)
    cmd_status(argparse.Namespace(home=args.home, json=False))
    if args.no_serve:
        return 0
    return cmd_serve(
        argparse.Namespace(home=args.home, config=args.config, host=args.host, port=args.port)
    )


def cmd_docs(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from cadence.build import BUILD_FILE, dbt_paths, run_dbt
    from cadence.published import read_pointer

    home = cadence_home(args.home)
    pointer = read_pointer(home)
    if pointer is None:
        _echo("nothing is published yet: run `cadence build` first")
        return 1
    # `docs` takes no writer lock, so it keeps out of the build's dbt target folder: two dbt
    # runs writing one folder's artifacts (manifest, partial parse) at once would spoil both.
    docs = home / "dbt" / "docs"
    paths = dbt_paths(home)
    paths[paths.index("--target-path") + 1] = str(docs)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / BUILD_FILE  # the catalogue is `cadence`, as in every build
        for _ in range(3):  # a build may prune the file between the pointer read and the copy
            try:
                shutil.copy2(str(pointer["published_path"]), copy)
                break
            except FileNotFoundError:
                pointer = read_pointer(home) or pointer
        else:
            _echo(f"the published warehouse file {pointer['published_path']} is missing")
            return 1
        env = {
            "CADENCE_HOME": str(home),
            "CADENCE_CONFIG_DIR": str(configuration(home, args.config)),
            "CADENCE_BUILD_PATH": str(copy),
        }
        ok, failures, _ = run_dbt(["docs", "generate", "--target", "duckdb", *paths], env)
    if not ok:
        _echo(f"dbt docs generate failed: {failures}")
        return 1
    _echo(f"dbt docs generated in {docs}")
    if args.no_serve:
        return 0
    _echo(f"serving the dbt docs on {_url(args.host, args.port)} (Ctrl+C to stop)")
    command = [
        sys.executable,
        "-m",
        "http.server",
        str(args.port),
        "--bind",
        args.host,
        "--directory",
        str(docs),
    ]
    return serve_until_stopped(command)


def _url(host: str, port: int) -> str:
    """Where a server listening on `host` is reached: an IPv6 address in brackets."""
    shown = {"127.0.0.1": "localhost", "0.0.0.0": "localhost", "::": "localhost"}.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def _listen_arguments(command: argparse.ArgumentParser, port: int) -> None:
    command.add_argument("--port", type=int, default=port)
    command.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every "
        "interface)",
    )


def parser() -> argparse.ArgumentParser:
    from ingestion.connectors import CONNECTOR_NAMES
    from ingestion.entities.registry import SCHEMAS

    root = argparse.ArgumentParser(
        prog="cadence", description="AI operating-model scorecard: ingest, build, review."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home", help="cadence home folder (default: $CADENCE_HOME or ./warehouse)"
    )
    common.add_argument(
        "--config", help="folder of operating-model CSVs (default: $CADENCE_CONFIG_DIR or seeds/)"
    )
    commands = root.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", parents=[common], help="land files of one entity")
    ingest.add_argument("entity", help=f"one of: {', '.join([*SCHEMAS, *CONNECTOR_NAMES])}")
    ingest.add_argument("files", nargs="+", help="files, folders or glob patterns")
    ingest.set_defaults(func=cmd_ingest)

    generate = commands.add_parser(
        "generate", parents=[common], help="write the demo organisation's files"
    )
    generate.add_argument("--out", required=True, help="output folder")
    generate.add_argument("--requests", type=int, default=DEMO_REQUESTS, help="number of requests")
    generate.add_argument("--seed", type=int, default=7)
    generate.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 11, 22))
    generate.set_defaults(func=cmd_generate)

    build = commands.add_parser(
        "build", parents=[common], help="build, test and publish the warehouse"
    )
    build.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    build.add_argument("--rollback", action="store_true", help="publish the previous build again")
    build.add_argument(
        "--force",
        action="store_true",
        help="build even when nothing changed since the published build (no new batch, "
        "configuration, code, environment or day): without it such a build runs nothing",
    )
    build.add_argument(
        "--unit-tests",
        action="store_true",
        help="also run dbt's unit tests (fixed fixtures, not the data; left out by default)",
    )
    build.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="where dbt runs: duckdb (default, incremental) or spark (a full build on Spark; "
        "the marts are published into DuckDB for the app)",
    )
    build.set_defaults(func=cmd_build)

    close = commands.add_parser(
        "close",
        parents=[common],
        help="close a period: record its review figures; later changes show as restatements",
    )
    close.add_argument("grain", choices=["quarter", "month", "week"])
    close.add_argument(
        "period", help="YYYY-Qn (fiscal quarter), YYYY-MM (month), YYYY-MM-DD (a week's Monday)"
    )
    close.add_argument(
        "--engine", choices=["duckdb", "spark"], default="duckdb", help="as for `cadence build`"
    )
    close.set_defaults(func=cmd_close)

    status = commands.add_parser("status", parents=[common], help="what is landed and published")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)

    serve = commands.add_parser("serve", parents=[common], help="serve the review app")
    _listen_arguments(serve, port=DEFAULT_PORT)
    serve.set_defaults(func=cmd_serve)

    demo = commands.add_parser(
        "demo", parents=[common], help="generate, ingest, build and serve the demo"
    )
    demo.add_argument("--requests", type=int, default=DEMO_REQUESTS)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--no-serve", action="store_true", help="stop before serving the app")
    _listen_arguments(demo, port=DEFAULT_PORT)
    demo.set_defaults(func=cmd_demo)

    docs = commands.add_parser("docs", parents=[common], help="generate and serve the dbt docs")
    _listen_arguments(docs, port=8080)
    docs.add_argument("--no-serve", action="store_true")
    docs.set_defaults(func=cmd_docs)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from cadence.config_folder import ConfigFolderRefused
    from cadence.lock import WriterBusy

    try:
        return int(args.func(args) or 0)
    except WriterBusy as busy:
        _echo(str(busy))
        return 3
    except ConfigFolderRefused as refused:
        _echo(f"cadence {args.command}: {refused}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
