"""Typed domain values (shared/domain/models.py) and the config file format (parse/export)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from shared.domain.errors import InvalidInput
from shared.domain.models import (Booking, BookingRequest, BookingStatus, BusinessConfig, BusinessProfile, Faq,
                                  Service, TimeRange, WeeklyHours, error_lines, mask_phone, normalise_phone)
from shared.services.business import DEMO_CONFIG, config_to_yaml, parse_config

PROFILE = {"name": "Chai Corner", "category": "cafe", "timezone": "Asia/Kolkata"}


def problems(data: dict) -> list[str]:
    """The `path: message` lines BusinessConfig gives for `data` (it must be invalid)."""
    with pytest.raises(ValidationError) as caught:
        BusinessConfig.model_validate(data)
    return error_lines(caught.value)


def config(**sections) -> dict:
    return {"business": dict(PROFILE), **sections}


# --- profile ------------------------------------------------------------------------------------------

def test_profile_accepts_an_iana_timezone_and_exposes_its_zone():
    profile = BusinessProfile(**PROFILE)
    assert profile.zone == ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "IST+5:30", "", "Asia/"])
def test_profile_refuses_an_unknown_timezone(zone):
    with pytest.raises(ValidationError) as caught:
        BusinessProfile(**{**PROFILE, "timezone": zone})
    assert any(line.startswith("timezone:") for line in error_lines(caught.value))


def test_profile_names_the_bad_timezone_in_its_message():
    with pytest.raises(ValidationError, match="Mars/Olympus"):
        BusinessProfile(**{**PROFILE, "timezone": "Mars/Olympus"})


def test_profile_defaults_to_english_and_uses_the_first_language_as_default():
    assert BusinessProfile(**PROFILE).default_language == "en"
    assert BusinessProfile(**PROFILE, languages=["ta", "en"]).default_language == "ta"


def test_profile_lowercases_language_codes():
    assert BusinessProfile(**PROFILE, languages=[" HI ", "En"]).languages == ["hi", "en"]


@pytest.mark.parametrize("languages", [["english"], ["e"], ["en", "en"], []])
def test_profile_refuses_bad_or_repeated_languages(languages):
    with pytest.raises(ValidationError):
        BusinessProfile(**PROFILE, languages=languages)


def test_profile_trims_surrounding_whitespace():
    assert BusinessProfile(**{**PROFILE, "name": "  Chai Corner  "}).name == "Chai Corner"


def test_profile_is_immutable():
    profile = BusinessProfile(**PROFILE)
    with pytest.raises(ValidationError):
        profile.name = "Other"


def test_profile_normalises_its_phone_number():
    assert BusinessProfile(**PROFILE, phone="+91 44 4000 1234").phone == "+914440001234"


# --- phone numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "e164"), [
    ("+91 44 4000 1234", "+914440001234"),
    ("+914440001234", "+914440001234"),
    ("whatsapp:+919800000001", "+919800000001"),
    ("  whatsapp:+1 202 555 0199 ", "+12025550199"),
    ("+44 20 7946 0958", "+442079460958"),
    ("+1 (415) 555-2671", "+14155552671"),
])
def test_normalises_phone_numbers_to_e164(written, e164):
    assert normalise_phone(written) == e164


def test_normalises_a_national_number_with_a_default_region():
    assert normalise_phone("044 4000 1234", "IN") == "+914440001234"


@pytest.mark.parametrize("bad", ["12345", "not a number", "+91 123", "+1 555 0000", "whatsapp:", "", "   ", None, 919800000001])
def test_refuses_invalid_phone_numbers(bad):
    with pytest.raises(ValueError):
        normalise_phone(bad)


def test_a_request_with_an_invalid_phone_is_refused_at_the_field():
    with pytest.raises(ValidationError) as caught:
        BookingRequest(customer_name="Priya", customer_phone="12345", service="Trial workout",
                       requested_time="tomorrow 10am", scheduled_for=dt.datetime(2026, 6, 16, 10, tzinfo=dt.UTC),
                       source_message_id="SM1")
    assert [line.split(":")[0] for line in error_lines(caught.value)] == ["customer_phone"]


def test_a_request_needs_a_timezone_aware_time():
    with pytest.raises(ValidationError):
        BookingRequest(customer_name="Priya", customer_phone="+919800000001", service="Trial workout",
                       requested_time="tomorrow 10am", scheduled_for=dt.datetime(2026, 6, 16, 10),
                       source_message_id="SM1")


@pytest.mark.parametrize("phone", ["+914440001234", "+919800000001", "+12025550199", "+442079460958", "+3361234",
                                   "+12345"])
def test_mask_phone_never_reveals_the_full_number(phone):
    masked = mask_phone(phone)
    digits = phone.lstrip("+")
    assert masked != phone
    assert digits not in masked
    assert masked.startswith("+")
    assert len(masked) == len(phone)
    assert sum(ch.isdigit() for ch in masked) <= 4


def test_mask_phone_keeps_the_country_code_and_last_two_digits():
    assert mask_phone("+914440001234") == "+91********34"


def test_mask_phone_hides_a_very_short_number_completely():
    assert mask_phone("+1234") == "+****"


# --- time ranges and weekly hours ---------------------------------------------------------------------

def test_parses_a_time_range_from_text():
    opening = TimeRange.model_validate("06:00-21:00")
    assert (opening.start, opening.end) == (dt.time(6, 0), dt.time(21, 0))


def test_parses_a_time_range_with_spaces_and_single_digit_hours():
    opening = TimeRange.model_validate(" 6:30 - 9:45 ")
    assert (opening.start, opening.end) == (dt.time(6, 30), dt.time(9, 45))


def test_a_time_range_prints_as_it_is_written():
    assert str(TimeRange.model_validate("6:00-21:00")) == "06:00-21:00"


@pytest.mark.parametrize("text", ["6am-9pm", "06:00", "06:00-", "06:00 to 21:00", "0600-2100", ""])
def test_refuses_text_that_is_not_a_time_range(text):
    with pytest.raises(ValidationError, match="not a range"):
        TimeRange.model_validate(text)


@pytest.mark.parametrize("text", ["25:00-26:00", "06:60-07:00", "06:00-24:00"])
def test_refuses_an_impossible_time(text):
    with pytest.raises(ValidationError, match="impossible time"):
        TimeRange.model_validate(text)


@pytest.mark.parametrize("text", ["21:00-06:00", "09:00-09:00"])
def test_refuses_a_range_that_ends_before_it_starts(text):
    with pytest.raises(ValidationError, match="end before start"):
        TimeRange.model_validate(text)


def test_weekly_hours_accepts_two_separate_ranges_a_day_and_sorts_them():
    hours = WeeklyHours(tue=["16:00-21:00", "06:00-12:00"])
    assert [str(r) for r in hours.for_weekday(1)] == ["06:00-12:00", "16:00-21:00"]
    assert hours.for_weekday(0) == []


def test_weekly_hours_accepts_ranges_that_touch():
    assert len(WeeklyHours(mon=["06:00-12:00", "12:00-18:00"]).mon) == 2


def test_weekly_hours_refuses_overlapping_ranges_on_one_day():
    with pytest.raises(ValidationError, match="tue: 06:00-12:00 overlaps 11:00-13:00"):
        WeeklyHours(tue=["06:00-12:00", "11:00-13:00"])


def test_weekly_hours_maps_weekday_numbers_to_open_close_pairs():
    mapping = WeeklyHours(tue=["06:00-12:00", "16:00-21:00"]).as_mapping()
    assert set(mapping) == set(range(7))
    assert mapping[1] == [(dt.time(6), dt.time(12)), (dt.time(16), dt.time(21))]
    assert mapping[6] == []


def test_weekly_hours_refuses_an_unknown_day():
    with pytest.raises(ValidationError):
        WeeklyHours(tuesday=["06:00-12:00"])


# --- the whole configuration --------------------------------------------------------------------------

def test_a_minimal_configuration_gets_sensible_defaults():
    parsed = BusinessConfig.model_validate(config())
    assert parsed.booking.capacity == 1
    assert parsed.services == [] and parsed.faqs == [] and parsed.closures == []


def test_closures_are_sorted_and_deduplicated():
    parsed = BusinessConfig.model_validate(config(closures=["2026-12-25", "2026-01-26", "2026-12-25"]))
    assert parsed.closures == [dt.date(2026, 1, 26), dt.date(2026, 12, 25)]


@pytest.mark.parametrize(("data", "path"), [
    (config(owner="me"), "owner"),
    ({"business": {**PROFILE, "slogan": "x"}}, "business.slogan"),
    (config(booking={"capacity": 2, "overbook": True}), "booking.overbook"),
    (config(services=[{"name": "Tea", "duration_minutes": 10, "colour": "red"}]), "services[0].colour"),
    (config(faqs=[{"question": "Q?", "answer": "A.", "tags": []}]), "faqs[0].tags"),
])
def test_refuses_unknown_fields_naming_their_path(data, path):
    assert f"{path}: Extra inputs are not permitted" in problems(data)


def test_refuses_duplicate_service_names_ignoring_case():
    lines = problems(config(services=[{"name": "Massage", "duration_minutes": 30},
                                      {"name": "massage ", "duration_minutes": 60}]))
    assert lines == ["services: service 'massage' is listed twice"]


def test_blank_service_price_means_no_price():
    assert Service(name="Tea", duration_minutes=10, price="").price is None


def test_error_lines_name_an_opening_range_by_day_and_position():
    lines = problems(config(hours={"tue": ["06:00-12:00", "21:00-16:00"]}))
    assert lines == ["hours.tue[1]: end before start"]


def test_error_lines_name_every_bad_field_of_a_configuration():
    lines = problems({"business": {**PROFILE, "timezone": "Nowhere/Town"},
                      "booking": {"capacity": 0},
                      "services": [{"name": "Tea", "duration_minutes": 1}],
                      "hours": {"mon": ["nonsense"]}})
    paths = sorted(line.split(":")[0] for line in lines)
    assert paths == ["booking.capacity", "business.timezone", "hours.mon[0]", "services[0].duration_minutes"]


def test_error_lines_report_overlaps_on_the_hours_section():
    assert problems(config(hours={"tue": ["06:00-12:00", "11:00-13:00"]})) == [
        "hours: tue: 06:00-12:00 overlaps 11:00-13:00"]


def test_error_lines_report_a_missing_section_by_name():
    assert problems({}) == ["business: Field required"]


def test_error_lines_use_a_prefix_and_name_top_level_problems():
    with pytest.raises(ValidationError) as caught:
        WeeklyHours(tue=["06:00-12:00", "11:00-13:00"])
    assert error_lines(caught.value) == ["(top): tue: 06:00-12:00 overlaps 11:00-13:00"]
    assert error_lines(caught.value, prefix="hours") == ["hours: tue: 06:00-12:00 overlaps 11:00-13:00"]


def test_booking_ends_after_its_duration():
    start = dt.datetime(2026, 6, 16, 10, tzinfo=ZoneInfo("Asia/Kolkata"))
    booking = Booking(id=1, customer_name="Priya", customer_phone="+919800000001", service="Trial workout",
                      requested_time="10am", scheduled_for=start, duration_minutes=45, timezone="Asia/Kolkata",
                      status=BookingStatus.PENDING, source_message_id="SM1", created_at=start, updated_at=start)
    assert booking.ends_at == start + dt.timedelta(minutes=45)


def test_faq_refuses_an_empty_answer():
    with pytest.raises(ValidationError):
        Faq(question="Open on Sunday?", answer="  ")


# --- YAML round trip ----------------------------------------------------------------------------------

def test_the_demo_configuration_survives_an_export_and_import_round_trip():
    original = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    assert parse_config(config_to_yaml(original)) == original


def test_the_demo_configuration_holds_what_the_file_says():
    demo = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    assert demo.business.phone == "+914440001234"
    assert demo.booking.capacity == 2
    assert [s.name for s in demo.services] == ["Fitness assessment", "Personal training", "Trial workout",
                                               "Nutrition consultation"]
    assert demo.faqs[-1].language == "es"


def test_a_configuration_with_split_days_and_optional_fields_left_out_survives_a_round_trip():
    original = BusinessConfig.model_validate(config(
        hours={"tue": ["06:00-12:00", "16:00-21:00"], "sat": ["08:00-13:00"]},
        closures=["2026-08-15"],
        booking={"slot_minutes": 30, "capacity": 3, "buffer_minutes": 10},
        services=[{"name": "Masala chai tasting", "duration_minutes": 30}],
        faqs=[{"question": "¿Tienen leche de avena?", "answer": "Sí.", "language": "es"},
              {"question": "Wi-Fi?", "answer": "Yes, ask at the counter.", "alternatives": ["Is there wifi?"]}]))
    exported = config_to_yaml(original)
    assert "06:00-12:00" in exported
    assert parse_config(exported) == original


def test_parse_config_names_every_bad_field_in_invalid_input():
    with pytest.raises(InvalidInput) as caught:
        parse_config("business: {name: X, category: cafe, timezone: Nowhere/Town}\nbooking: {capacity: 0}\n")
    assert caught.value.reason == "invalid_input"
    assert sorted(line.split(":")[0] for line in caught.value.detail["errors"]) == [
        "booking.capacity", "business.timezone"]


def test_parse_config_refuses_text_that_is_not_yaml():
    with pytest.raises(InvalidInput, match="not valid YAML"):
        parse_config("business: [unclosed\n")


def test_parse_config_refuses_yaml_that_is_not_a_mapping():
    with pytest.raises(InvalidInput, match="mapping"):
        parse_config("- just\n- a list\n")
