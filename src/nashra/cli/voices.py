"""`nashra voices`: the Piper voices on this machine (list, add, remove); Azure's, Google
Cloud's and Edge's Arabic voices (list --engine azure, google-cloud or edge)."""

from __future__ import annotations

from pathlib import Path

import click

from nashra.cli.app import _errors, _project_option, _settings, cli
from nashra.core.errors import EngineError
from nashra.storage.paths import SETTINGS_FILE


@cli.group()
def voices() -> None:
    """Piper voices on this machine: list, add (download) and remove them.

    Voices live in a per-user folder ($XDG_DATA_HOME/nashra/voices, or
    $NASHRA_VOICES_DIR). Nothing is downloaded unless you run `voices add`.
    `voices list --engine azure` (or google-cloud, or edge) lists that service's Arabic voices
    instead.
    """


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@voices.command("list")
@click.option(
    "--engine",
    type=click.Choice(["piper", "azure", "google-cloud", "edge"]),
    default="piper",
    show_default=True,
    help="piper: the voices on this machine; azure: Azure's Arabic voices (online, needs "
    "AZURE_SPEECH_KEY); google-cloud: Google Cloud's ar-XA voices (online, needs "
    "GOOGLE_CLOUD_API_KEY or GOOGLE_APPLICATION_CREDENTIALS); edge: the Arabic voices "
    "of Edge's read-aloud service (online, no key, needs the edge extra).",
)
@_project_option
def voices_list(engine: str, project: Path) -> None:
    """List the installed voices: language, quality, sample rate, size and licence.

    With --engine azure, Azure AI Speech's Arabic voices in the region of
    [speech.azure] region (in the project's podcast.toml) or AZURE_SPEECH_REGION.
    With --engine google-cloud, Google Cloud Text-to-Speech's Arabic (ar-XA) voices.
    With --engine edge, the Arabic voices of Edge's read-aloud service, with what Edge
    says they suit (its voices have no speaking styles).
    """
    if engine == "azure":
        _azure_voices(project)
        return
    if engine == "google-cloud":
        _google_cloud_voices()
        return
    if engine == "edge":
        _edge_voices()
        return
    from nashra.engines.piper import voices as library

    folder = library.voices_dir()
    with _errors():
        installed = library.list_voices(folder)
    if installed:
        for voice in installed:
            click.echo(
                f"{voice.name:28} {voice.language:6} {voice.quality:7} {voice.sample_rate:6} Hz"
                f"  {_megabytes(voice.size):>9}  {voice.licence}"
            )
    else:
        click.echo(f"no voices installed in {folder}")
    known = library.not_installed(installed)
    if known:
        click.echo("\nknown voices (`nashra voices add NAME`):")
        for entry in known:
            click.echo(f"{entry.name:28} {entry.language:6} {entry.quality:7} {entry.licence}")
            click.echo(f"{'':28} {entry.source}")


def _azure_voices(project: Path) -> None:
    from nashra.engines.azure import service

    with _errors():
        options = None
        if (project / SETTINGS_FILE).is_file():
            options = _settings(project).speech.options_for("azure")
        region = getattr(options, "region", "")
        try:
            found = service.arabic_voices(region)
        except EngineError as exc:
            raise EngineError(f"cannot list Azure's voices: {exc}") from None
    for voice in found:
        styles = ", ".join(voice.styles) or "no styles"
        click.echo(f"{voice.name:28} {voice.locale:6} {voice.gender:7} {styles}")
    if not found:
        click.echo("Azure lists no Arabic voice in this region")


def _google_cloud_voices() -> None:
    from nashra.engines.google_cloud import service

    with _errors():
        try:
            found = service.voices("ar-XA")
        except EngineError as exc:
            raise EngineError(f"cannot list Google Cloud's voices: {exc}") from None
    for voice in found:
        languages = ",".join(voice.language_codes)
        rate = f"{voice.sample_rate} Hz" if voice.sample_rate else "?"
        click.echo(f"{voice.name:32} {languages:8} {voice.gender:8} {rate}")
    if not found:
        click.echo("Google Cloud lists no Arabic (ar-XA) voice")


def _edge_voices() -> None:
    with _errors():
        try:
            from nashra.engines.edge import service
        except ImportError:
            raise EngineError(
                "cannot list Edge's voices: edge-tts is not installed (pip install 'nashra[edge]')"
            ) from None
        try:
            found = service.arabic_voices()
        except EngineError as exc:
            raise EngineError(f"cannot list Edge's voices: {exc}") from None
    for voice in found:
        tags = ", ".join(voice.tags) or "-"
        click.echo(f"{voice.name:28} {voice.locale:6} {voice.gender:7} {tags}")
    if not found:
        click.echo("Edge lists no Arabic voice")


@voices.command("add")
@click.argument("source")
@click.option("--replace", is_flag=True, help="Replace a voice of the same name.")
def voices_add(source: str, replace: bool) -> None:
    """Install a voice: a name from the catalogue, the URL of its .onnx file, or a local .onnx.

    The voice's .onnx.json is fetched from beside the .onnx. An interrupted
    download resumes when the command is run again; files whose SHA-256 the
    catalogue knows are verified. The voice appears only once it is whole.
    """
    from nashra.engines.piper import voices as library

    shown: dict[str, int] = {}

    def progress(name: str, done: int, total: int | None) -> None:
        step = done // 10_000_000
        if shown.get(name) != step:
            shown[name] = step
            of = f" of {_megabytes(total)}" if total else ""
            click.echo(f"{name}: {_megabytes(done)}{of}", err=True)

    with _errors():
        voice = library.add_voice(source, progress=progress, replace=replace)
    click.echo(
        f"installed {voice.name} ({voice.language}, {voice.quality}, {voice.sample_rate} Hz,"
        f" {_megabytes(voice.size)}, licence: {voice.licence}) in {voice.model.parent}"
    )


@voices.command("remove")
@click.argument("name")
def voices_remove(name: str) -> None:
    """Delete an installed voice (and any unfinished download of it)."""
    from nashra.engines.piper import voices as library

    with _errors():
        folder = library.remove_voice(name)
    click.echo(f"removed {folder}")
