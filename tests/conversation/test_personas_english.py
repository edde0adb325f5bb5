"""Realistic English intakes, one seeker each, through the running servers and checked in the database.

The seekers text the way people do on a cheap phone: lower case, misspelled, out of order, several
answers in one message, "idk" and "nah". Each test asserts on what the bot says and on what it
stored: the answers, the program determinations and the screening status.
"""
from __future__ import annotations


def _programs(screening) -> dict[str, str]:
    return {name: outcome["determination"] for name, outcome in screening.results["programs"].items()}


def test_seventeen_year_old_dropout_is_a_youth_fit(chat, assistant):
    chat.say("hey")
    chat.say("Jaylen")
    chat.say("60619")
    assert "How old" in chat.say("forklift or warehouse")
    assert "allowed to work" in chat.say("17")
    assert "fits you best" in chat.say("yea")
    assert "for credit now" in chat.say("nah never had a job")  # schooling and in school, together
    assert "highest school" in chat.say("no i dropped out")  # the in-school half; the schooling alone next
    assert "military" in chat.say("10th grade")
    assert "get any of these" in chat.say("no")
    assert "Do any of these apply" in chat.say("none")
    summary = chat.say("i have a baby")

    assert "Thanks, Jaylen!" in summary
    assert "WIOA Youth: likely a fit" in summary
    assert "did not finish high school" in summary
    assert "Selective Service" not in summary  # under 18: never asked
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["age"] == 17
    assert screening.answers["in_school"] is False
    assert screening.answers["education"] == "some_high_school"
    assert screening.answers["employment_status"] == "never_worked"
    assert screening.answers["barriers"] == ["pregnant_or_parenting"]
    assert "selective_service" not in screening.answers
    programs = _programs(screening)
    assert programs["wioa_youth"] == "likely"
    assert programs["wioa_adult"] == "unlikely"


def test_twenty_three_year_old_in_college_goes_to_adult_not_youth(chat, assistant):
    chat.say("hi i need a job")
    chat.say("Destiny")
    chat.say("60637")
    assert "How old" in chat.say("im into coding and computers")
    chat.say("23")
    chat.say("yes")
    assert "for credit now" in chat.say("im working part time at target")
    # "in college" answers both school questions: the education question is skipped.
    assert "military" in chat.say("yes im in college")
    assert "get any of these" in chat.say("no")
    assert "Do any of these apply" in chat.say("medicaid")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("i'm a woman")

    assert "WIOA Adult" in summary and "likely a fit" in summary
    assert "WIOA Youth" not in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["sectors"] == ["it"]
    assert screening.answers["in_school"] is True
    assert screening.answers["education"] == "some_college"
    assert screening.answers["sex"] == "female"
    programs = _programs(screening)
    assert programs["wioa_adult"] == "likely"
    assert programs["wioa_youth"] == "unlikely"


def test_veteran_born_before_1960_gets_priority_and_no_selective_service_question(chat, assistant):
    first = chat.say("Hello, I'm a veteran looking for work")
    assert "first name" in first
    chat.say("Robert")
    chat.say("60411")
    chat.say("CDL truck driving")
    # Two-digit birth year: 1958, before the 1960 cutoff.
    assert "allowed to work" in chat.say("i was born in 58")
    chat.say("yes")
    assert "Unemployment benefits" in chat.say("unemployed")
    # Past Youth age: not asked about school.
    assert "highest school" in chat.say("no")
    # Military was in the first message, so it is not asked.
    assert "get any of these" in chat.say("I have a diploma")
    summary = chat.say("snap")

    assert "Selective Service" not in summary
    assert "WIOA Adult (priority group 1): likely a fit" in summary
    # A veteran out of work may be a separated service member (20 CFR 680.660): staff check.
    assert "WIOA Dislocated Worker: maybe" in summary
    assert "DD-214" in summary
    assert "south suburban Cook" in summary
    assert "Did you serve" not in "\n".join(text for _, text in chat.transcript)
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["birth_year"] == 1958
    assert screening.answers["veteran"] is True
    assert "selective_service" not in screening.answers
    assert screening.results["programs"]["wioa_adult"]["priority_group"] == 1
    assert _programs(screening)["wioa_adult"] == "likely"


def test_man_of_27_not_registered_is_sent_to_staff_not_refused(chat, assistant):
    chat.say("hello")
    chat.say("Marcus")
    chat.say("60644")
    chat.say("construction")
    chat.say("27")
    chat.say("yeah")
    assert "company" in chat.say("laid off")
    assert "last day" in chat.say("idk")
    assert "Unemployment benefits" in chat.say("idk")
    assert "highest school" in chat.say("nah")  # 27: past Youth age, school is not asked
    chat.say("high school")
    chat.say("none")
    assert "Do any of these apply" in chat.say("no")  # no aid: barriers can settle the priority group
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("no i didnt register")

    assert "not eligible" not in summary.lower()
    assert "Staff will review this with you" in summary
    assert "A staff member will check" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["selective_service"] == "not_registered"
    assert screening.answers["layoff_employer"] == "unknown"
    assert screening.answers["layoff_date"] == "unknown"
    programs = _programs(screening)
    assert programs["wioa_adult"] == "possible"
    assert programs["wioa_dislocated_worker"] == "possible"
    assert "selective_service_check" in screening.results["needs_staff_review"] or any(
        "selective_service" in item for item in screening.results["needs_staff_review"]
    )


def test_woman_is_never_asked_about_selective_service(chat, assistant):
    chat.say("hi")
    chat.say("Keisha")
    chat.say("60649")
    assert "How old" in chat.say("helthcare, like CNA")
    chat.say("31, and I'm a woman")
    chat.say("yes")
    assert "highest school" in chat.say("i work part time at walgreens")
    chat.say("GED")
    chat.say("no")
    # SNAP settles her priority group (2): the barriers question could change nothing, so it is not asked.
    summary = chat.say("medicaid and snap")

    transcript = "\n".join(text for _, text in chat.transcript)
    assert "Selective Service" not in transcript
    assert "WIOA Adult (priority group 2): likely a fit" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["sex"] == "female"
    assert screening.answers["sectors"] == ["healthcare"]
    assert screening.answers["public_assistance"] == ["snap", "medicaid"]
    assert "selective_service" not in screening.answers
    assert _programs(screening)["wioa_adult"] == "likely"


def test_dupage_zip_gets_the_dupage_referral_and_where_are_you_answers_for_it(chat, assistant):
    chat.say("hi")
    chat.say("Karen")
    chat.say("60187")
    reply = chat.say("where are you?")
    assert "For ZIP 60187" in reply and "DuPage" in reply
    assert "kind of work" in reply  # the pending question comes back
    chat.say("healthcare")
    chat.say("45")
    chat.say("yes")
    chat.say("i have a job")
    assert "military" in chat.say("degree")
    chat.say("no")
    assert "Do any of these apply" in chat.say("no")
    assert "How many in your family" in chat.say("none")
    chat.say("2, 90000")
    summary = chat.say("yes")

    assert "Next step: DuPage County" in summary
    assert "City of Chicago" not in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["zip_code"] == "60187"
    assert screening.answers["education"] == "degree"
    assert screening.results["referral"]["outside"]["name"].startswith("DuPage County")
    assert screening.results["referral"]["center"] is None


def test_worker_with_a_layoff_notice_for_next_month(chat, assistant):
    first = chat.say("I got a layoff notice, my last day is next month")
    assert "first name" in first
    chat.say("Tom")
    chat.say("60623")
    chat.say("warehouse")
    chat.say("44")
    # The notice and its date came in the first message: only the company is asked.
    assert "company" in chat.say("yes")
    assert "Unemployment benefits" in chat.say("Sears")
    assert "highest school" in chat.say("not yet")
    chat.say("high school diploma")
    chat.say("none")
    assert "Do any of these apply" in chat.say("none")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("yes")

    assert "WIOA Dislocated Worker" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["employment_status"] == "layoff_notice"
    assert screening.answers["layoff_date"] == "2026-12-25"  # a month after the pinned test day
    assert screening.answers["layoff_employer"] == "Sears"
    assert screening.answers["ui_status"] == "not_filed"
    assert _programs(screening)["wioa_dislocated_worker"] in ("likely", "possible")


def test_everything_in_one_long_message(chat, assistant):
    first = chat.say(
        "Hi my name is Tanya Brooks, I'm 34, zip 60628, I got laid off from Amazon 2 weeks ago and I get "
        "unemployment. I want to do CNA or phlebotomy. I have my GED and I get SNAP and medicaid. "
        "Not a veteran. I'm a woman"
    )
    assert "Msg & data rates may apply" in first
    # Name, ZIP, sectors, age, work situation, layoff, benefits, school, military: all taken.
    assert "allowed to work" in first
    assert "first name" not in first and "ZIP" not in first
    # 34, on SNAP, a woman: school, barriers and Selective Service could change nothing.
    summary = chat.say("yes")

    assert "Thanks, Tanya!" in summary
    assert "WIOA Dislocated Worker: likely a fit" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["first_name"] == "Tanya"
    assert answers["zip_code"] == "60628"
    assert answers["age"] == 34
    assert answers["sectors"] == ["healthcare"]
    assert answers["employment_status"] == "laid_off"
    assert answers["layoff_employer"] == "Amazon"
    assert answers["layoff_date"] == "2026-11-11"
    assert answers["ui_status"] == "receiving"
    assert answers["education"] == "ged"
    assert answers["public_assistance"] == ["snap", "medicaid"]
    assert answers["veteran"] is False
    assert answers["sex"] == "female"
    programs = _programs(screening)
    assert programs["wioa_dislocated_worker"] == "likely"
    assert programs["wioa_adult"] == "likely"


def test_corrects_zip_and_age_midway(chat, assistant):
    chat.say("hey")
    chat.say("Luis")
    chat.say("60629")
    chat.say("hotel")
    chat.say("22")
    assert "fits you best" in chat.say("yes")
    reply = chat.say("actually my zip is 60623")
    assert "changed that" in reply and "fits you best" in reply
    # "no," here corrects the age; it is not a reply to the pending question.
    reply = chat.say("no, I am 24")
    assert "changed that" in reply and "fits you best" in reply
    assert "for credit now" in chat.say("working")
    assert "highest school" in chat.say("no")  # answers the in-school half: the schooling is asked alone
    chat.say("diploma")
    chat.say("no")
    chat.say("no")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("yes")

    assert "WIOA Adult" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["zip_code"] == "60623"
    assert screening.answers["age"] == 24
    assert screening.answers["employment_status"] == "working"
    assert screening.answers["barriers"] == []
    assert screening.results["referral"]["zip_code"] == "60623"


def test_heavy_misspellings_are_understood(chat, assistant):
    chat.say("hii i need a jbo")
    chat.say("Jose")
    chat.say("60639")
    assert "How old" in chat.say("helthcare or forklif or contruccion")
    chat.say("im 26")
    assert "fits you best" in chat.say("yess")
    assert "Unemployment benefits" in chat.say("unemployd")
    assert "highest school" in chat.say("nop")
    assert "military" in chat.say("hig school")
    chat.say("nop")
    assert "Do any of these apply" in chat.say("no")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("ys")

    assert "Healthcare" in summary and "Construction" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["sectors"] == ["healthcare", "transportation", "construction"]
    assert screening.answers["employment_status"] == "unemployed"
    assert screening.answers["education"] == "diploma"
    assert screening.answers["selective_service"] == "registered"


def test_idk_and_skip_on_many_questions_still_reaches_a_summary(chat, assistant):
    chat.say("hi")
    chat.say("Chris")
    chat.say("60617")
    assert "How old" in chat.say("idk")
    assert "allowed to work" in chat.say("skip")
    assert "fits you best" in chat.say("no se")
    assert "Unemployment benefits" in chat.say("idk")
    assert "for credit now" in chat.say("idk")
    # "not sure" to the pair leaves the schooling unknown; being in school is asked alone.
    assert "college classes for credit" in chat.say("not sure")
    assert "military" in chat.say("idk")
    assert "get any of these" in chat.say("idk")
    assert "Do any of these apply" in chat.say("skip")
    assert "Selective Service" in chat.say("skip")
    summary = chat.say("idk")

    assert "Thanks, Chris!" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    for key in ("sectors", "age", "work_authorized", "employment_status", "ui_status", "in_school",
                "education", "veteran", "public_assistance", "barriers", "selective_service"):
        assert screening.answers[key] == "unknown", key
    # Nothing is refused on unknown answers.
    assert "unlikely" not in {_programs(screening)["wioa_adult"]}


def test_laid_off_hotel_worker_keeps_the_healthcare_choice(chat, assistant):
    chat.say("hi")
    chat.say("Ashley")
    chat.say("60804")
    assert "How old" in chat.say("medical assistant or phlebotomy")
    chat.say("im 29")
    chat.say("yes")
    # The old job names a sector and a day for the visit: neither is read as an answer.
    reply = chat.say("I was laid off from the hotel, im coming tomorrow to the office")
    assert "company" in reply and "changed that" not in reply
    assert "last day" in chat.say("the Hilton downtown")
    assert "Unemployment benefits" in chat.say("last week")
    assert "highest school" in chat.say("they ran out")
    chat.say("some college")
    chat.say("no")
    assert "Do any of these apply" in chat.say("none")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("i'm a woman")

    assert "Interests: Healthcare." in summary
    assert "WIOA Dislocated Worker: likely a fit" in summary
    assert "west suburban Cook" in summary
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    answers = screening.answers
    assert answers["sectors"] == ["healthcare"]
    assert answers["layoff_employer"] == "Hilton downtown"
    assert answers["layoff_date"] == "2026-11-18"
    assert answers["ui_status"] == "exhausted"
    assert answers["sex"] == "female"
    assert "selective_service" not in answers
    assert _programs(screening)["wioa_dislocated_worker"] == "likely"


def test_zip_corrected_after_the_summary_to_will_county(chat, assistant):
    chat.say("hello")
    chat.say("Derek")
    chat.say("60804")
    chat.say("solar")
    chat.say("40")
    chat.say("yes")
    assert "highest school" in chat.say("working")
    chat.say("GED")
    assert "get any of these" in chat.say("no")
    # Clean energy keeps the barriers question open past 24 (CEJA looks at them).
    assert "Do any of these apply" in chat.say("no")
    assert "How many in your family" in chat.say("no")  # an adult whose priority group nothing settled yet
    assert "Selective Service" in chat.say("3, 48000")  # above the poverty guideline: still bounded
    summary = chat.say("yes")
    assert "west suburban Cook" in summary
    assert "Clean energy training (CEJA)" in summary

    reply = chat.say("actually my zip is 60432")
    assert "changed that" in reply
    assert "Next step: Will County area" in reply
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["zip_code"] == "60432"
    assert screening.answers["barriers"] == []
    assert screening.results["referral"]["outside"]["name"].startswith("Will County")
    assert screening.results["referral"]["center"] is None


def test_asking_what_a_question_means_gets_an_explanation_and_the_question_again(chat, assistant):
    chat.say("hi")
    chat.say("my name is Omar, zip 60620, im 30, cdl")
    chat.say("yes")
    chat.say("2")
    reply = chat.say("what is that?")  # about unemployment benefits
    assert "weekly payments from IDES" in reply
    assert "Unemployment benefits (IDES): do you get them?" in reply
    assert "highest school" in chat.say("3")
    chat.say("3")
    chat.say("3")
    reply = chat.say("whats snap?")
    assert "food help on a LINK card" in reply and "get any of these" in reply
    assert "Do any of these apply" in chat.say("none")
    assert "How many in your family" in chat.say("none")  # an adult whose priority group nothing settled yet
    reply = chat.say("3, 48000")
    assert "Selective Service" in reply
    reply = chat.say("what is selective service")
    assert "sss.gov" in reply
    assert "pick 4" in reply
    chat.say("1")
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.status == "complete"
    assert screening.answers["ui_status"] == "not_filed"
    assert screening.answers["selective_service"] == "registered"


def test_man_of_66_is_asked_his_birth_year_not_his_age_again(chat, assistant):
    # Men born on or after 1960-01-01 must register (50 U.S.C. 3802): at 66 he was born in 1959 or 1960.
    chat.say("hi")
    chat.say("Robert")
    chat.say("60617")
    assert "How old" in chat.say("construction")
    chat.say("66, and I'm a man")
    chat.say("yes")
    assert "Unemployment benefits" in chat.say("unemployed")
    assert "highest school" in chat.say("no")
    chat.say("high school")
    chat.say("no")
    assert "Do any of these apply" in chat.say("none")
    assert "How many in your family" in chat.say("none")
    assert "What year were you born" in chat.say("2, 70000")
    summary = chat.say("59")

    assert "Thanks, Robert!" in summary
    transcript = "\n".join(text for _, text in chat.transcript)
    assert "Selective Service?" not in transcript  # born 1959: never asked to register
    screening = assistant.store.latest_screening("rest", chat.sender)
    assert screening.answers["birth_year"] == 1959 and screening.answers["age"] == 66
    assert "selective_service" not in screening.answers
