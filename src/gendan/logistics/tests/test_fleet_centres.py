"""The district-centre table gendan ships, the tables a site adds, where a drop is (the
address's own point, else its district's centre) and which zone it lies in (O-45)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from gendan.logistics.geo import CENTRES, CENTRES_HEADER, district_centres, place_of, zone_of
from gendan.logistics.models import DistrictZone, Drop, ZoneKind
from gendan.parties.tests.factories import AddressFactory

# Guangdong's 21 prefecture-level cities.
GUANGDONG = {
    "广州市", "深圳市", "珠海市", "汕头市", "佛山市", "韶关市", "湛江市", "肇庆市", "江门市",
    "茂名市", "惠州市", "梅州市", "汕尾市", "河源市", "阳江市", "清远市", "东莞市", "中山市",
    "潮州市", "揭阳市", "云浮市",
}  # fmt: skip
# Guangdong within its bounding box (20.1°N to 25.6°N, 109.6°E to 117.4°E).
LATITUDES, LONGITUDES = (Decimal("20.1"), Decimal("25.6")), (Decimal("109.6"), Decimal("117.4"))


def shipped_rows() -> list[dict[str, str]]:
    with CENTRES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CENTRES_HEADER
        return list(reader)


@pytest.fixture(autouse=True)
def centres_read_afresh():
    district_centres.cache_clear()
    yield
    district_centres.cache_clear()


def test_every_row_of_the_shipped_table_parses_and_names_a_place_once():
    rows = shipped_rows()
    places = [(row["city"], row["district"]) for row in rows]
    assert len(places) == len(set(places)), "a (city, district) appears twice"
    for row in rows:
        assert row["province"] and row["city"] and row["district"], row
        assert Decimal(row["latitude"]).is_finite() and Decimal(row["longitude"]).is_finite()


def test_guangdong_rows_lie_inside_guangdong_and_cover_its_21_cities():
    rows = [row for row in shipped_rows() if row["province"] == "广东省"]
    for row in rows:
        latitude, longitude = Decimal(row["latitude"]), Decimal(row["longitude"])
        assert LATITUDES[0] <= latitude <= LATITUDES[1], row
        assert LONGITUDES[0] <= longitude <= LONGITUDES[1], row
    assert {row["city"] for row in rows} == GUANGDONG
    # every district and county (122), and Dongguan's and Zhongshan's towns beside them
    districts = [r for r in rows if r["city"] not in ("东莞市", "中山市")]
    assert len(districts) >= 122
    dongguan = {row["district"] for row in rows if row["city"] == "东莞市"}
    assert {"莞城街道", "虎门镇", "松山湖"} <= dongguan


def test_a_sites_own_table_is_read_after_the_shipped_one_and_its_rows_win(settings, tmp_path):
    # given a site's table that moves 福田区 and adds a district of Xiamen
    extra = tmp_path / "centres.csv"
    extra.write_text(
        ",".join(CENTRES_HEADER) + "\n福建省,厦门市,思明区,24.445,118.082\n"
        "广东省,深圳市,福田区,22.500000,114.000000\n",
        encoding="utf-8",
    )
    settings.GENDAN_DISTRICT_CENTRES_EXTRA = [str(extra)]
    # when the centres are read
    centres = district_centres()
    # then the site's rows are there, and its 福田区 replaces the shipped one
    assert centres[("厦门市", "思明区")] == (Decimal("24.445"), Decimal("118.082"))
    assert centres[("深圳市", "福田区")] == (Decimal("22.500000"), Decimal("114.000000"))
    assert ("广州市", "天河区") in centres


def test_a_sites_table_with_another_header_is_refused(settings, tmp_path):
    extra = tmp_path / "centres.csv"
    extra.write_text("city,district,lat,lng\n厦门市,思明区,24.4,118.1\n", encoding="utf-8")
    settings.GENDAN_DISTRICT_CENTRES_EXTRA = [str(extra)]
    with pytest.raises(ValueError, match="header"):
        district_centres()


def test_a_drop_takes_the_addresss_own_coordinates_first():
    address = AddressFactory.build(
        city="深圳市", district="南山区", latitude=Decimal("22.51"), longitude=Decimal("113.94")
    )
    assert place_of(address) == (Decimal("22.51"), Decimal("113.94"), Drop.CoordinatesFrom.ADDRESS)


def test_without_its_own_a_drop_takes_its_districts_centre():
    address = AddressFactory.build(city="东莞市", district="虎门镇", latitude=None, longitude=None)
    latitude, longitude, source = place_of(address)
    assert source == Drop.CoordinatesFrom.DISTRICT
    assert (latitude, longitude) == district_centres()[("东莞市", "虎门镇")]


def test_a_drop_in_a_district_the_table_does_not_know_has_no_place():
    address = AddressFactory.build(city="拉萨市", district="城关区", latitude=None, longitude=None)
    assert place_of(address) == (None, None, Drop.CoordinatesFrom.NONE)


@pytest.mark.django_db
def test_a_listed_district_lies_in_its_zone():
    """O-45: 福田区 listed as Shenzhen's inner city is in the inner city."""
    DistrictZone.objects.create(city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY)
    DistrictZone.objects.create(city="深圳市", district="宝安区", kind=ZoneKind.OUTER)
    assert zone_of("深圳市", "福田区") == ZoneKind.INNER_CITY
    assert zone_of("深圳市", "宝安区") == ZoneKind.OUTER


@pytest.mark.django_db
def test_an_unlisted_district_of_a_listed_city_lies_outside_the_inner_city():
    """O-45: a district of Shenzhen nobody listed (龙岗区) counts as outside the inner city."""
    DistrictZone.objects.create(city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY)
    assert zone_of("深圳市", "龙岗区") == ZoneKind.OUTER


@pytest.mark.django_db
def test_a_city_with_no_district_listed_is_out_of_town():
    """O-45: a drop in 惠州市 when only Shenzhen is listed is out of town."""
    DistrictZone.objects.create(city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY)
    assert zone_of("惠州市", "惠城区") == ZoneKind.OUT_OF_TOWN
