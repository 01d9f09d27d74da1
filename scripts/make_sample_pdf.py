"""Regenerate the sample PDF that ships with labourwatch (needs fpdf2, a test dependency)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

PARAGRAPHS = [
    "Overseas labour and the state budget: a briefing note",
    "Published 1 June 2020",  # the date a reader sees, and labourwatch reads (not the file's date)
    "Estimates of the number of North Koreans working abroad have ranged from 50,000 to "
    "200,000 over the past decade. A 2015 report by the UN special rapporteur Marzuki Darusman "
    "put the figure at more than 50,000, in at least 16 countries.",
    "According to the US State Department, the state earned more than $500 million a year "
    "from these workers before the sanctions of 2017. Workers were made to hand over 70 to 90 "
    "per cent of their wages as 'loyalty payments' to the state.",
    "Testimony gathered by the Database Center for North Korean Human Rights describes workers "
    "in Mongolia and Angola who were deceived about their pay before departure, who owed debts "
    "to the brokers who arranged their jobs, and who slept in crowded containers on the site.",
]


def main() -> None:
    pdf = FPDF()
    pdf.set_title("Overseas labour and the state budget")
    pdf.set_creation_date(__import__("datetime").datetime(2020, 6, 1))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for text in PARAGRAPHS:
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)
    out = Path(__file__).resolve().parents[1] / "src/labourwatch/samples/05-briefing-note.pdf"
    pdf.output(str(out))
    print(out)


if __name__ == "__main__":
    main()
