from __future__ import annotations

import pytest

from bot.answers import SECTOR_VALUES
from bot.understanding.sectors import match_sectors, sectors_in, vocabulary
from bot.understanding.text import fold_phrase

SECTOR_MESSAGES = [
    # healthcare
    ("I want to be a CNA", ["healthcare"]),
    ("cna", ["healthcare"]),
    ("CNAs make good money", ["healthcare"]),
    ("healthcare", ["healthcare"]),
    ("helthcare", ["healthcare"]),
    ("health care jobs", ["healthcare"]),
    ("i was a caregiver for 5 years", ["healthcare"]),
    ("caregiving", ["healthcare"]),
    ("phlebotomy classes", ["healthcare"]),
    ("flebotomia", ["healthcare"]),
    ("medical assistant", ["healthcare"]),
    ("asistente medica", ["healthcare"]),
    ("quiero ser enfermera", ["healthcare"]),
    ("Enfermería", ["healthcare"]),
    ("enfermeria", ["healthcare"]),
    ("cuidadora de ancianos", ["healthcare"]),
    ("nurse", ["healthcare"]),
    ("nurses", ["healthcare"]),
    ("nursing assistant", ["healthcare"]),
    ("home health aide", ["healthcare"]),
    ("pharmacy tech", ["healthcare"]),
    ("trabajo en el area de la salud", ["healthcare"]),
    ("i wanna be an EMT", ["healthcare"]),
    ("hospital", ["healthcare"]),
    ("work in a hospital", ["healthcare"]),
    ("trabajar en una clinica", ["healthcare"]),
    ("warehouse or hospital", ["healthcare", "transportation"]),
    # hospitality
    ("hotel", ["hospitality"]),
    ("hoteles", ["hospitality"]),
    ("hospitaliti", ["hospitality"]),
    ("hospitality", ["hospitality"]),
    ("restaurant work", ["hospitality"]),
    ("restaurante", ["hospitality"]),
    ("line cook", ["hospitality"]),
    ("cocinero", ["hospitality"]),
    ("soy cocinera", ["hospitality"]),
    ("housekeeping", ["hospitality"]),
    ("limpieza de hoteles", ["hospitality"]),
    ("mesero", ["hospitality"]),
    ("mesera en un restaurant", ["hospitality"]),
    ("bartender", ["hospitality"]),
    ("bartendr", ["hospitality"]),
    ("dishwasher", ["hospitality"]),
    ("lavaplatos", ["hospitality"]),
    ("camarista", ["hospitality"]),
    # transportation
    ("forklift", ["transportation"]),
    ("forklif", ["transportation"]),
    ("CDL", ["transportation"]),
    ("i have my cdl class a", ["transportation"]),
    ("truck driver", ["transportation"]),
    ("warehouse", ["transportation"]),
    ("warehose", ["transportation"]),
    ("almacen", ["transportation"]),
    ("almacén", ["transportation"]),
    ("almasen", ["transportation"]),
    ("montacargas", ["transportation"]),
    ("trailero", ["transportation"]),
    ("chofer", ["transportation"]),
    ("delivery driver", ["transportation"]),
    ("logistics", ["transportation"]),
    ("logistica", ["transportation"]),
    ("bodega", ["transportation"]),
    ("repartidor", ["transportation"]),
    ("quiero manejar trocas", ["transportation"]),
    ("soy trokero", ["transportation"]),
    ("i wanna drive trucks", ["transportation"]),
    # it
    ("IT", ["it"]),
    ("it", ["it"]),
    ("I work in IT", ["it"]),
    ("i want an it job", ["it"]),
    ("it support", ["it"]),
    ("coding", ["it"]),
    ("computers", ["it"]),
    ("help desk", ["it"]),
    ("helpdesk", ["it"]),
    ("programador", ["it"]),
    ("tecnologia", ["it"]),
    ("tecnología", ["it"]),
    ("cybersecurity", ["it"]),
    ("ciberseguridad", ["it"]),
    ("quiero trabajo de TI", ["it"]),
    ("soporte tecnico", ["it"]),
    ("software developer", ["it"]),
    # construction
    ("construction", ["construction"]),
    ("contruction", ["construction"]),
    ("construccion", ["construction"]),
    ("contruccion", ["construction"]),
    ("carpenter", ["construction"]),
    ("electrician", ["construction"]),
    ("electricista", ["construction"]),
    ("electrisista", ["construction"]),
    ("plumber", ["construction"]),
    ("plomero", ["construction"]),
    ("welder", ["construction"]),
    ("soldador", ["construction"]),
    ("laborer", ["construction"]),
    ("albañil", ["construction"]),
    ("albanil", ["construction"]),
    ("union apprenticeship", ["construction"]),
    ("apprentiseship", ["construction"]),
    ("the trades", ["construction"]),
    ("drywall", ["construction"]),
    # clean energy
    ("solar", ["clean_energy"]),
    ("solar panels", ["clean_energy"]),
    ("paneles solares", ["clean_energy"]),
    ("HVAC", ["clean_energy"]),
    ("hvac", ["clean_energy"]),
    ("weatherization", ["clean_energy"]),
    ("weatherisation", ["clean_energy"]),
    ("EV charger install", ["clean_energy"]),
    ("energia limpia", ["clean_energy"]),
    ("energía limpia", ["clean_energy"]),
    ("green jobs", ["clean_energy"]),
    ("renewable energy", ["clean_energy"]),
    ("solar electrician", ["clean_energy"]),
    # several, Spanglish
    ("healthcare or IT", ["healthcare", "it"]),
    ("cna o cocinera", ["healthcare", "hospitality"]),
    ("forklift, warehouse, or construction", ["transportation", "construction"]),
    ("busco trabajo en construction o solar", ["construction", "clean_energy"]),
    ("me gusta la cocina y los hoteles", ["hospitality"]),
    ("i like computers and hvac", ["it", "clean_energy"]),
    ("trabajo de chofer o en almacen", ["transportation"]),
]


@pytest.mark.parametrize("text, expected", SECTOR_MESSAGES)
def test_sectors_in_finds_the_sector(text: str, expected: list[str]) -> None:
    assert sectors_in(text) == expected


ORDINARY_SENTENCES = [
    "I need it",
    "can you send it to me",
    "I don't get it",
    "it is what it is",
    "is it free?",
    "I have a drivers license",
    "I have a driver's license",
    "tengo licencia de manejo",
    "send me the link",
    "I lost my purse",
    "my zip code is 60623",
    "mi codigo postal es 60629",
    "I have a medical card",
    "tengo seguro medico",
    "I get food stamps",
    "I don't care",
    "I have no energy today",
    "my mom is in the hospital",
    "I was in the hospital last week so I missed your text",
    "la clinica me dio una carta",
    "I don't have a computer",
    "no tengo computadora",
    "hi how are you",
    "hola buenos dias",
    "yes",
    "no gracias",
    "esto es para ti",
    "I need a job rn",
    "thank you so much",
    "what time is the event",
    "where is the office",
    "can I bring my kids",
    "I live in Cicero",
    "is this free",
    "mi hijo esta enfermo",
    "ok see you tomorrow",
    "no tengo carro",
    "my phone is about to die",
    "saludos",
    "stop",
    "who is this",
    "what do I need to bring",
    "I will be there at 9",
    "I am 24 years old",
    "tengo 30 años",
    "I was laid off last month",
    "I live with my mother",
    "can you call me",
    "thanks for the info",
    # Everyday words a letter or two from a synonym, found in persona conversations.
    "hola buenas tardes",
    "im coming tomorrow",
    "what is the code",
    "quiero aprender ingles",
    "I need water",
    "stopping by later",
    "can I skip this, skipping",
    "my sister's wedding",
    "estoy sola con mis hijos",
    "my printer is broken",
    "vivo en un trailer",
    "tengo una camioneta",
    "firme un contrato",
    "hay una sesion informativa?",
    "I get medical assistance",
    "cuidando a mis hijos",
    "vamos a comer",
    "I live in Cook County",
    "vivo en el condado de Cook",
    "I dont have transportation",
    "no tengo transporte",
]


@pytest.mark.parametrize("text", ORDINARY_SENTENCES)
def test_ordinary_sentences_match_no_sector(text: str) -> None:
    assert match_sectors(text) == []


def test_match_reports_the_seekers_own_words() -> None:
    [match] = match_sectors("Quiero trabajar de Enfermería en Chicago")
    assert match.sector == "healthcare"
    assert match.text == "Enfermería"
    assert match.synonym == "enfermeria"
    assert "Quiero trabajar de Enfermería en Chicago"[match.start : match.end] == "Enfermería"


def test_longest_synonym_wins() -> None:
    [match] = match_sectors("pharmacy tech")
    assert (match.sector, match.synonym) == ("healthcare", "pharmacy tech")


def test_matches_come_in_text_order() -> None:
    matches = match_sectors("solar, then nursing, then forklift")
    assert [m.sector for m in matches] == ["clean_energy", "healthcare", "transportation"]


@pytest.mark.parametrize("word", ["cna", "cdl", "emt", "lpn", "it", "cta"])
def test_short_words_need_an_exact_whole_word(word: str) -> None:
    assert sectors_in(f"i want {word[:-1]}x jobs") == []
    assert sectors_in(f"i want {word}x jobs") == []


def test_every_sector_has_25_synonyms_and_names_in_both_languages() -> None:
    vocab = vocabulary()
    assert [s.id for s in vocab.sectors] == list(SECTOR_VALUES)
    for sector in vocab.sectors:
        assert sector.name_en and sector.name_es
        count = sum(1 for synonym in vocab.synonyms if synonym.sector == sector.id)
        assert count >= 25, sector.id


def test_ordinary_words_are_not_synonyms() -> None:
    vocab = vocabulary()
    single_words = {s.words[0] for s in vocab.synonyms if len(s.words) == 1}
    assert not (vocab.ordinary_words & single_words)


def test_data_file_cites_a_source() -> None:
    import yaml

    from bot.understanding.sectors import SECTORS_FILE

    assert "O*NET" in yaml.safe_load(SECTORS_FILE.read_text(encoding="utf-8"))["source"]


def test_vocabulary_is_loaded_once() -> None:
    assert vocabulary() is vocabulary()


@pytest.mark.parametrize("synonym", ["paneles solares", "ayudante de cocina", "operador de montacargas"])
def test_synonyms_match_with_accents_and_case(synonym: str) -> None:
    assert sectors_in(synonym.upper()) == sectors_in(fold_phrase(synonym)) != []
