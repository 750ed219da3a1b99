"""`nashra serve` renders bulletin.xml for the address it serves, like feed.xml."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import podcastparser

from nashra.server import make_server
from nashra.stages.bulletins.build import state_path
from nashra.stages.bulletins.publish import served_bulletin_feed
from nashra.storage.bulletin_state import BulletinState, Published
from tests.test_server import publish, request, running
from tests.test_site import record


def test_the_served_bulletin_feed_points_at_the_server(tmp_path: Path) -> None:
    settings = publish(tmp_path / "podcast")
    for server in running(make_server(settings, port=0)):
        assert request(server, "/bulletin.xml")[0] == 404  # none made yet
        bulletin = replace(
            record(image=None),
            slug="bulletin-2025-03-01",
            guid="b6f3c1de-0000-5000-8000-000000000001",
            file="bulletins/bulletin-2025-03-01.mp3",
        )
        state = BulletinState("c34843a4-9ff2-5934-a569-aacedf52d777")
        state.bulletins["2025-03-01"] = Published(bulletin, ("first",))
        state.save(state_path(settings))
        on_disk = served_bulletin_feed(settings)
        assert on_disk is not None and b"https://nashra.example.org/podcast/" in on_disk
        (settings.output_dir / "bulletin.xml").write_bytes(on_disk)  # as a build writes it
        status, _, body = request(server, "/bulletin.xml")
        assert status == 200
        feed = podcastparser.parse(f"{server.url}/bulletin.xml", io.BytesIO(body))
        assert feed["title"] == f"{settings.title} — النشرة"
        (episode,) = feed["episodes"]
        assert episode["enclosures"][0]["url"] == f"{server.url}/{bulletin.file}"
        assert episode["link"] == f"{server.url}/bulletins/bulletin-2025-03-01.html"
        index = request(server, "/")[2].decode()
        assert 'href="bulletins/index.html"' in index
