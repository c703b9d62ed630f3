"""Travel times for the planner (O-43): the built-in estimate from the settings, or an OSRM
server's table service when one is set; a real HTTP server in a thread stands in for OSRM,
answering its table format, and the estimate takes over, said so, when the server fails."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from gendan.logistics.geo import great_circle_m
from gendan.logistics.planning import travel
from gendan.logistics.planning.texts import text
from gendan.logistics.planning.travel import drive_seconds, estimate_matrices, travel_matrices

# A warehouse in Dongguan, a drop in Shenzhen's Nanshan, one in Dongguan's Humen.
POINTS = [(23.0207, 113.7518), (22.5333, 113.9305), (22.8146, 113.6734)]


class OsrmTable(BaseHTTPRequestHandler):
    """Answers /table/v1/driving/lon,lat;... like OSRM: a duration of 100 s and a distance of
    1,000 m per unit of |i - j| between points i and j, for the sources and destinations asked."""

    broken = False

    def do_GET(self) -> None:
        if self.broken:
            self.send_error(500, "the server fell over")
            return
        asked = urlsplit(self.path)
        count = len(asked.path.rsplit("/", 1)[1].split(";"))
        query = parse_qs(asked.query)
        self.server.queries.append(query)
        sources = [int(i) for i in query["sources"][0].split(";")]
        destinations = [int(i) for i in query["destinations"][0].split(";")]
        assert query["annotations"] == ["duration,distance"] and max(sources) < count
        body = {
            "code": "Ok",
            "durations": [[100.4 * abs(i - j) for j in destinations] for i in sources],
            "distances": [[1000.0 * abs(i - j) for j in destinations] for i in sources],
        }
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def osrm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OsrmTable)
    server.queries = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_estimate_is_the_great_circle_times_the_road_factor_city_then_highway(settings):
    """O-43: the first GENDAN_CITY_KM at the city's speed, the rest at the highway's."""
    # given a road factor of 1.5, 10 km of city at 36 km/h (10 m/s), then 72 km/h (20 m/s)
    settings.GENDAN_OSRM_URL = ""
    settings.GENDAN_ROAD_FACTOR, settings.GENDAN_ROAD_SPEED_KMH = "1.5", "36"
    settings.GENDAN_CITY_KM, settings.GENDAN_HIGHWAY_SPEED_KMH = "10", "72"
    # when
    durations, distances, note = travel_matrices(POINTS)
    # then
    metres = great_circle_m(POINTS[0], POINTS[1]) * 1.5
    assert distances[0][1] == round(metres) and 70_000 < distances[0][1] < 110_000
    assert durations[0][1] == round(10_000 / 10 + (distances[0][1] - 10_000) / 20)
    assert [durations[i][i] for i in range(3)] == [0, 0, 0]
    assert note is None


def test_a_hundred_km_of_road_takes_an_hour_and_a_half_not_three(settings):
    """O-43: the defaults: 10 km at 30 km/h (20 min), 90 km at 70 km/h (77 min)."""
    settings.GENDAN_CITY_KM, settings.GENDAN_ROAD_SPEED_KMH = "10", "30"
    settings.GENDAN_HIGHWAY_SPEED_KMH = "70"
    assert drive_seconds(100_000) == round(1200 + 90_000 / (70 / 3.6))
    assert 5800 < drive_seconds(100_000) < 5900
    # a drive within the city is all at the city's speed
    assert drive_seconds(6_000) == 720


def test_osrm_gives_the_times_when_it_is_set(settings, osrm):
    settings.GENDAN_OSRM_URL = f"http://127.0.0.1:{osrm.server_port}/"
    durations, distances, note = travel_matrices(POINTS)
    assert durations == [[0, 100, 201], [100, 0, 100], [201, 100, 0]]
    assert distances == [[0, 1000, 2000], [1000, 0, 1000], [2000, 1000, 0]]
    assert note is None


def test_osrm_is_asked_in_blocks_no_larger_than_its_table_limit(settings, osrm, monkeypatch):
    # given an OSRM that takes two sources and two destinations at a time
    monkeypatch.setattr(travel, "OSRM_BLOCK", 2)
    settings.GENDAN_OSRM_URL = f"http://127.0.0.1:{osrm.server_port}"
    points = [*POINTS, (22.55, 114.05), (22.72, 114.25)]
    # when
    durations, _distances, _note = travel_matrices(points)
    # then nine requests make the whole table
    assert len(osrm.queries) == 9
    assert durations == [[round(100.4 * abs(i - j)) for j in range(5)] for i in range(5)]


def test_a_failing_osrm_falls_back_to_the_estimate_and_says_so(settings, osrm, monkeypatch):
    # given an OSRM server that answers 500
    monkeypatch.setattr(OsrmTable, "broken", True)
    settings.GENDAN_OSRM_URL = f"http://127.0.0.1:{osrm.server_port}"
    # when
    result = travel_matrices(POINTS)
    # then
    assert (result.durations, result.distances) == estimate_matrices(POINTS)[:2]
    error = "HTTPError: HTTP Error 500: the server fell over"
    assert result.note == text(travel.OSRM_FAILED, error=error)


def test_an_osrm_nobody_answers_at_falls_back_to_the_estimate(settings, osrm):
    # given the address of a server that has stopped
    port = osrm.server_port
    osrm.shutdown()
    osrm.server_close()
    settings.GENDAN_OSRM_URL = f"http://127.0.0.1:{port}"
    # when
    result = travel_matrices(POINTS)
    # then
    assert result.distances == estimate_matrices(POINTS).distances
    assert "URLError" in result.note["params"]["error"]
