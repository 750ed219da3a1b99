"""`nashra speak`, `init`, `serve`, `engines` and `diacritize`: the tools around a build."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nashra.cli.app import (
    ENGINE_CHOICES,
    BadUsage,
    BuildFailed,
    _errors,
    _project_option,
    _settings,
    cli,
    verbosity,
)
from nashra.config.settings import load_settings
from nashra.core.errors import ArticleError, UsageError, describe_os_error
from nashra.core.interrupt import Interrupted
from nashra.engines import engine_names
from nashra.storage import paths
from nashra.storage.paths import SETTINGS_FILE


@cli.command()
@click.argument("text", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the text from this UTF-8 file instead.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the audio: an .mp3, or a .wav, in a folder that exists.",
)
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True)
@_project_option
def speak(text: str | None, file: Path | None, output: Path, engine: str, project: Path) -> None:
    """Speak TEXT (or the text of --file) into one MP3 (or WAV, by OUTPUT's name).

    Uses the project's voice settings when run inside a podcast project.
    """
    from nashra.stages.speak import speak as run_speak

    if (text is None) == (file is None):
        raise BadUsage("give either TEXT or --file, not both or neither")
    with _errors():
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as exc:
                raise UsageError(f"{file}: cannot read it as UTF-8 text ({exc})") from exc
            except OSError as exc:
                raise UsageError(describe_os_error(exc)) from exc
        settings = load_settings(project) if (project / SETTINGS_FILE).is_file() else None
        assert text is not None
        result = run_speak(text, output, engine=engine, settings=settings)
    if result.note:
        click.echo(f"note: {result.note}", err=True)
    click.echo(f"wrote {output} ({result.duration:.1f} s, {result.engine})")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Make a new podcast project in DIRECTORY: podcast.toml and a sample article."""
    from nashra.config.project import init_project

    with _errors():
        written = init_project(directory)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: edit {directory / SETTINGS_FILE}, then run `nashra build -p {directory}`")


@cli.command()
@_project_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets other devices on the network in.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any."
)
@click.option(
    "--base-url",
    default=None,
    help="Address the served feed's links point at (default: the address each "
    "request reached the server by). The files in output/ are not changed.",
)
def serve(project: Path, host: str, port: int, base_url: str | None) -> None:
    """Serve the built output/ folder: the podcast's pages, its feed and its episodes.

    Podcast apps and browsers on this machine (or, with --host 0.0.0.0, on the
    same network) can subscribe and play before anything is uploaded. Supports
    byte ranges, ETag and Last-Modified; never lists folders or serves files
    outside output/. Stop with Ctrl+C.
    """
    from nashra.server import lan_address, make_server

    with _errors():
        server = make_server(_settings(project), host=host, port=port, base_url=base_url)
    url = server.url
    if host in ("0.0.0.0", "::"):
        click.echo(
            "warning: listening on every network interface: anyone on this network "
            "can fetch everything in output/",
            err=True,
        )
        lan = lan_address()
        bound = server.server_address[1]
        url = f"http://{lan}:{bound}" if lan else url
    click.echo(f"serving {project / paths.OUTPUT_DIR} at {url}/")
    click.echo(f"feed: {(base_url or url).rstrip('/')}/{paths.FEED_FILE}")
    try:
        server.serve_forever()
    except (KeyboardInterrupt, Interrupted):  # Ctrl+C is how a server is meant to stop
        click.echo("stopped")
    finally:
        server.server_close()


@cli.command()
@_project_option
@click.option("--probe", is_flag=True, help="Also try one short request to each online engine.")
def engines(project: Path, probe: bool) -> None:
    """List the speech engines, whether each can run here, and why not.

    Inside a podcast project each engine is tried with the project's own options.
    Exit status 1 when the engine the project is configured to use (podcast.toml's
    [speech] engine, or auto outside a project) cannot run here, 0 otherwise.
    """
    from nashra.config.settings import Speech
    from nashra.engines import create_engine

    with _errors():
        speech = _settings(project).speech if (project / SETTINGS_FILE).is_file() else Speech()
    runs: dict[str, bool] = {}
    for name in engine_names():
        with _errors():
            engine = create_engine(name, speech.options_for(name))
        available = engine.probe() if probe else engine.availability()
        status = "available" if available.ok else "unavailable"
        runs[name] = available.ok
        network = "online" if engine.needs_network else "offline"
        click.echo(f"{name:8} {status:12} {network:8} {available.problem(name)}")
    configured = speech.engine
    # `auto` voices with whichever engine answers, so it runs when any one can.
    if not (any(runs.values()) if configured == "auto" else runs.get(configured, False)):
        raise BuildFailed(f"the configured engine `{configured}` cannot run here (see above)")


@cli.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object per line: each word's letters, their marks and whose the "
    "marks are (writer, lexicon, model, rule).",
)
def diacritize(file: Path | None, as_json: bool) -> None:
    """Print FILE (or standard input) with the short vowels the offline voices get.

    One line out for each line in. Only marks are added: the letters are the writer's,
    but where the built-in news lexicon writes a word otherwise (عبدالعزيز as two
    words, a hamza left out), which -v names on standard error. The respellings one
    engine alone needs (espeak-ng's) are not applied.
    """
    from nashra.text.vowelling import as_json as line_json
    from nashra.text.vowelling import diacritize_lines

    with _errors():
        text = _read_input(file)
        for line in diacritize_lines(text):
            if as_json:
                click.echo(json.dumps(line_json(line), ensure_ascii=False))
            else:
                click.echo(line.text)
            if verbosity() >= 1:
                for word in line.words:
                    if word.respelled:
                        click.echo(
                            f"line {line.number}: {word.written} is read as {word.vowelled}"
                            " (the news lexicon writes it so)",
                            err=True,
                        )


def _read_input(file: Path | None) -> str:
    """The text of `file`, or of standard input, refused when binary, undecodable or huge."""
    from nashra.readers.decoding import decode_text
    from nashra.text.vowelling import MAX_INPUT_BYTES

    name = Path(str(file) if file is not None else "standard input")
    if file is None:
        data = click.get_binary_stream("stdin").read(MAX_INPUT_BYTES + 1)
    else:
        with file.open("rb") as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise ArticleError(
            name, f"is larger than {MAX_INPUT_BYTES // 2**20} MiB; diacritize it in parts"
        )
    return decode_text(data, name, what="text")
