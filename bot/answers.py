"""The names and canonical values of a seeker's screening answers.

One definition shared by the screening rules, the parsers, the Rasa slots and the store, so a
name is never retyped as a string somewhere else.
"""
from __future__ import annotations

FIRST_NAME = "first_name"
ZIP_CODE = "zip_code"
SECTORS = "sectors"
AGE = "age"
BIRTH_YEAR = "birth_year"
SEX = "sex"
WORK_AUTHORIZED = "work_authorized"
EMPLOYMENT_STATUS = "employment_status"
LAYOFF_EMPLOYER = "layoff_employer"
# The WARN notice a worker's layoff is on: {"id": ..., "reason": "Plant Closure" | "Layoff" | ...} (the
# export's Reason values), from a campaign roster or the employer they named (bot/warn/).
WARN_NOTICE = "warn_notice"
LAYOFF_DATE = "layoff_date"
UI_STATUS = "ui_status"
IN_SCHOOL = "in_school"
EDUCATION = "education"
VETERAN = "veteran"
MILITARY_SPOUSE = "military_spouse"
PUBLIC_ASSISTANCE = "public_assistance"
SELECTIVE_SERVICE = "selective_service"
BARRIERS = "barriers"
# Asked of someone who never had a paid job: did they lose the income of a family member who
# supported them (divorce, death, disability, a spouse's job)? A yes is a displaced homemaker (WIOA 3(16)(A)).
FAMILY_SUPPORT_LOST = "family_support_lost"

# People in the family (the seeker counted) and the family's yearly income in dollars: asked together,
# only where low income can still change a result (bot/questions.py).
FAMILY_SIZE = "family_size"
FAMILY_INCOME = "family_income"

# Not an answer of its own: the one question (and its slot) that fills `veteran` and
# `military_spouse` together.
MILITARY = "military"

# Said "I don't know" or skipped: the question counts as answered, the value as unknown.
UNKNOWN = "unknown"

SECTOR_VALUES = ("healthcare", "hospitality", "transportation", "it", "construction", "clean_energy")
EMPLOYMENT_VALUES = (
    "working",
    "unemployed",
    "laid_off",
    "layoff_notice",
    "self_employed_lost_business",
    "never_worked",
    # Was supported by a family member's income and lost it (a displaced homemaker, WIOA 3(16)): read from the
    # seeker's own words, or a yes to FAMILY_SUPPORT_LOST after "never had a job" (the SMS list stays short).
    "lost_family_support",
)
UI_VALUES = ("receiving", "exhausted", "not_filed", UNKNOWN)
EDUCATION_VALUES = ("some_high_school", "ged", "diploma", "some_college", "degree")
PUBLIC_ASSISTANCE_VALUES = ("snap", "tanf", "ssi", "medicaid")
SELECTIVE_SERVICE_VALUES = ("registered", "not_registered", UNKNOWN)
SEX_VALUES = ("male", "female", "other")

BOOLEAN_ANSWERS = (WORK_AUTHORIZED, IN_SCHOOL, VETERAN, MILITARY_SPOUSE, FAMILY_SUPPORT_LOST)
LIST_ANSWERS = (SECTORS, PUBLIC_ASSISTANCE, BARRIERS)

ALL_ANSWERS = (
    FIRST_NAME,
    ZIP_CODE,
    SECTORS,
    AGE,
    BIRTH_YEAR,
    SEX,
    WORK_AUTHORIZED,
    EMPLOYMENT_STATUS,
    FAMILY_SUPPORT_LOST,
    LAYOFF_EMPLOYER,
    LAYOFF_DATE,
    WARN_NOTICE,
    UI_STATUS,
    IN_SCHOOL,
    EDUCATION,
    VETERAN,
    MILITARY_SPOUSE,
    PUBLIC_ASSISTANCE,
    SELECTIVE_SERVICE,
    BARRIERS,
    FAMILY_SIZE,
    FAMILY_INCOME,
)

# Barriers that Youth (20 CFR 681.210-681.220) and CEJA (14 Ill. Adm. Code 840.80) look at.
BARRIER_VALUES = (
    "homeless",
    "justice_involved",
    "foster_care",
    "pregnant_or_parenting",
    "disability",
    "english_learner",
    "basic_skills_deficient",
)
