"""Forms of the report pages: an answer changed, the year's settings, a narrative text, a list of parts."""

from __future__ import annotations

from django import forms

from oretrace.batteries.inputs import BATTERY_CATEGORIES
from oretrace.declaration.derive import ALLOWED, COMPANY, METALS, QUESTIONS
from oretrace.errors import BadInput
from oretrace.rmi.layouts import COMPANY_TOPICS
from oretrace.smelters.tables import decode_text, read_table
from oretrace.web.forms import CleanText
from oretrace.web.reports.models import SECTION_TITLES, YEAR_FIELDS, ReportSettings

BLANK = "(blank)"


class OverrideForm(CleanText, forms.Form):
    metal = forms.ChoiceField(choices=[(m, m) for m in METALS])
    question = forms.ChoiceField(choices=[(q, q) for q in QUESTIONS])
    answer = forms.ChoiceField(
        choices=[(a, a) for a in dict.fromkeys(a for q in QUESTIONS for a in ALLOWED[q])]
        + [(BLANK, "(leave blank)")],
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the derived answer is changed; kept with the answer and in the audit log.",
    )

    def __init__(self, *args, minerals=METALS, allowed=ALLOWED, company_allowed=None, **kwargs):
        """``minerals`` and ``allowed`` (question -> answers) of the template the declaration is for;
        ``company_allowed``, its company questions where they are derived (our EMRT, CRT)."""
        super().__init__(*args, **kwargs)
        self.company_allowed = company_allowed or {}
        self.allowed = {**allowed, **self.company_allowed}
        company = [(COMPANY, "Company question (A, B, …)")] if self.company_allowed else []
        self.fields["metal"].choices = [(m, m) for m in minerals] + company
        self.fields["metal"].required = not company  # the company questions' choice is the empty value
        self.fields["question"].choices = [(q, q) for q in self.allowed]
        answers = dict.fromkeys(a for q in self.allowed for a in self.allowed[q])
        self.fields["answer"].choices = [(a, a) for a in answers] + [(BLANK, "(leave blank)")]

    def clean(self):
        data = super().clean()
        metal, question, answer = data.get("metal"), data.get("question"), data.get("answer")
        if question and metal is not None and (metal == COMPANY) != (question in self.company_allowed):
            where = "a company question" if metal == COMPANY else f"a question about {metal}"
            self.add_error("question", f"{question} is not {where}.")
        elif question and answer and answer != BLANK and answer not in self.allowed[question]:
            choices = ", ".join(f'"{a}"' for a in self.allowed[question])
            self.add_error("answer", f'"{answer}" is not an answer to {question}; choose {choices}.')
        return data

    @property
    def chosen_answer(self) -> str:
        answer = self.cleaned_data["answer"]
        return "" if answer == BLANK else answer


DERIVE = ""


class KindCompanyAnswersForm(forms.Form):
    """Our EMRT's or CRT's company questions, one choice each from the blank template's list, or "derive"
    (the suppliers' files or our CMRT's answer asking the same; the CRT's B, D and F have none)."""

    def __init__(self, *args, questions=(), given=None, **kwargs):
        """``questions``: the CompanyQuestionSpecs of the campaign's blank template; ``given``: the
        answers stored for its kind."""
        super().__init__(*args, **kwargs)
        given = given or {}
        for spec in questions:
            self.fields[spec.id] = forms.ChoiceField(
                label=f"{spec.id}. {COMPANY_TOPICS.get(spec.topic, '')}".strip(),
                required=False,
                choices=[(DERIVE, "Derive it (see the reason beside the answer)")]
                + [(a, a) for a in spec.allowed],
                initial=given.get(spec.id, DERIVE),
            )

    @property
    def answers(self) -> dict[str, str]:
        return {question: answer for question, answer in self.cleaned_data.items() if answer != DERIVE}


class ReportSettingsForm(CleanText, forms.ModelForm):
    previous_years_text = forms.CharField(
        label="Earlier years",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "One year a line: year, suppliers surveyed, responded, smelters identified, conformant "
            "smelters, smelters in a Covered Country (optional). E.g. 2024, 255, 230, 43, 36, 1"
        ),
    )
    battery_categories = forms.MultipleChoiceField(
        label="Battery categories placed on the market",
        choices=list(BATTERY_CATEGORIES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Article 3 of the Batteries Regulation; the report names the batteries it concerns.",
    )

    class Meta:
        model = ReportSettings
        # The fields a new year copies from the last, with the counts that are the year's own.
        fields = [
            *ReportSettings.CARRIED[:3],
            "direct_suppliers",
            "indirect_suppliers",
            *(f for f in ReportSettings.CARRIED[3:] if f not in ReportSettings.BATTERY_FIELDS),
            *ReportSettings.BATTERY_FIELDS,
        ]
        widgets = {
            "batteries_described": forms.Textarea(attrs={"rows": 2}),
            "verification_date": forms.DateInput(attrs={"type": "date"}),
            "company_overview": forms.Textarea(attrs={"rows": 3}),
            "products_overview": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "contact_name": "CMRT contact name",
            "contact_email": "CMRT contact e-mail",
            "contact_phone": "CMRT contact phone",
            "contact": "Form SD contact (name and telephone)",
            "unique_id": "Unique ID",
            "unique_id_authority": "Unique ID authority",
            "include_unidentified": "List unidentified smelter names",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous_years_text"].initial = years_text(self.instance.previous_years)
        self.fields["direct_suppliers"].help_text = "Blank: counted from the campaign's direct suppliers."
        self.fields["indirect_suppliers"].help_text = "Blank: counted from the campaign's indirect suppliers."

    def clean_previous_years_text(self):
        rows, problems = [], []
        year = self.instance.reporting_year.year
        for number, line in enumerate(self.cleaned_data["previous_years_text"].splitlines(), start=1):
            if not line.strip():
                continue
            values = [v.strip() for v in line.split(",")]
            if len(values) not in (5, 6) or not all(v.isdigit() for v in values if v):
                problems.append(f"line {number}: write 5 or 6 whole numbers separated by commas")
                continue
            row = dict(zip(YEAR_FIELDS, (int(v) if v else None for v in values), strict=False))
            if row["year"] >= year:
                problems.append(f"line {number}: {row['year']} is not before {year}")
            elif row["responded"] > row["surveyed"]:
                problems.append(f"line {number}: more suppliers responded than were surveyed")
            elif row["year"] in {r["year"] for r in rows}:
                problems.append(f"line {number}: {row['year']} is given twice")
            else:
                row.setdefault("covered_country_smelters", None)
                rows.append(row)
        if problems:
            raise forms.ValidationError("; ".join(problems))
        return sorted(rows, key=lambda r: r["year"])

    def save(self, commit=True):
        self.instance.previous_years = self.cleaned_data["previous_years_text"]
        return super().save(commit)


def years_text(rows: list[dict]) -> str:
    return "\n".join(
        ", ".join("" if row.get(k) is None else str(row.get(k)) for k in YEAR_FIELDS) for row in rows
    )


class NarrativeForm(CleanText, forms.Form):
    section = forms.ChoiceField(choices=list(SECTION_TITLES.items()))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), strip=False)


class PartsForm(CleanText, forms.Form):
    numbers = forms.CharField(
        label="Part numbers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "One part or product number a line"}),
    )
    file = forms.FileField(
        required=False,
        help_text="Or a customer's list as CSV, TXT or XLSX (a column headed 'part number' or similar).",
    )

    def clean(self):
        data = super().clean()
        text = data.get("numbers") or ""
        upload = data.get("file")
        if upload:
            try:
                text += "\n" + file_numbers(upload.read(), upload.name)
            except BadInput as error:
                self.add_error("file", error.message)
                return data
        data["text"] = text
        if not text.strip() and not self.errors:
            raise forms.ValidationError("Paste the part numbers or choose a file.")
        return data


def _part_header(headers) -> bool:
    return any("part" in (h or "").casefold() or "product" in (h or "").casefold() for h in headers)


def file_numbers(data: bytes, name: str) -> str:
    """The part numbers of an uploaded list: the column headed like a part number, or every line."""
    try:
        table = read_table(data, name=name, recognise=_part_header, expected="a part number column")
    except BadInput:
        if data.startswith(b"PK"):
            raise
        return decode_text(data, name)[0]
    column = next(i for i, h in enumerate(table.headers) if _part_header([h]))
    return "\n".join(str(row[column]) for row in table.rows if len(row) > column and row[column])
