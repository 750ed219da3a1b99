"""The shared storage (a folder and a real S3 server) and a worker's task, run here
in this process: what a cluster's workers do, without the cluster."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from nashra import __version__
from nashra.config.settings import load_settings
from nashra.core.model import Clip
from nashra.engines.base import wav_clip
from nashra.stages.article_cache import ScriptReader
from nashra.stages.cluster.storage import SharedClips, SharedStore
from nashra.stages.cluster.tasks import (
    RECORD,
    EngineChoice,
    EpisodeTask,
    WorkerCheck,
    check_worker,
    make_episode,
)
from nashra.stages.distribute import cluster_engines
from nashra.stages.read import read_articles, taken_up
from nashra.stages.types import Job
from nashra.storage.cache import ClipCache, clip_key
from tests.fake_engine import FakeEngine, FakeOptions
from tests.gtts_mock import tiny_mp3
from tests.rclone_servers import S3_KEY, S3_SECRET, Server
from tests.support import CORPUS, make_project


@pytest.fixture
def s3_store(s3: Server, monkeypatch: pytest.MonkeyPatch) -> SharedStore:
    monkeypatch.setenv("FSSPEC_S3_ENDPOINT_URL", s3.url)
    monkeypatch.setenv("FSSPEC_S3_KEY", S3_KEY)
    monkeypatch.setenv("FSSPEC_S3_SECRET", S3_SECRET)
    return SharedStore("s3://podcasts/shared")


def test_a_folder_store_writes_whole_files_and_lays_clips_out_as_the_local_cache(
    tmp_path: Path,
) -> None:
    store = SharedStore((tmp_path / "shared").as_uri())
    clips = SharedClips(store)
    key = clip_key("fake", "v", "نص")
    clip = wav_clip(b"\0\0" * 100, 16_000)
    clips.put(key, clip)

    assert key in clips
    assert ClipCache(tmp_path / "shared" / "clips").get(key) == clip
    assert clips.keys() == frozenset({key})
    assert not [p for p in (tmp_path / "shared").rglob("*") if ".part-" in p.name]
    with pytest.raises(ValueError, match="empty clip"):
        clips.put(key, Clip(b"", "wav"))


def test_an_s3_store_round_trips_clips_and_files(
    s3_store: SharedStore, s3: Server, tmp_path: Path
) -> None:
    clips = SharedClips(s3_store)
    key = clip_key("fake", "v", "خبر")
    assert key not in clips
    clips.put(key, Clip(tiny_mp3(), "mp3"))
    assert key in clips
    assert clips.get(key) == Clip(tiny_mp3(), "mp3")
    assert (s3.root / "podcasts" / "shared" / "clips" / key[:2] / f"{key}.mp3").is_file()

    local = tmp_path / "episode.mp3"
    local.write_bytes(b"x" * 100_000)
    s3_store.upload(local, "episodes/k/episodes/a.mp3")
    with s3_store.open("episodes/k/episodes/a.mp3") as stream:
        assert stream.read() == local.read_bytes()
    s3_store.remove("episodes/k")
    assert not s3_store.exists("episodes/k/episodes/a.mp3")


def test_a_worker_that_cannot_see_the_coordinators_storage_says_so(tmp_path: Path) -> None:
    here = SharedStore((tmp_path / "here").as_uri())
    here.write("probes/p1", b"nashra")
    assert SharedStore.probe(here.url, "probes/p1") == ""
    elsewhere = (tmp_path / "elsewhere").as_uri()
    assert "is not the coordinator's there" in SharedStore.probe(elsewhere, "probes/p1")


def test_a_worker_check_names_a_version_and_a_voice_that_differ(tmp_path: Path) -> None:
    store = SharedStore((tmp_path / "shared").as_uri())
    store.write("probes/p", b"nashra")
    fake = EngineChoice.of("fake", FakeOptions(pitch=300))
    good = WorkerCheck(__version__, fake, "fake pitch=300", store.url, "probes/p")
    assert check_worker(good) == ""
    older = replace(good, version="0.0.1")
    assert check_worker(older) == f"nashra {__version__} is installed there, 0.0.1 here"
    other_voice = replace(good, voice_id="fake pitch=200")
    assert "voice differs there (fake pitch=300, here fake pitch=200)" in check_worker(other_voice)


def test_engine_options_travel_as_plain_values() -> None:
    choice = EngineChoice.of("fake", FakeOptions(pitch=300, delay_ms=5))
    assert choice.options == (("delay_ms", 5), ("fail_on", ""), ("pitch", 300), ("words", False))
    engine = choice.create()
    assert isinstance(engine, FakeEngine)
    assert engine.options == FakeOptions(pitch=300, delay_ms=5)
    assert EngineChoice.of("fake", None).create().options == FakeOptions()


def _task(tmp_path: Path, shared: str) -> EpisodeTask:
    """The task the coordinator would send for one real article."""
    from nashra.core.clock import now_utc
    from nashra.stages.assemble import assembly_of
    from nashra.stages.types import Voice

    project = make_project(tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"])
    settings = load_settings(project)
    (aside,) = read_articles(settings, {}, now_utc()).jobs
    (job,) = taken_up([aside], ScriptReader(settings))
    assert isinstance(job, Job)
    work = assembly_of(
        settings, job, Voice("", "", job.script), "5f0b2a2e-0000-4000-8000-000000000001"
    )
    choices, _ = cluster_engines(settings.speech)
    return EpisodeTask(work, choices, None, shared, __version__)


def test_an_episode_task_run_twice_does_its_work_once(tmp_path: Path) -> None:
    shared = (tmp_path / "shared").as_uri()
    task = _task(tmp_path, shared)
    FakeEngine.calls.clear()

    first = make_episode(task)
    assert first.record is not None and not first.reused
    said = len(FakeEngine.calls)
    assert said == first.synthesized > 0
    folder = tmp_path / "shared" / "episodes" / task.key
    assert json.loads((folder / RECORD).read_text("utf-8"))["file"] == first.record.file
    assert (folder / first.record.file).stat().st_size == first.record.length

    again = make_episode(task)
    assert again.reused and again.record == first.record
    assert len(FakeEngine.calls) == said  # nothing voiced again

    os.remove(folder / RECORD)  # as if the worker had died before its record was written
    retried = make_episode(task)
    assert retried.record == first.record
    assert retried.synthesized == 0 and retried.cached == first.synthesized


def test_a_task_is_named_by_everything_it_was_given(tmp_path: Path) -> None:
    task = _task(tmp_path, (tmp_path / "shared").as_uri())
    assert _task(tmp_path, task.shared).key == task.key  # read again, the same
    assert replace(task, version="0.0.1").key != task.key
    assert replace(task, art=b"cover").key != task.key
    assert replace(task, assembly=replace(task.assembly, guid="other")).key != task.key


def test_a_worker_makes_episodes_in_the_project_scratch_space_or_its_own_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never in the system's /tmp for good: a killed worker's folder goes with the next
    build (project scratch) or the worker's next task (its own temporary folder)."""
    import tempfile

    from nashra.render.audio import assembled
    from nashra.storage import paths

    worker_tmp = tmp_path / "worker-tmp"
    worker_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(worker_tmp))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    orphan = worker_tmp / f"nashra-episode-{ended.pid}-killed"
    (orphan / "work").mkdir(parents=True)
    used: list[Path] = []
    real = assembled

    def spy(parts, **kwargs):  # type: ignore[no-untyped-def]
        used.append(kwargs["folder"])
        return real(parts, **kwargs)

    monkeypatch.setattr("nashra.stages.assemble.audio.assembled", spy)
    task = _task(tmp_path, (tmp_path / "shared").as_uri())
    assert make_episode(task).record is not None  # the project is not seen: worker's folder
    assert worker_tmp in used[-1].parents
    assert not orphan.exists()
    assert list(worker_tmp.iterdir()) == []

    scratch = paths.scratch_dir(task.assembly.work_dir)
    scratch.mkdir(parents=True)
    other = replace(task, version=task.version + "+1")  # another task, made afresh
    assert make_episode(other).record is not None
    assert scratch in used[-1].parents
    assert list(scratch.iterdir()) == []
