"""Unit tests for shared.interpreter.timeparse (deterministic multilingual time resolver)."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from zoneinfo import ZoneInfo

import pytest

from shared.interpreter.timeparse import TimeResolution, resolve_time_expression

TZ = ZoneInfo("Europe/Madrid")
# SGD's reference day: Friday 2019-03-01
FRIDAY = dt.datetime(2019, 3, 1, 9, 0, tzinfo=TZ)
WEDNESDAY = dt.datetime(2019, 3, 6, 9, 0, tzinfo=TZ)
D = dt.date
T = dt.time


def every_day(open_, close):
    return {d: [(open_, close)] for d in range(7)}


def resolve(text, now=FRIDAY, **kw) -> TimeResolution:
    return resolve_time_expression(text, now, **kw)


def assert_dt(res: TimeResolution, date, time_):
    assert (res.date, res.time) == (date, time_), res


# ------------------------------------------------------------------------------------ English times
@pytest.mark.parametrize(
    "text, expected",
    [
        ("4 pm", T(16, 0)),
        ("4pm", T(16, 0)),
        ("at 4 p.m.", T(16, 0)),
        ("16:00", T(16, 0)),
        ("09:30", T(9, 30)),
        ("10:15 am", T(10, 15)),
        ("three pm", T(15, 0)),
        ("twelve pm", T(12, 0)),
        ("quarter past 10", T(10, 15)),
        ("quarter past 2 in the afternoon", T(14, 15)),
        ("quarter to 12 in the morning", T(11, 45)),
        ("half past 11 in the morning", T(11, 30)),
        ("noon", T(12, 0)),
        ("midday", T(12, 0)),
        ("midnight", T(0, 0)),
        ("morning 11", T(11, 0)),
        ("11 in the morning", T(11, 0)),
        ("twelve in the afternoon", T(12, 0)),
        ("12:45 in the afternoon", T(12, 45)),
        ("7 at night", T(19, 0)),
        ("four thirty pm", T(16, 30)),
        ("ten to five", T(16, 50)),
    ],
)
def test_reads_english_clock_expressions(text, expected):
    assert resolve(text).time == expected


def test_resolves_quarter_to_6_in_the_evening_to_17_45():
    assert resolve("quarter to 6 in the evening").time == T(17, 45)


def test_resolves_afternoon_2_to_14_00():
    assert resolve("No, I'd like the appointment at afternoon 2.").time == T(14, 0)


def test_resolves_evening_4_15_to_16_15():
    assert resolve("Please check it for evening 4:15.").time == T(16, 15)


def test_resolves_5_oclock_with_straight_double_quote_like_sgd():
    assert resolve('Do it for 5 o"clock in the evening.').time == T(17, 0)
    assert resolve("5 o'clock").time == T(17, 0)


# ------------------------------------------------------------------------------------ English dates
@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", D(2019, 3, 1)),
        ("later today", D(2019, 3, 1)),
        ("tomorrow", D(2019, 3, 2)),
        ("day after tomorrow", D(2019, 3, 3)),
        ("the 7th", D(2019, 3, 7)),
        ("the 1st", D(2019, 3, 1)),
        ("March 7th", D(2019, 3, 7)),
        ("7th of March", D(2019, 3, 7)),
        ("10th of this month", D(2019, 3, 10)),
        ("the 5th of next month", D(2019, 4, 5)),
        ("2019-03-12", D(2019, 3, 12)),
        ("in 3 days", D(2019, 3, 4)),
        ("in two weeks", D(2019, 3, 15)),
        ("Monday", D(2019, 3, 4)),
        ("next Monday", D(2019, 3, 4)),
        ("next Friday", D(2019, 3, 8)),
        ("this Saturday", D(2019, 3, 2)),
        ("Sunday this week", D(2019, 3, 3)),
        ("Thursday next week", D(2019, 3, 7)),
        ("Friday next week", D(2019, 3, 8)),
        ("on the first", D(2019, 3, 1)),
    ],
)
def test_reads_english_date_expressions_relative_to_friday_march_first(text, expected):
    assert resolve(text).date == expected


def test_next_monday_on_friday_is_the_coming_monday_as_in_sgd():
    assert resolve("next Monday", dt.datetime(2019, 3, 1, 9, tzinfo=TZ)).date == D(2019, 3, 4)


def test_a_bare_weekday_equal_to_today_means_next_week_but_this_weekday_means_today():
    assert resolve("Friday").date == D(2019, 3, 8)
    assert resolve("this Friday").date == D(2019, 3, 1)


def test_next_week_alone_means_the_monday_of_next_week():
    assert resolve("next week").date == D(2019, 3, 4)


def test_weekday_next_week_uses_the_following_calendar_week():
    # Wednesday 2019-03-06: "Tuesday next week" is 2019-03-12, not tomorrow-ish
    assert resolve("Tuesday next week", WEDNESDAY).date == D(2019, 3, 12)


def test_past_weekday_rolls_forward_to_the_next_occurrence():
    assert resolve("Monday", WEDNESDAY).date == D(2019, 3, 11)
    assert resolve("this Monday", WEDNESDAY).date == D(2019, 3, 11)
    assert resolve("Monday this week", WEDNESDAY).date == D(2019, 3, 11)


def test_past_day_of_month_rolls_to_next_month_and_past_month_day_to_next_year():
    assert resolve("the 2nd", WEDNESDAY).date == D(2019, 4, 2)
    assert resolve("March 1st", WEDNESDAY).date == D(2020, 3, 1)


def test_combines_date_and_time_given_in_separate_phrases_of_one_sentence():
    res = resolve("Could I come on the 3rd? Ideally at half past four.")
    assert_dt(res, D(2019, 3, 3), T(16, 30))
    assert res.date_text == "on the 3rd"
    assert res.time_text == "half past four"


def test_reports_the_spans_that_gave_date_and_time():
    res = resolve("Can you book it for the 7th at 4 pm please?")
    assert_dt(res, D(2019, 3, 7), T(16, 0))
    assert (res.date_text, res.time_text) == ("the 7th", "4 pm")


def test_a_date_word_with_a_part_of_day_sets_the_half_of_the_day():
    assert_dt(resolve("tomorrow evening at 6"), D(2019, 3, 2), T(18, 0))
    assert_dt(resolve("tonight at 8"), D(2019, 3, 1), T(20, 0))
    assert_dt(resolve("I would like it tomorrow morning 11:45."), D(2019, 3, 2), T(11, 45))


def test_a_part_of_day_without_clock_time_is_reported_as_part_of_day():
    res = resolve("tomorrow afternoon")
    assert res.date == D(2019, 3, 2)
    assert res.time is None
    assert res.part_of_day == "afternoon"


def test_greetings_are_not_parts_of_the_day():
    assert resolve("Good morning, can I come at 4?").time == T(16, 0)
    assert resolve("Good evening").part_of_day is None


def test_negated_date_loses_to_the_one_the_user_wants():
    assert resolve("Not today. Make it next Thursday please.").date == D(2019, 3, 7)
    assert resolve("I can't go on thursday. Make it on this Sunday.").date == D(2019, 3, 3)
    assert resolve("I can't do 4, how about 5:30?").time == T(17, 30)


def test_a_text_with_no_time_gives_no_date_and_no_time():
    for text in ["Hello, how much is a haircut?", "I would like to book for 2 people", "Yes, that is correct", ""]:
        res = resolve(text)
        assert (res.date, res.time, res.date_text, res.time_text) == (None, None, None, None), text
        assert res.ambiguous_hour is False


def test_relative_time_in_two_hours_is_resolved_from_now():
    assert_dt(resolve("in 2 hours"), D(2019, 3, 1), T(11, 0))


# ------------------------------------------------------------------------------------ opening hours
def test_resolves_half_past_four_to_afternoon_when_business_is_closed_at_night():
    res = resolve("half past four", opening_hours=every_day(T(9), T(19)))
    assert res.time == T(16, 30)
    assert res.ambiguous_hour is False


def test_resolves_at_4_to_morning_for_a_bakery_open_before_dawn():
    assert resolve("at 4", opening_hours=every_day(T(3), T(11))).time == T(4, 0)


def test_at_9_for_a_gym_open_6_to_21_is_nine_in_the_morning():
    res = resolve("at 9", opening_hours=every_day(T(6), T(21)))
    assert res.time == T(9, 0)
    assert res.ambiguous_hour is False


def test_when_both_readings_are_open_the_everyday_convention_decides_and_flags_ambiguity():
    hours = every_day(T(6), T(23))
    nine = resolve("at 9", opening_hours=hours)
    assert nine.time == T(9, 0) and nine.ambiguous_hour is True
    six_thirty = resolve("at 6:30", opening_hours=hours)
    assert six_thirty.time == T(18, 30) and six_thirty.ambiguous_hour is True
    three = resolve("at 3", opening_hours=hours)  # 03:00 is closed, so 15:00 is inferred
    assert three.time == T(15, 0) and three.ambiguous_hour is False


def test_at_9_for_an_evening_clinic_is_nine_at_night():
    assert resolve("at 9", opening_hours=every_day(T(14), T(22))).time == T(21, 0)


def test_without_opening_hours_the_default_is_8_to_20():
    assert resolve("at 7:30").time == T(19, 30)
    assert resolve("at 8").time == T(8, 0)
    assert resolve("at 4").time == T(16, 0)


def test_opening_hours_of_the_resolved_weekday_are_used():
    hours = {0: [(T(16), T(22))], 1: [(T(6), T(12))]}
    assert resolve("Monday at 7", opening_hours=hours).time == T(19, 0)
    assert resolve("Tuesday at 7", opening_hours=hours).time == T(7, 0)


def test_today_prefers_the_afternoon_when_the_morning_reading_already_passed():
    afternoon = dt.datetime(2019, 3, 1, 14, 0, tzinfo=TZ)
    assert resolve("today at 9", afternoon, opening_hours=every_day(T(7), T(22))).time == T(21, 0)


def test_explicit_am_pm_and_24_hour_times_ignore_opening_hours():
    hours = every_day(T(9), T(17))
    assert resolve("at 7 am", opening_hours=hours).time == T(7, 0)
    assert resolve("at 21:00", opening_hours=hours).time == T(21, 0)


# ------------------------------------------------------------------------------------ previous turns
def test_a_message_with_only_a_time_keeps_the_previous_date():
    first = resolve("tomorrow")
    second = resolve("at 5pm", previous=first)
    assert_dt(second, D(2019, 3, 2), T(17, 0))
    assert second.date_text is None and second.time_text == "5pm"


def test_a_message_with_only_a_date_keeps_the_previous_time():
    first = resolve("can I come at 5pm?")
    assert_dt(resolve("Monday then", previous=first), D(2019, 3, 4), T(17, 0))


def test_previous_part_of_day_resolves_a_later_bare_hour():
    first = resolve("tomorrow morning")
    assert_dt(resolve("at 7", previous=first, opening_hours=every_day(T(6), T(22))), D(2019, 3, 2), T(7, 0))


def test_a_part_of_day_alone_moves_the_previous_time_into_it():
    first = resolve("tomorrow at 5")
    assert first.time == T(17, 0)
    moved = resolve("sorry, in the morning", previous=first)
    assert_dt(moved, D(2019, 3, 2), T(5, 0))


def test_a_new_date_and_time_override_the_previous_ones():
    first = resolve("tomorrow at 5pm")
    assert_dt(resolve("no, the 9th at 10 am", previous=first), D(2019, 3, 9), T(10, 0))


# ------------------------------------------------------------------------------------ Spanish
@pytest.mark.parametrize(
    "text, date, time_",
    [
        ("mañana a las 5 de la tarde", D(2019, 3, 2), T(17, 0)),
        ("el próximo lunes a las 10", D(2019, 3, 4), T(10, 0)),
        ("el lunes que viene a las diez y media", D(2019, 3, 4), T(10, 30)),
        ("el 7 de marzo a las 4 y cuarto", D(2019, 3, 7), T(16, 15)),
        ("pasado mañana a las 6 menos cuarto de la tarde", D(2019, 3, 3), T(17, 45)),
        ("hoy a mediodía", D(2019, 3, 1), T(12, 0)),
        ("en 3 días a las 17:00", D(2019, 3, 4), T(17, 0)),
        ("el día 15 a las 11 de la mañana", D(2019, 3, 15), T(11, 0)),
        ("¿tienes hueco el 3/7 a las 9?", D(2019, 7, 3), T(9, 0)),
        ("mañana por la mañana a las 9", D(2019, 3, 2), T(9, 0)),
    ],
)
def test_reads_spanish_dates_and_times(text, date, time_):
    assert_dt(resolve(text), date, time_)


def test_spanish_manana_alone_means_tomorrow_but_por_la_manana_is_morning():
    res = resolve("el viernes por la mañana")
    assert res.date == D(2019, 3, 8) and res.part_of_day == "morning"
    assert resolve("mañana").date == D(2019, 3, 2)


# ------------------------------------------------------------------------------------ Portuguese
@pytest.mark.parametrize(
    "text, date, time_",
    [
        ("amanhã às 15h", D(2019, 3, 2), T(15, 0)),
        ("na próxima segunda às 10h30", D(2019, 3, 4), T(10, 30)),
        ("sexta-feira às 3 da tarde", D(2019, 3, 8), T(15, 0)),
        ("dia 7 de março às 9 e meia", D(2019, 3, 7), T(9, 30)),
        ("hoje ao meio-dia", D(2019, 3, 1), T(12, 0)),
        ("depois de amanhã às 8 da noite", D(2019, 3, 3), T(20, 0)),
        ("pode ser no dia 12/3 às 14h?", D(2019, 3, 12), T(14, 0)),
    ],
)
def test_reads_portuguese_dates_and_times(text, date, time_):
    assert_dt(resolve(text), date, time_)


# ------------------------------------------------------------------------------------ French
@pytest.mark.parametrize(
    "text, date, time_",
    [
        ("demain à 15h30", D(2019, 3, 2), T(15, 30)),
        ("lundi prochain à 10 heures", D(2019, 3, 4), T(10, 0)),
        ("le 7 mars à 16 heures et demie", D(2019, 3, 7), T(16, 30)),
        ("après-demain à midi", D(2019, 3, 3), T(12, 0)),
        ("jeudi à 4 heures moins le quart de l'après-midi", D(2019, 3, 7), T(15, 45)),
        ("ce soir à 8 heures", D(2019, 3, 1), T(20, 0)),
        ("vendredi matin à 9h", D(2019, 3, 8), T(9, 0)),
        ("dans 2 jours à 14h", D(2019, 3, 3), T(14, 0)),
    ],
)
def test_reads_french_dates_and_times(text, date, time_):
    assert_dt(resolve(text), date, time_)


# ------------------------------------------------------------------------------------ German
@pytest.mark.parametrize(
    "text, date, time_",
    [
        ("morgen um 15 Uhr", D(2019, 3, 2), T(15, 0)),
        ("am Montag um halb drei", D(2019, 3, 4), T(14, 30)),
        ("nächsten Dienstag um 10", D(2019, 3, 5), T(10, 0)),
        ("übermorgen um viertel nach 4", D(2019, 3, 3), T(16, 15)),
        ("am 7. März um 14:30", D(2019, 3, 7), T(14, 30)),
        ("heute Abend um 7", D(2019, 3, 1), T(19, 0)),
        ("Freitag um viertel vor 6 abends", D(2019, 3, 8), T(17, 45)),
        ("morgen früh um 9", D(2019, 3, 2), T(9, 0)),
        ("Geht es am 12.03. um 15.30 Uhr?", D(2019, 3, 12), T(15, 30)),
    ],
)
def test_reads_german_dates_and_times(text, date, time_):
    assert_dt(resolve(text), date, time_)


def test_german_halb_fuenf_is_half_past_four():
    assert resolve("halb fünf").time == T(16, 30)
    assert resolve("halb fünf", opening_hours=every_day(T(3), T(12))).time == T(4, 30)


def test_german_am_is_not_read_as_ante_meridiem():
    assert_dt(resolve("um 5 am Montag"), D(2019, 3, 4), T(17, 0))


# ------------------------------------------------------------------------------------ Hindi / Hinglish
@pytest.mark.parametrize(
    "text, date, time_",
    [
        ("कल शाम 5 बजे", D(2019, 3, 2), T(17, 0)),
        ("परसों सुबह 10 बजे", D(2019, 3, 3), T(10, 0)),
        ("आज दोपहर 3 बजे", D(2019, 3, 1), T(15, 0)),
        ("अगले सोमवार साढ़े चार बजे", D(2019, 3, 4), T(16, 30)),
        ("कल ४ बजे", D(2019, 3, 2), T(16, 0)),
    ],
)
def test_reads_hindi_in_devanagari(text, date, time_):
    assert_dt(resolve(text), date, time_)


@pytest.mark.parametrize(
    "text, date, time_",
    [
        ("kal shaam 5 baje", D(2019, 3, 2), T(17, 0)),
        ("parso subah 10 baje", D(2019, 3, 3), T(10, 0)),
        ("aaj 4 baje aa sakta hu?", D(2019, 3, 1), T(16, 0)),
        ("agle somvar saade 4 baje", D(2019, 3, 4), T(16, 30)),
        ("kal raat 8 baje", D(2019, 3, 2), T(20, 0)),
        ("kal do baje", D(2019, 3, 2), T(14, 0)),
    ],
)
def test_reads_romanised_hindi(text, date, time_):
    assert_dt(resolve(text), date, time_)


def test_hinglish_kal_means_tomorrow_in_a_booking_context():
    assert resolve("kal appointment mil sakta hai?").date == D(2019, 3, 2)


def test_hindi_number_words_need_baje_to_be_hours():
    assert resolve("kal do log aayenge").time is None


# ------------------------------------------------------------------------------------ language hint
def test_slash_dates_are_month_day_in_american_english_and_day_month_otherwise():
    in_new_york = FRIDAY.replace(tzinfo=ZoneInfo("America/New_York"))
    assert resolve("3/7", in_new_york).date == D(2019, 3, 7)
    assert resolve("3/7", FRIDAY.replace(tzinfo=dt.timezone.utc)).date == D(2019, 3, 7)  # no country: as before
    assert resolve("3/7", language="es").date == D(2019, 7, 3)
    assert resolve("3/7", language="de").date == D(2019, 7, 3)


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "Africa/Lagos", "Europe/Madrid"])
def test_an_english_slash_date_is_day_first_where_the_business_writes_dates_so(zone):
    # "is 02/07 free at 10?" at a London or Mumbai business is 2 July, not February 7
    assert resolve("is 3/7 free at 10?", FRIDAY.replace(tzinfo=ZoneInfo(zone)), language="en").date == D(2019, 7, 3)


# ------------------------------------------------------------------------------------ API
def test_combine_returns_an_aware_datetime_only_when_date_and_time_are_known():
    res = resolve("tomorrow at 4 pm")
    combined = res.combine(TZ)
    assert combined == dt.datetime(2019, 3, 2, 16, 0, tzinfo=TZ)
    assert combined.utcoffset() is not None
    assert res.combine("Asia/Kolkata").tzinfo == ZoneInfo("Asia/Kolkata")
    assert resolve("tomorrow").combine(TZ) is None


def test_resolution_is_deterministic_and_immutable():
    a = resolve("kal shaam 5 baje")
    b = resolve("kal shaam 5 baje")
    assert a == b
    with pytest.raises(Exception):
        a.date = None  # type: ignore[misc]


def test_median_time_per_utterance_is_well_under_5_ms():
    texts = [
        "Can you book it for the 7th at 4 pm please?",
        "I want it on Friday next week at 3:30 in the afternoon.",
        "mañana a las 5 de la tarde",
        "कल शाम 5 बजे",
        "Freitag um viertel vor 6 abends",
        "Yes, that is correct",
    ] * 20
    samples = []
    for t in texts:
        start = time.perf_counter()
        resolve(t)
        samples.append((time.perf_counter() - start) * 1000)
    assert statistics.median(samples) < 5


# ------------------------------------------------------------------------------------ issue 11: read right or not at all
LONDON = ZoneInfo("Europe/London")
WED = dt.datetime(2027, 3, 10, 10, 0, tzinfo=LONDON)  # a Wednesday


def read(text, language=None, now=WED):
    res = resolve_time_expression(text, now, language=language)
    return res.date, res.time


def test_quarter_past_four_pm_is_sixteen_fifteen():
    assert read("quarter past four pm") == (None, T(16, 15))


@pytest.mark.parametrize("text, language, expected", [
    ("at 5 45", "en", T(17, 45)),
    ("twenty past noon", "en", T(12, 20)),
    ("quarter to noon", "en", T(11, 45)),
    ("dez para as cinco", "pt", T(16, 50)),
    ("quinze para o meio-dia", "pt", T(11, 45)),
    ("dix-huit heures moins le quart", "fr", T(17, 45)),
    ("à cinq heures moins dix de l'après-midi", "fr", T(16, 50)),
    ("paanch bajkar das minute", "hi", T(17, 10)),
    ("चार बजने में दस मिनट", "hi", T(15, 50)),
    ("half five", "en", T(17, 30)),
    ("630 in the evening", "en", T(18, 30)),
])
def test_minutes_relative_to_an_hour_are_read_with_their_half_of_the_day(text, language, expected):
    assert read(text, language)[1] == expected


def test_ten_to_six_tomorrow_evening_is_seventeen_fifty_tomorrow():
    assert read("ten to six tomorrow evening", "en") == (D(2027, 3, 11), T(17, 50))


@pytest.mark.parametrize("text, language, expected", [
    ("in 2h", "en", (D(2027, 3, 10), T(12, 0))),
    ("in an hour and a half", "en", (D(2027, 3, 10), T(11, 30))),
    ("em meia hora", "pt", (D(2027, 3, 10), T(10, 30))),
    ("dans une demi-heure", "fr", (D(2027, 3, 10), T(10, 30))),
    ("in anderthalb Stunden", "de", (D(2027, 3, 10), T(11, 30))),
    ("in drei Wochen", "de", (D(2027, 3, 31), None)),
    ("in a fortnight", "en", (D(2027, 3, 24), None)),
])
def test_a_duration_is_an_offset_from_now_not_a_clock_time(text, language, expected):
    assert read(text, language) == expected


@pytest.mark.parametrize("text, language, expected", [
    ("samedi dernier", "fr", D(2027, 3, 6)),
    ("letzten Freitag", "de", D(2027, 3, 5)),
    ("el viernes pasado", "es", D(2027, 3, 5)),
    ("sexta passada", "pt", D(2027, 3, 5)),
    ("pichhle shukravar", "hi", D(2027, 3, 5)),
    ("last friday", "en", D(2027, 3, 5)),
    ("yesterday", "en", D(2027, 3, 9)),
    ("il y a deux jours", "fr", D(2027, 3, 8)),
    ("vor drei Tagen", "de", D(2027, 3, 7)),
])
def test_a_past_weekday_is_a_past_date_not_next_week(text, language, expected):
    assert read(text, language)[0] == expected


def test_german_hier_is_here_not_yesterday():
    assert read("ich bin morgen um 10 hier", "de")[0] == D(2027, 3, 11)


@pytest.mark.parametrize("text, language, expected", [
    ("the second Monday of next month", "en", D(2027, 4, 12)),
    ("the last Friday of the month", "en", D(2027, 3, 26)),
    ("el primer lunes de abril", "es", D(2027, 4, 5)),
    ("le deuxième mardi du mois prochain", "fr", D(2027, 4, 13)),
    ("am letzten Freitag im März", "de", D(2027, 3, 26)),
    ("agle mahine ka doosra somvar", "hi", D(2027, 4, 12)),
])
def test_an_ordinal_weekday_of_a_month_is_that_day(text, language, expected):
    assert read(text, language)[0] == expected


@pytest.mark.parametrize("text, language, expected", [
    ("mardi en huit", "fr", D(2027, 3, 23)),
    ("übernächsten Montag", "de", D(2027, 3, 22)),
    ("two mondays from now", "en", D(2027, 3, 22)),
    ("a week on Tuesday", "en", D(2027, 3, 23)),
    ("a fortnight on monday", "en", D(2027, 3, 29)),
    ("a week tomorrow", "en", D(2027, 3, 18)),
    ("a fortnight today", "en", D(2027, 3, 24)),
    ("de mañana en ocho", "es", D(2027, 3, 18)),
    ("aujourd'hui en quinze", "fr", D(2027, 3, 24)),
    ("heute in einer woche", "de", D(2027, 3, 17)),
    ("de hoje a oito", "pt", D(2027, 3, 17)),
])
def test_weeks_ahead_of_a_weekday_of_today_or_of_tomorrow(text, language, expected):
    assert read(text, language)[0] == expected


def test_a_stated_year_is_kept():
    assert read("March 3rd 2028", "en")[0] == D(2028, 3, 3)
    assert read("05 03 2027", "pt")[0] == D(2027, 3, 5)  # a past date: the rules refuse it


@pytest.mark.parametrize("text, language, zone, expected", [
    ("3pm New York time", "en", "Europe/London", T(20, 0)),
    ("4pm CET", "en", "Europe/London", T(15, 0)),
    ("à 10h heure de Londres", "fr", "Europe/Paris", T(11, 0)),
    ("um 9 Uhr New Yorker Zeit", "de", "Europe/Berlin", T(15, 0)),
    ("shaam 5 baje London time", "hi", "Asia/Kolkata", T(22, 30)),
    # by an adjective, a region, a compound or the Hindi loanword
    ("11am eastern", "en", "Europe/London", T(16, 0)),
    ("9am hora colombiana", "es", "Europe/Madrid", T(15, 0)),
    ("11h hora do acre", "pt", "America/Sao_Paulo", T(13, 0)),
    ("10 uhr uk-zeit", "de", "Europe/Berlin", T(11, 0)),
    ("दुबई टाइम शाम 5 बजे", "hi", "Asia/Kolkata", T(18, 30)),
    ("लंदन के टाइम से सुबह 10 बजे", "hi", "Asia/Kolkata", T(15, 30)),
])
def test_an_explicit_time_zone_is_converted_to_the_business_zone(text, language, zone, expected):
    assert read(text, language, now=WED.replace(tzinfo=ZoneInfo(zone)))[1] == expected


def test_a_time_zone_that_cannot_be_converted_gives_no_reading():
    assert read("at 3pm my time", "en") == (None, None)
    assert read("tomorrow at 3pm Springfield time", "en") == (None, None)  # a place in several zones, or none


def test_a_conversion_across_midnight_moves_the_date():
    assert read("tomorrow at 11pm New York time", "en") == (D(2027, 3, 12), T(4, 0))


@pytest.mark.parametrize("text, language, expected", [
    ("fri", "en", D(2027, 3, 12)),
    ("jue.", "es", D(2027, 3, 11)),
    ("mar.", "es", D(2027, 3, 16)),
    ("mar.", "fr", D(2027, 3, 16)),
    ("Fr. 14 Uhr", "de", D(2027, 3, 12)),
    ("sexta", "pt", D(2027, 3, 12)),
])
def test_weekday_abbreviations_and_bare_portuguese_weekdays_are_read(text, language, expected):
    assert read(text, language)[0] == expected


def test_abbreviations_that_are_everyday_words_need_a_cue():
    assert read("I sat down", "en") == (None, None)
    assert read("so geht das", "de") == (None, None)
    assert read("a segunda vez", "pt") == (None, None)


@pytest.mark.parametrize("text, language, expected", [
    ("doze de março", "pt", (D(2027, 3, 12), None)),
    ("à dix-sept heures", "fr", (None, T(17, 0))),
    ("el veinticinco de marzo", "es", (D(2027, 3, 25), None)),
    ("am zwanzigsten März", "de", (D(2027, 3, 20), None)),
    ("pachchis tarikh ko", "hi", (D(2027, 3, 25), None)),
])
def test_numbers_in_words_are_read(text, language, expected):
    assert read(text, language) == expected


@pytest.mark.parametrize("text, language", [
    ("3-4", "en"), ("between 3 and 4pm", "en"), ("at 3 or 4", "en"), ("entre 15h et 16h", "fr"),
    ("vers 3-4h", "fr"), ("3-4 baje", "hi"), ("lá pelas 3 ou 4", "pt"),
])
def test_an_ambiguous_range_is_not_read(text, language):
    assert read(text, language)[1] is None


@pytest.mark.parametrize("text, language", [
    ("Monday or Tuesday", "en"), ("lundi ou mardi", "fr"), ("monday ya tuesday", "hi"), ("segunda ou terça", "pt"),
])
def test_two_alternative_days_are_not_read(text, language):
    assert read(text, language)[0] is None


# ------------------------------------------------------------------------------------ fresh suite: unsure -> unread
KOLKATA_WED = WED.replace(tzinfo=ZoneInfo("Asia/Kolkata"))


@pytest.mark.parametrize("text, expected", [
    ("diez para las once", T(10, 50)),
    ("un cuarto para las tres de la tarde", T(14, 45)),
    ("cinco para el mediodía", T(11, 55)),
])
def test_latin_american_minutes_para_las_hour_are_before_that_hour(text, expected):
    assert read(text, "es") == (None, expected)


def test_people_before_para_las_are_not_minutes():
    assert read("una mesa para 4 para las 9", "es") == (None, T(9, 0))
    assert read("diez para las once", "es") == (None, T(10, 50))


@pytest.mark.parametrize("text, expected", [
    ("kal call kiya tha", D(2027, 3, 9)),
    ("मैं कल आया था", D(2027, 3, 9)),
    ("kal shaam ko payment kiya", D(2027, 3, 9)),
    ("parso aaye the", D(2027, 3, 8)),
])
def test_kal_and_parso_with_a_past_verb_are_past_days(text, expected):
    assert read(text, "hi", KOLKATA_WED)[0] == expected


def test_kal_with_a_future_verb_or_no_verb_stays_tomorrow():
    assert read("kal aaunga", "hi", KOLKATA_WED)[0] == D(2027, 3, 11)
    assert read("kal ke liye slot", "hi", KOLKATA_WED)[0] == D(2027, 3, 11)
    assert read("parso gaya tha", "hi", KOLKATA_WED)[0] == D(2027, 3, 8)


def test_kal_with_a_past_verb_in_a_condition_is_not_read():
    assert read("kal aaya to milenge", "hi", KOLKATA_WED) == (None, None)


def test_a_zone_named_before_the_clock_is_converted():
    # 2 pm in London (UTC+0 in March) is 19:30 in India
    assert read("लंदन समय दोपहर 2 बजे", "hi", KOLKATA_WED) == (None, T(19, 30))
    assert read("london time 3pm", "hi", KOLKATA_WED) == (None, T(20, 30))


@pytest.mark.parametrize("text, language", [
    ("4 baje mere time se", "hi"), ("हमारे समय से 4 बजे", "hi"), ("10am us time", "en"), ("9am canada time", "en"),
])
def test_my_time_or_a_country_of_several_zones_gives_no_reading(text, language):
    assert read(text, language, KOLKATA_WED if language == "hi" else WED) == (None, None)


def test_vinte_e_cinco_as_dez_is_the_25th_at_ten_not_20_05():
    assert read("vinte e cinco às dez", "pt") == (D(2027, 3, 25), T(10, 0))
    assert read("às vinte e cinco", "pt")[1] is None  # the number 25, not a clock time
    assert read("às vinte horas e cinco", "pt") == (None, T(20, 5))


@pytest.mark.parametrize("text, language, expected", [
    ("no dia dezesseis", "pt", D(2027, 3, 16)),
    ("el día veintidós a las 10", "es", D(2027, 3, 22)),
])
def test_a_day_of_the_month_in_words_after_dia_is_read(text, language, expected):
    assert read(text, language)[0] == expected


@pytest.mark.parametrize("text, language", [
    ("from 3 to 4", "en"), ("das duas às três", "pt"), ("das 14h às 15h", "pt"),
])
def test_from_one_hour_to_another_is_a_range_not_the_first_hour(text, language):
    assert read(text, language)[1] is None


@pytest.mark.parametrize("text, language, expected", [
    ("at 1015", "en", T(10, 15)), ("um 1545", "de", T(15, 45)), ("a las 1145", "es", T(11, 45)),
])
def test_three_or_four_digits_after_a_clock_preposition_are_a_time(text, language, expected):
    assert read(text, language) == (None, expected)


def test_hj_is_today_in_portuguese():
    assert read("hj as 15h", "pt") == (D(2027, 3, 10), T(15, 0))


def test_daqui_without_a_is_an_offset():
    assert read("daqui 3 semanas", "pt")[0] == D(2027, 3, 31)
    assert read("daqui 20 min", "pt") == (D(2027, 3, 10), T(10, 20))


def test_swiss_um_10i_is_ten_o_clock():
    assert read("am freitag um 10i", "de") == (D(2027, 3, 12), T(10, 0))


@pytest.mark.parametrize("text, language", [
    ("letzten monat", "de"), ("le mois dernier", "fr"), ("pichle mahine", "hi"), ("last year", "en"),
])
def test_last_month_or_year_is_a_past_date(text, language):
    date = read(text, language)[0]
    assert date is not None and date < WED.date()


@pytest.mark.parametrize("text, language", [
    ("3 to 4pm", "en"), ("at 10 to 4", "en"), ("शाम 4 से 5 बजे तक", "hi"), ("el lunes a las 10 o a las 11", "es"),
])
def test_two_hours_joined_by_to_or_offered_as_alternatives_are_not_read(text, language):
    assert read(text, language)[1] is None


@pytest.mark.parametrize("text, language", [("el 31 de febrero", "es"), ("le 31 avril", "fr"), ("no dia 31 de abril", "pt")])
def test_a_day_that_does_not_exist_is_not_read_as_another_day(text, language):
    assert read(text, language)[0] is None


def test_eastern_time_abbreviation_et_is_converted():
    assert read("3pm ET", "en") == (None, T(20, 0))


@pytest.mark.parametrize("text, language, expected", [
    ("in 2 and a half hours", "en", (D(2027, 3, 10), T(12, 30))),
    ("in anderthalb std", "de", (D(2027, 3, 10), T(11, 30))),
    ("quinze pras duas", "pt", (None, T(13, 45))),
])
def test_spoken_short_forms_of_durations_and_minutes_to_are_read(text, language, expected):
    assert read(text, language) == expected


# --- weeks ahead, noon and midnight with minutes, zones by city (issue 11, fifth session) -------------

@pytest.mark.parametrize(("text", "language", "date"), [
    ("monday after next", "en", D(2019, 3, 18)),  # Wednesday 6 March: Monday is the 11th, the one after the 18th
    ("the friday after next at 3pm", "en", D(2019, 3, 15)),
    ("tuesday in two weeks", "en", D(2019, 3, 26)),
    ("freitag in drei wochen", "de", D(2019, 3, 29)),
    ("jeudi dans deux semaines", "fr", D(2019, 3, 21)),
    ("el jueves en dos semanas", "es", D(2019, 3, 21)),
    ("quinta daqui a duas semanas", "pt", D(2019, 3, 21)),
    ("d'ici 3 semaines", "fr", D(2019, 3, 27)),
])
def test_a_weekday_weeks_ahead_is_that_weekday_of_the_week_so_many_weeks_on(text, language, date):
    assert resolve(text, WEDNESDAY, language=language).date == date


@pytest.mark.parametrize(("text", "language", "clock"), [
    ("à midi moins le quart", "fr", dt.time(11, 45)), ("midi moins dix", "fr", dt.time(11, 50)),
    ("minuit moins le quart", "fr", dt.time(23, 45)), ("half past noon", "en", dt.time(12, 30)),
    ("quarter past midnight", "en", dt.time(0, 15)), ("ten to midnight", "en", dt.time(23, 50)),
])
def test_minutes_before_or_after_noon_and_midnight_count_from_them(text, language, clock):
    assert resolve(text, WEDNESDAY, language=language).time == clock


def test_a_zone_abbreviation_written_lower_case_is_read_unless_it_is_a_word_of_the_language():
    # Madrid is UTC+1 in March 2019, New York UTC-5.
    assert resolve("um 9 uhr est", WEDNESDAY, language="de").time == dt.time(15, 0)
    assert resolve("um 9 ist gut", WEDNESDAY, language="de").time == dt.time(9, 0)
    assert resolve("il est 9h", WEDNESDAY, language="fr").time == dt.time(9, 0)


@pytest.mark.parametrize(("text", "language", "clock"), [
    ("as 9h horario de manaus", "pt", dt.time(14, 0)),  # Manaus UTC-4
    ("10am rome time", "en", dt.time(10, 0)),
    ("10am dubai time", "en", dt.time(7, 0)),
])
def test_a_city_the_time_zone_database_names_is_a_zone(text, language, clock):
    assert resolve(text, WEDNESDAY, language=language).time == clock


def test_christmas_time_is_no_time_zone():
    assert resolve("3pm christmas time", WEDNESDAY, language="en").time == dt.time(15, 0)


@pytest.mark.parametrize(("text", "language"), [("15-16 de marzo", "es"), ("22.-24.03.", "de"), ("5-6 april", "en"),
                                                ("del 5 al 8 de abril", "es")])
def test_a_range_of_days_is_no_one_day_and_no_clock_time(text, language):
    assert read(text, language) == (None, None)


@pytest.mark.parametrize(("text", "language", "date"), [
    ("3 semaines à partir d'aujourd'hui", "fr", D(2019, 3, 27)), ("14 tage ab heute", "de", D(2019, 3, 20)),
    ("de aqui a 3 semanas", "es", D(2019, 3, 27)), ("vendredi en 8", "fr", D(2019, 3, 15)),
    ("agle se agle somvar", "hi", D(2019, 3, 18)), ("2nd fri in april", "en", D(2019, 4, 12)),
    ("2e mardi du mois de mai", "fr", D(2019, 5, 14)), ("el segundo lunes del mes de abril", "es", D(2019, 4, 8)),
])
def test_days_counted_from_today_or_in_a_named_month_in_everyday_forms(text, language, date):
    assert resolve(text, WEDNESDAY, language=language).date == date


def test_a_weekday_before_last_is_past():
    assert resolve("fui atendida segunda retrasada", WEDNESDAY, language="pt").date < WEDNESDAY.date()


def test_a_pacific_view_is_no_zone():
    assert read("3pm pacific ocean view", "en")[1] == T(15, 0)


def test_the_half_hour_before_noon_in_the_afternoon_words_stays_before_noon():
    assert resolve("paune 12 baje dopahar", WEDNESDAY, language="hi").time == T(11, 45)
    assert resolve("quarter to twelve at night", WEDNESDAY, language="en").time == T(23, 45)


def test_a_duration_counted_from_here_is_no_clock_time():
    assert resolve("de aqui a 3 horas y media", WEDNESDAY, language="es").time == T(12, 30)


@pytest.mark.parametrize(("text", "language"), [("mon or tue whichever", "en"), ("tue or wed at 5", "en"),
                                                ("jue o vie por la tarde", "es")])
def test_two_abbreviated_weekdays_offered_are_no_one_day(text, language):
    assert read(text, language)[0] is None


@pytest.mark.parametrize(("text", "language", "date"), [
    ("dienstag übernächste woche um 14 uhr", "de", D(2019, 3, 19)), ("übernächste woche dienstag", "de", D(2019, 3, 19)),
    ("agle se agle hafte tuesday", "hi", D(2019, 3, 19)), ("tuesday the week after next", "en", D(2019, 3, 19)),
    ("sabado da semana q vem de manha", "pt", D(2019, 3, 16)),
])
def test_a_weekday_named_with_its_week_before_or_after_it_is_that_week_s_day(text, language, date):
    assert resolve(text, WEDNESDAY, language=language).date == date


@pytest.mark.parametrize(("text", "language"), [
    ("semana passada na terça eu fui atendida", "pt"), ("terça da semana passada", "pt"), ("tuesday last week", "en"),
    ("last week on tuesday", "en"), ("letzte woche dienstag war ich da", "de"), ("hatte vorletzte woche nen termin", "de"),
])
def test_a_weekday_of_last_week_is_a_day_of_last_week(text, language):
    date = resolve(text, WEDNESDAY, language=language).date
    assert date is not None and date < WEDNESDAY.date() - dt.timedelta(days=WEDNESDAY.weekday())


@pytest.mark.parametrize(("text", "language"), [
    ("free 15-17th?", "en"), ("between the 15th and 17th", "en"), ("entre 22 e 24/03", "pt"),
    ("15 से 17 तारीख के बीच", "hi"), ("15 se 17 tarikh ke beech", "hi"), ("zwischen dem 3. und 5. april", "de"),
    ("entre el 3 y el 5 de abril", "es"),
])
def test_a_range_of_days_between_two_numbers_is_no_one_day_and_no_clock_time(text, language):
    assert read(text, language) == (None, None)


@pytest.mark.parametrize(("text", "language", "clock"), [
    ("in ner halben stunde", "de", T(9, 30)), ("d'ici 40 minutes", "fr", T(9, 40)), ("dhai ghante baad", "hi", T(11, 30)),
])
def test_colloquial_durations_count_from_now(text, language, clock):
    assert resolve(text, WEDNESDAY, language=language).time == clock


def test_d_aqui_a_counts_weeks_from_today():
    assert resolve("d aqui a tres semanas", WEDNESDAY, language="es").date == D(2019, 3, 27)


@pytest.mark.parametrize(("text", "language", "zone"), [
    ("a las 4 de la tarde hora canaria", "es", "Atlantic/Canary"), ("13h pelo fuso do amazonas", "pt", "America/Manaus"),
])
def test_a_zone_named_by_its_adjective_or_by_fuso_is_converted(text, language, zone):
    got = resolve(text, WEDNESDAY, language=language).time
    clock = T(16, 0) if language == "es" else T(13, 0)
    day = WEDNESDAY.date()
    expected = dt.datetime.combine(day, clock, ZoneInfo(zone)).astimezone(TZ).time()
    assert expected != clock and got == expected


def test_a_german_ordinal_written_with_a_dot_counts_weekdays_of_the_month():
    assert resolve("1. freitag im april geht?", WEDNESDAY, language="de").date == D(2019, 4, 5)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("mon @ 4pm", "en", (D(2019, 3, 11), T(16, 0))), ("शनि 12 बजे", "hi", (D(2019, 3, 9), T(12, 0))),
    ("सोम 4 बजे", "hi", (D(2019, 3, 11), T(16, 0))), ("3h et demie cet aprem", "fr", (D(2019, 3, 6), T(15, 30))),
])
def test_abbreviated_days_before_a_clock_time_and_this_afternoon_in_slang_are_read(text, language, expected):
    assert read(text, language, now=WEDNESDAY) == expected


def test_an_abbreviated_hindi_weekday_that_is_also_a_word_needs_a_clock_or_ko():
    assert read("मंगल ग्रह", "hi") == (None, None)


@pytest.mark.parametrize(("text", "language", "clock"), [
    ("as 6 menos um quarto", "pt", T(17, 45)), ("às seis menos um quarto", "pt", T(17, 45)),
    ("barah baj ke paanch minute", "hi", T(12, 5)),
])
def test_minutes_said_around_the_hour_in_portuguese_and_hindi(text, language, clock):
    assert resolve(text, WEDNESDAY, language=language).time == clock


@pytest.mark.parametrize(("text", "language", "clock"), [
    ("d'ici 1h30 je suis là", "fr", T(10, 30)), ("in 1h15", "en", T(10, 15)), ("dentro de 2 horitas paso", "es", T(11, 0)),
])
def test_a_duration_in_hours_and_minutes_or_in_diminutives_counts_from_now(text, language, clock):
    assert resolve(text, WEDNESDAY, language=language).time == clock


def test_a_bare_us_zone_before_the_day_is_still_the_zone():
    got = resolve("11am eastern on friday pls", WEDNESDAY, language="en")
    expected = dt.datetime.combine(D(2019, 3, 8), T(11, 0), ZoneInfo("America/New_York")).astimezone(TZ)
    assert (got.date, got.time) == (expected.date(), expected.time())


# --- read off the fifth held-out set's failures (2026-12-07); each fails on the parser before that change ------------


@pytest.mark.parametrize(("text", "language"), [
    ("sometime next week in the afternoon, im flexible", "en"), ("irgendwann nächste woche wäre gut", "de"),
    ("fim de semana q vem, tanto faz", "pt"), ("अगले हफ्ते किसी दिन आऊँगा", "hi"), ("weekend pe kabhi", "hi"),
    ("either sat morning or sun, whatevs", "en"),
])
def test_a_week_or_weekend_said_with_any_day_will_do_names_no_day(text, language):
    assert resolve(text, WEDNESDAY, language=language).date is None


def test_a_week_said_vaguely_keeps_its_words_so_the_day_is_asked():
    got = resolve("sometime next week please", WEDNESDAY, language="en")
    assert got.date is None and got.date_text == "next week"


def test_a_weekday_with_its_day_of_the_month_is_that_date_and_a_mismatch_is_asked():
    assert resolve("el viernes quince a las nueve", WEDNESDAY, language="es").date == D(2019, 3, 15)
    assert resolve("friday the 15th at 9", WEDNESDAY, language="en").date == D(2019, 3, 15)
    assert resolve("friday the 16th at 9", WEDNESDAY, language="en").date is None
    # a number word that starts a clock time is no day: "sabado quinze pras 11" is Saturday at 10:45
    assert read("sabado quinze pras 11", "pt", now=WEDNESDAY) == (D(2019, 3, 9), T(10, 45))


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("el doce a las cuatro y diez", "es", (D(2019, 3, 12), T(16, 10))),
    ("am zwölften um halb elf", "de", (D(2019, 3, 12), T(10, 30))),
    ("le 5.11 a 16h30?", "fr", (D(2019, 11, 5), T(16, 30))),
    ("bike servicing ke liye 12.11 ko 5 baje", "hi", (D(2019, 11, 12), T(17, 0))),
    ("viertel nach 4 am di", "de", (D(2019, 3, 12), T(16, 15))),
    ("fr 12:30 passt?", "de", (D(2019, 3, 8), T(12, 30))),
])
def test_days_in_words_dotted_days_and_german_short_weekdays_are_read(text, language, expected):
    assert read(text, language, now=WEDNESDAY) == expected


def test_so_before_a_clock_time_stays_the_german_word_for_about():
    assert resolve("so 10 uhr passt", WEDNESDAY, language="de").date is None


@pytest.mark.parametrize(("text", "language", "minutes"), [
    ("im about 45 mins away", "en", 45), ("llego en unos 40 min", "es", 40), ("dentro de hora y media", "es", 90),
    ("chego daqui uns 20 minutinhos", "pt", 20), ("j'arrive dans 3/4 d'heure", "fr", 45),
    ("in three quarters of an hour", "en", 45), ("in einer dreiviertel stunde", "de", 45),
])
def test_colloquial_durations_count_from_now(text, language, minutes):
    got = resolve(text, WEDNESDAY, language=language)
    assert (got.date, got.time) == (WEDNESDAY.date(), (WEDNESDAY + dt.timedelta(minutes=minutes)).time())


def test_an_hour_without_a_duration_is_no_duration():
    assert resolve("en hora punta", WEDNESDAY, language="es").time is None


@pytest.mark.parametrize(("text", "language", "zone", "clock"), [
    ("im in new york this week, tutoring at 7am my time on monday?", "en", "America/New_York", T(7, 0)),
    ("estoy en nueva york, a las 9 de la mañana de aqui el viernes", "es", "America/New_York", T(9, 0)),
    ("moro em manaus, as 12h daqui na segunda", "pt", "America/Manaus", T(12, 0)),
    ("abhi toronto me hu, yaha ke subah 9 baje monday ko", "hi", "America/Toronto", T(9, 0)),
    ("amanha 10h horario de miami", "pt", "America/New_York", T(10, 0)),
    ("9 uhr ostküstenzeit am montag", "de", "America/New_York", T(9, 0)),
    ("friday 10am nz time pls", "en", "Pacific/Auckland", T(10, 0)),
    ("sexta as 9h hora dos açores", "pt", "Atlantic/Azores", T(9, 0)),
    ("friday 4pm NY time", "en", "America/New_York", T(16, 0)),
])
def test_my_time_after_saying_where_i_am_and_more_cities_convert_the_zone(text, language, zone, clock):
    got = resolve(text, WEDNESDAY, language=language)
    assert dt.datetime.combine(got.date, got.time, TZ).astimezone(ZoneInfo(zone)).time() == clock


def test_my_time_with_no_place_said_is_still_not_read():
    assert resolve("7am my time on monday", WEDNESDAY, language="en").time is None


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("mñn a las 5 para el tinte?", "es", (D(2019, 3, 7), T(17, 0))),
    ("pasado mñn a las 10", "es", (D(2019, 3, 8), T(10, 0))),
    ("amn as 9h da pra vir?", "pt", (D(2019, 3, 7), T(9, 0))),
    ("dmn 11h c'est bon?", "fr", (D(2019, 3, 7), T(11, 0))),
    ("3 wks from today for the follow up", "en", (D(2019, 3, 27), None)),
    ("tuesday in 2 wks?", "en", (D(2019, 3, 26), None)),  # as "tuesday in two weeks"
])
def test_chat_short_forms_of_tomorrow_and_weeks_are_read(text, language, expected):
    assert read(text, language, now=WEDNESDAY) == expected


@pytest.mark.parametrize(("text", "language", "day"), [
    ("satais tarikh ko aana hai", "hi", 27), ("chabbis tarikh ko slot hai?", "hi", 26),
    ("ikatis tarikh chalega", "hi", 31),
])
def test_romanised_hindi_days_in_everyday_spellings_are_read(text, language, day):
    assert resolve(text, WEDNESDAY, language=language).date == D(2019, 3, day)


def test_a_chat_form_of_tomorrow_is_read_in_its_own_language_only():
    # "dmn" is French chat for "demain", and English chat for "damn"
    assert resolve("dmn thats late. friday 5pm?", WEDNESDAY, language="en").date == D(2019, 3, 8)


def test_ny_is_new_york_in_hinglish_only_in_capitals():
    # lower case "ny" is also Hinglish chat for "nahi": no reading there, the assistant asks
    assert resolve("friday 4 baje ny time", WEDNESDAY, language="hi").time is None
    assert resolve("friday 4 baje NY time", WEDNESDAY, language="hi").time == T(22, 0)
    assert resolve("freitag um 9 uhr ny zeit", WEDNESDAY, language="de").time == T(15, 0)


def test_sa_time_is_south_african_in_capitals_and_sa_is_still_saturday_in_german():
    assert resolve("tmrw at 4pm SA time", WEDNESDAY, language="en").time == T(15, 0)
    assert resolve("tmrw at 4pm sa time", WEDNESDAY, language="en").time is None
    assert read("Sa 10 Uhr", "de", now=WEDNESDAY) == (D(2019, 3, 9), T(10, 0))


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("6ª às 17h pra buscar o vestido", "pt", (D(2019, 3, 8), T(17, 0))),
    ("dem 9h pour le velo?", "fr", (D(2019, 3, 7), T(9, 0))),
    ("di 10h hund waschen?", "de", (D(2019, 3, 12), T(10, 0))),
    ("le cours 14.03 a 10h ?", "fr", (D(2019, 3, 14), T(10, 0))),  # a day.month, as a clock time follows it
])
def test_portuguese_ordinal_days_french_dem_german_di_10h_and_a_dotted_day_before_a_clock(text, language, expected):
    assert read(text, language, now=WEDNESDAY) == expected


@pytest.mark.parametrize(("text", "language"), [("2-3 din me aata hu", "hi"), ("in 2 or 3 weeks", "en"),
                                                ("daqui a 2 ou 3 semanas", "pt")])
def test_a_range_of_counts_of_days_or_weeks_is_no_one_day(text, language):
    assert resolve(text, WEDNESDAY, language=language).date is None




def test_a_short_zone_name_is_no_place_the_customer_is_in():
    # "von Sa bis Mo" says days, not that the customer is in South Africa: "bei mir 10 Uhr" stays 10:00 here
    assert resolve("von sa bis mo, bei mir 10 uhr", WEDNESDAY, language="de").time == T(10, 0)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("fortnight from today pls", "en", (D(2019, 3, 20), None)),
    ("tomoz arvo at 3?", "en", (D(2019, 3, 7), T(15, 0))),
    ("this arvo at 4", "en", (D(2019, 3, 6), T(16, 0))),
    ("vie 10hs para corte?", "es", (D(2019, 3, 8), T(10, 0))),
    ("am zischtig um 10 uhr?", "de", (D(2019, 3, 12), T(10, 0))),
    ("morgn um 9 zum schneiden?", "de", (D(2019, 3, 7), T(9, 0))),
    ("away till sunday, saturday 2pm ok?", "en", (D(2019, 3, 9), T(14, 0))),  # the day one stays until is a bound
])
def test_slang_days_swiss_weekdays_hs_and_a_day_after_till(text, language, expected):
    assert read(text, language, now=WEDNESDAY) == expected


def test_last_night_is_past_and_french_fin_de_semaine_names_no_one_day():
    assert resolve("anoche deje la bici", WEDNESDAY, language="es").date == D(2019, 3, 5)
    got = resolve("la fin de semaine prochaine pour le chien", WEDNESDAY, language="fr")
    assert got.date is None and got.date_text


@pytest.mark.parametrize(("text", "zone"), [("jeudi 15h heure de bruxelles", "Europe/Brussels"),
                                            ("jeudi 9h heure du pacifique", "America/Los_Angeles")])
def test_french_names_of_brussels_and_the_pacific_are_zones(text, zone):
    got = resolve(text, WEDNESDAY, language="fr")
    assert dt.datetime.combine(got.date, got.time, TZ).astimezone(ZoneInfo(zone)).time() == \
        (T(15, 0) if "bruxelles" in text else T(9, 0))


# ------------------------------------------------------------------ spans of days, countries, abbreviations
@pytest.mark.parametrize(("text", "language"), [
    ("between tuesday and thursday whenever you have a gap", "en"),
    ("entre el martes y el jueves cuando tengas hueco", "es"),
    ("zwischen dienstag und donnerstag", "de"),
    ("from monday to wednesday", "en"),
    ("von montag bis mittwoch", "de"),
])
def test_a_span_of_two_days_names_no_one_day(text, language):
    assert resolve(text, WEDNESDAY, language=language).date is None


@pytest.mark.parametrize(("text", "language"), [
    ("can we move it from monday to wednesday", "en"),
    ("puedo cambiar la cita del lunes al miercoles", "es"),
    ("können wir von montag auf mittwoch verschieben", "de"),
    ("posso mudar de segunda para quarta?", "pt"),
])
def test_moving_a_booking_from_one_day_to_another_reads_the_second(text, language):
    assert resolve(text, WEDNESDAY, language=language).date == D(2019, 3, 13)  # the next Wednesday


def test_a_day_said_beside_a_span_of_days_is_still_read():
    got = resolve("from monday to friday we are away, can i book saturday 10am", WEDNESDAY, language="en")
    assert (got.date, got.time) == (D(2019, 3, 9), T(10, 0))


@pytest.mark.parametrize(("text", "language", "zone", "said"), [
    ("la clase puede ser el jueves a las 9 am hora venezuela?", "es", "America/Caracas", T(9, 0)),
    ("o contabilista pode ligar na quinta às 15h hora de angola?", "pt", "Africa/Luanda", T(15, 0)),
    ("thursday 3pm kenya time", "en", "Africa/Nairobi", T(15, 0)),
    ("online class thursday 7pm sg time", "en", "Asia/Singapore", T(19, 0)),
    ("thursday ko IST shaam 6 baje call kar sakte?", "hi", "Asia/Kolkata", T(18, 0)),
])
def test_a_country_of_one_clock_a_short_city_name_or_an_abbreviation_before_the_clock_is_converted(
        text, language, zone, said):
    got = resolve(text, WEDNESDAY, language=language)
    assert got.date == D(2019, 3, 7)
    assert dt.datetime.combine(got.date, got.time, TZ).astimezone(ZoneInfo(zone)).time() == said


def test_a_country_of_several_clocks_gives_no_time():
    assert resolve("jueves 15h hora de indonesia", WEDNESDAY, language="es").time is None


def test_zone_abbreviations_in_a_shouted_message_are_words():
    # "IST" is German "is" when the whole message is in capitals
    assert resolve("ES IST 9 UHR AM DONNERSTAG", WEDNESDAY, language="de").time == T(9, 0)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("शुक्र शाम 5 बजे पेट सिटर चाहिए", "hi", (D(2019, 3, 8), T(17, 0))),
    ("next to next week tuesday 6 baje shaam", "hi", (D(2019, 3, 19), T(18, 0))),
    ("posso levantar os oculos na sexta ao meio-dia e um quarto?", "pt", (D(2019, 3, 8), T(12, 15))),
])
def test_hindi_day_abbreviation_before_a_part_of_the_day_next_to_next_week_and_noon_and_a_quarter(
        text, language, expected):
    assert read(text, language, now=WEDNESDAY) == expected


def test_a_first_name_that_is_also_a_day_abbreviation_stays_a_name_before_a_part_of_the_day():
    assert resolve("ravi shaam 5 baje aayega", WEDNESDAY, language="hi").date is None


@pytest.mark.parametrize(("text", "language"), [("fim de semana que vem qualquer hora serve", "pt"),
                                                ("la semana que viene a cualquier hora", "es"),
                                                ("next week any time is fine", "en")])
def test_a_week_said_with_any_time_names_no_day(text, language):
    assert resolve(text, WEDNESDAY, language=language).date is None


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("thursday the week after next at 4", "en", (D(2019, 3, 21), T(16, 0))),
    ("the week after next, thursday arvo at 4", "en", (D(2019, 3, 21), T(16, 0))),
    ("donnerstag übernächste woche um 10", "de", (D(2019, 3, 21), T(10, 0))),
    ("thursday after next at 4", "en", (D(2019, 3, 14), T(16, 0))),  # the Thursday after the next one
    ("übernächsten donnerstag um 10", "de", (D(2019, 3, 14), T(10, 0))),
])
def test_a_weekday_of_the_week_after_next_is_in_that_week_not_the_one_after_the_next_occurrence(
        text, language, expected):
    # on a Wednesday, "thursday the week after next" read the Thursday after tomorrow's: a week early
    assert read(text, language, now=WEDNESDAY) == expected


@pytest.mark.parametrize(("text", "language"), [("dans quinze jours pour le massage", "fr"),
                                                ("daqui a quinze dias posso voltar?", "pt"),
                                                ("en quince dias vuelvo", "es")])
def test_fifteen_days_in_words_are_two_weeks(text, language):
    # "quinze jours" is the French, Portuguese and Spanish fortnight: it was read a day late
    assert resolve(text, WEDNESDAY, language=language).date == D(2019, 3, 20)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("dm1 10h pour le lavage complet?", "fr", (D(2019, 3, 7), T(10, 0))),
    ("can u squeeze me in tmoz at 11", "en", (D(2019, 3, 7), T(11, 0))),
    ("2nite 7.30 still ok?", "en", (D(2019, 3, 6), T(19, 30))),
])
def test_chat_forms_of_today_and_tomorrow_with_digits(text, language, expected):
    # "dm1 10h" read the 1 of "dm1" as a clock (13:10) and no day
    assert read(text, language, now=WEDNESDAY) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("next week saturday at 10 to drop the dog off, we fly out that arvo", "en", (D(2019, 3, 9), T(10, 0))),
    ("saturday at 10 in the afternoon", "en", (D(2019, 3, 2), T(10, 0))),
])
def test_no_afternoon_has_a_ten_o_clock(text, language, expected):
    # "at 10 ... that arvo" had been read as 22:00: the afternoon of something else moved the hour twelve on
    res = resolve(text, language=language)
    assert (res.date, res.time) == expected


def test_eight_in_the_afternoon_is_still_eight_in_the_evening():
    assert resolve("el sábado a las 8 de la tarde", language="es").time == T(20, 0)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("can ye fit me in at the tailors the morra at half 4", "en", (D(2019, 3, 2), T(16, 30))),
    ("je peux passer a soir a 7h pour une retouche?", "fr", (D(2019, 3, 1), T(19, 0))),
    ("à matin vers 10h", "fr", (D(2019, 3, 1), T(10, 0))),
    ("chan i morgen am 11i cho?", "de", (D(2019, 3, 2), T(11, 0))),
    ("um 3i am samstag", "de", (D(2019, 3, 2), T(15, 0))),
])
def test_scottish_tomorrow_quebec_tonight_and_swiss_hours_are_read(text, language, expected):
    # "the morra", "à soir", "am 11i" were left unread
    res = resolve(text, language=language)
    assert (res.date, res.time) == expected


@pytest.mark.parametrize(("text", "language"), [("last weekend i got my nails done", "en"),
                                                ("el fin de semana pasado me hicieron las uñas", "es"),
                                                ("no fim de semana passado", "pt"),
                                                ("le week-end dernier", "fr"),
                                                ("letztes Wochenende war ich da", "de")])
def test_the_weekend_gone_is_past(text, language):
    # "last weekend" had been read as the coming Saturday
    assert resolve(text, language=language).date == D(2019, 2, 23)


@pytest.mark.parametrize(("text", "language"), [("this weekend", "en"), ("el fin de semana", "es"),
                                                ("am Wochenende", "de")])
def test_the_coming_weekend_stays_its_saturday(text, language):
    assert resolve(text, language=language).date == D(2019, 3, 2)
