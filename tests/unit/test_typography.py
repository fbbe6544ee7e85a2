"""Swedish typography for generated text (rus_analysis.report.typography)."""

from rus_analysis.report import typography

NBSP = "\u00a0"


def test_digit_groups_and_units_stay_on_one_line():
    assert typography.tidy("1 000 invånare") == f"1{NBSP}000{NBSP}invånare"
    assert typography.tidy("20–64 år") == f"20–64{NBSP}år"
    assert typography.tidy("22,0 procent") == f"22,0{NBSP}procent"
    assert typography.tidy("1 243 312 ton") == f"1{NBSP}243{NBSP}312{NBSP}ton"
    # Two years side by side are not one number.
    assert typography.tidy("1990 2000 2005") == "1990 2000 2005"
    assert typography.tidy("år 2024 och") == "år 2024 och"


def test_abbreviations_get_their_space():
    assert typography.label("Avfall (inkl.avlopp)") == "Avfall (inkl. avlopp)"
    assert typography.label("Produktanvändning (inkl. lösningsmedel)") == \
        "Produktanvändning (inkl. lösningsmedel)"
    assert typography.tidy("t.ex.BRP") == "t.ex. BRP"


def test_a_phrase_is_said_once():
    assert typography.join_phrase("Utsläpp av växthusgaser per sektor", "per sektor") == \
        "Utsläpp av växthusgaser per sektor"
    assert typography.join_phrase("Förvärvsarbetande bland utrikes födda efter vistelsetid",
                                  "efter vistelsetid i Sverige") == \
        "Förvärvsarbetande bland utrikes födda efter vistelsetid i Sverige"
    assert typography.join_phrase("Sysselsättningsgrad", "efter kön") == "Sysselsättningsgrad efter kön"
    assert typography.caption("Nystartade företag, antal", "antal", "2010–2021") == \
        "Nystartade företag, antal, 2010–2021"
    assert typography.caption("Andel", "procent", "2024") == "Andel, procent, 2024"


def test_repeated_phrases_are_found():
    for slip in ("per sektor per sektor", "efter vistelsetid efter vistelsetid", "antal, antal",
                 "Källa: MUCF, MUCF, statistik", "Skolverket, Skolverket"):
        assert typography.repeated_phrases(slip), slip
    for fine in ("Örebro län och Västmanlands län", "1 000 och 1 000", "per sektor, Örebro län"):
        assert not typography.repeated_phrases(fine), fine
