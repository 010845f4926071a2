"""The settings file of ``oretrace report``: read key by key, so that every error names the key to fix.

The file says who files the report, the company block of our own CMRT, the survey (the list of the
suppliers asked, or how many), the reference data and the report's own words. No figure of the survey
is typed into it: responses are counted from the files and the list, and reminders, follow-ups and
corrections, which only the web app records, are left out of a report made from a folder.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oretrace.batteries.inputs import BATTERY_CATEGORIES, BatterySettings
from oretrace.batteries.scope import Turnover
from oretrace.declaration import CompanyBlock, DeclarationSettings
from oretrace.errors import BadInput
from oretrace.reports import CONCLUSIONS, SECTIONS, Organisation, SupplyChainFigures, YearFigures
from oretrace.smelters import Exclusion
from oretrace.survey import Survey
from oretrace.survey.folder import expected_by_file, folder_survey, read_supplier_list


def example_settings() -> str:
    """A commented settings file to start from (``oretrace report --example-settings``)."""
    return f"""\
# Settings for `oretrace report FOLDER --settings oretrace.toml -o out/`.
# Paths are relative to this file. Keys marked (required) must be present; the rest may be left out.

year = 2025                          # (required) the calendar year reported on
# (required) what the reasonable country of origin inquiry concluded, one of:
{chr(10).join(f"#   {key:<25} {c.label}" for key, c in CONCLUSIONS.items())}
conclusion = "origin-undetermined"

[organisation]                       # who files the report (the Form SD cover page)
name = "Norland Instruments, Inc."   # (required)
website = "www.norland.example"
policy_url = "www.norland.example/conflict-minerals"
address = "400 Harbor Drive, Portland, OR 97201"
state_of_incorporation = "Delaware"
commission_file_number = "001-34567"
irs_employer_id = "93-1234567"
contact = "Jane Doe, General Counsel, (503) 555-0100"
signatory_name = "Jane Doe"
signatory_title = "General Counsel"

[company]                            # the company block of our own CMRT (Declaration D8-D22)
# name = "Norland Instruments, Inc." # default: organisation.name
contact_name = "Jane Doe"            # (required)
contact_email = "jane.doe@norland.example"   # (required)
contact_phone = "+1 503 555 0100"    # (required)
authorizer_name = "John Roe"         # (required)
authorizer_email = "john.roe@norland.example" # (required)
authorizer_title = "General Counsel"
authorizer_phone = "+1 503 555 0101"
unique_id = "123456789"
unique_id_authority = "DUNS"
address = "400 Harbor Drive, Portland, OR 97201"
effective_date = 2026-05-01          # default: today
scope = "A"                          # A (company) or C (user defined, then scope_description)
# scope_description = "All products of the Instruments division"

[company_questions]                  # (required) CMRT questions A-H, answered as the template words them
A = "Yes"                            # responsible minerals sourcing policy?
B = "Yes"                            # policy public on the website? (Yes needs policy_url below)
C = "Yes"                            # require suppliers to source from audited smelters?
D = "Yes"                            # due diligence measures implemented?
E = "Yes, in conformance with IPC1755 (e.g., CMRT)"  # or "Yes, using other format (describe)", "No"
F = "Yes"                            # review suppliers' due diligence information?
G = "Yes"                            # corrective action management?
H = "Yes, with the SEC"              # or "Yes, with the EU", "Yes, with the SEC and the EU", "No"

# [company_question_comments]        # comments written beside the answers (column G)
# E = "CMRT 6.5 sent to all suppliers of parts containing 3TG"

[declaration]                        # how the answers of our CMRT (or EMRT, CRT, AMRT) are derived
policy_url = "https://www.norland.example/conflict-minerals"  # written beside question B
include_unidentified = false         # list smelter names no reference facility matched
# minerals = ["Aluminum", "Zinc"]    # our AMRT's (or EMRT 2.x's) minerals; default: AMRT those the
                                     # suppliers answered for, EMRT 2.x all six
# [declaration.emrt_company_questions]  # our EMRT's questions A-G; default: from our CMRT's answers
# E = "Yes, in conformance with IPC1755 (e.g. EMRT)"
# [declaration.crt_company_questions]   # our CRT's questions A-I; B, D and F the CMRT does not ask
# B = "Yes"                          # policy covers the OECD Annex II risks?
# D = "Yes"                          # suppliers required to exercise due diligence?
# F = "Yes"                          # suppliers' due diligence covers the Annex II risks?
# override_note = "confirmed with procurement on 2026-04-20"
# [declaration.overrides]            # change any derived answer; the derivation table shows why
# Tin = {{ Q7 = "Yes" }}

[campaign]                           # the survey behind the report
suppliers = "suppliers-asked.csv"    # the suppliers asked: a "Supplier" column, optionally "Number",
                                     # "File", "Sent" and "Declined" (their statement when they declined)
# surveyed = 260                     # instead of the list: how many were asked (the report says so)
# due = 2026-03-31                   # the date responses were due (for "overdue")
# minimum_version = "6.4"            # the oldest template version the inquiry asked for
# Reminders, follow-ups and corrections are counted by the web app, which sends them; from a folder
# of files they are unknown, and the report leaves them out rather than print a typed number.

[supply_chain]
direct_suppliers = 4                 # (required)
indirect_suppliers = 256             # (required)

[reference]                          # the data the smelters are checked against
template = "RMI_CMRT_6.5.xlsx"       # (required) an RMI template whose Smelter Look-up is the reference
# blank_template = "RMI_CMRT_6.5.xlsx"  # the blank CMRT 6.x, EMRT, CRT or AMRT to fill in (the kind of
                                     # the supplier files); default: the reference template
# cahra = "eu-cahra.csv"             # conflict-affected and high-risk areas: text, CSV or XLSX
# v2_table = "cfsi-v2-to-cid.csv"    # CFSI v2 smelter IDs to CIDs, for files from 2014
# Names suppliers report that are no 3TG smelter: left out of the unidentified names (the web app's
# "Not a smelter" and "Not 3TG" outcomes, which the same identification reads).
# not_smelters = ["Shenzhen Metal Trading Co."]   # traders, distributors, the supplier itself
# not_3tg = ["Nordic Cobalt Refinery"]           # smelters of a metal outside 3TG

[[reference.status_lists]]           # RMI facility lists with audit statuses; repeat for each list
path = "rmap-facilities-2026-01-15.csv"
date = 2026-01-15                    # (required) the day the list was downloaded

[narrative]                          # the report's own words
company_overview = "Norland Instruments designs and sells test and measurement instruments."  # (required)
products_overview = "Oscilloscopes, signal analysers and calibration equipment."  # (required)
# [narrative.sections]               # replace any default text; placeholders such as {{surveyed}} are filled
{chr(10).join(f"# {spec.key} = " + chr(34) + "..." + chr(34) for spec in SECTIONS)}

# [batteries]                        # the battery due-diligence report of an EMRT or CRT inquiry
# categories = ["ev", "industrial"]  # batteries placed on the market: {", ".join(BATTERY_CATEGORIES)}
# batteries_described = "Lithium-ion traction packs for forklifts."   # the batteries concerned
# policy_url = "https://www.norland.example/battery-due-diligence"
# net_turnover_eur = 310000000       # the financial year preceding the last one (Article 47)
# group_turnover_eur = 900000000     # consolidated, when part of a group
# notified_body = "Example Cert GmbH (NB 9999)"   # blank until a notified body has verified the policy
# verification_date = 2026-04-30
# guidelines = "C/2026/1234"         # the Commission's guidelines followed, once published

# [[previous_years]]                 # earlier years for the year-over-year comparison; repeat per year
# year = 2024
# surveyed = 255
# responded = 230
# smelters_identified = 43
# conformant_smelters = 36
# covered_country_smelters = 1
"""


@dataclass(frozen=True)
class ReportSettings:
    source: Path
    year: int
    conclusion: str
    organisation: Organisation
    declaration: DeclarationSettings
    overrides: dict[str, dict[str, str]]
    override_note: str | None
    suppliers_list: Path | None
    surveyed: int | None
    due: dt.date | None
    minimum_version: str | None
    supply_chain: SupplyChainFigures
    reference: Path
    blank_cmrt: Path
    status_lists: tuple[tuple[Path, dt.date], ...]
    cahra: Path | None
    v2_table: Path | None
    company_overview: str
    products_overview: str
    sections: dict[str, str] = field(default_factory=dict)
    previous_years: tuple[YearFigures, ...] = ()
    # Reported names recorded as no 3TG smelter -> smelters.Exclusion value (AnalysisSettings.excluded).
    excluded: dict[str, str] = field(default_factory=dict)
    minerals: tuple[str, ...] = ()  # what our EMRT 2.x or AMRT declares (default: declaration.derive)
    batteries: BatterySettings = field(default_factory=BatterySettings)

    def input_paths(self) -> set[Path]:
        paths = {self.reference, self.blank_cmrt, *(p for p, _ in self.status_lists)}
        return {p.resolve() for p in paths}

    def expected_suppliers(self) -> dict:
        """The supplier each file was sent to, where the list of suppliers asked names the file."""
        return expected_by_file(read_supplier_list(self.suppliers_list) if self.suppliers_list else None)

    def survey(self, analyses) -> tuple[Survey, list, list[str]]:
        """The survey (oretrace.survey.folder) and the analyses named by the supplier each came from."""
        listed = read_supplier_list(self.suppliers_list) if self.suppliers_list else None
        return folder_survey(analyses, listed=listed, stated_surveyed=self.surveyed, due=self.due)


class _Section:
    """One table of the settings file, read key by key, so that every error names the key to fix."""

    def __init__(self, values: Any, name: str, base: Path):
        if not isinstance(values, dict):
            raise BadInput(f"{name} must be a table ([{name}]), not {_kind(values)}")
        self.values, self.name, self.base, self.used = values, name, base.resolve(), set()

    def key(self, key: str) -> str:
        return f"{self.name}.{key}" if self.name else key

    def get(
        self, key: str, kind: type | tuple[type, ...], *, required: bool = False, default: Any = None
    ) -> Any:
        self.used.add(key)
        if key not in self.values:
            if required:
                raise BadInput(f"{self.key(key)} is missing")
            return default
        value = self.values[key]
        # TOML has no "integer that is not a boolean"; True must not pass for a count.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise BadInput(f"{self.key(key)} must be {_kind_name(kind)}, not {_kind(value)} {value!r}")
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise BadInput(f"{self.key(key)} cannot be negative ({value})")
        return value

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.get(key, str, required=required, default=default)
        if required and not (value or "").strip():
            raise BadInput(f"{self.key(key)} is empty")
        return value

    def path(self, key: str, *, required: bool = False) -> Path | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        path = (self.base / value).expanduser()
        if not path.is_file():
            raise BadInput(f"{self.key(key)}: the file {path} does not exist")
        return path

    def section(self, key: str, *, required: bool = False) -> _Section:
        self.used.add(key)
        if key not in self.values and required:
            raise BadInput(f"[{self.key(key)}] is missing")
        return _Section(self.values.get(key, {}), self.key(key), self.base)

    def done(self) -> None:
        unknown = sorted(set(self.values) - self.used)
        if unknown:
            raise BadInput(f"unknown setting(s) {', '.join(self.key(k) for k in unknown)}")


def read_settings(path: Path) -> ReportSettings:
    """The settings file, checked key by key; a BadInput naming the file and the key otherwise."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise BadInput(
            f"The settings file {path} does not exist (oretrace report --example-settings prints one)"
        ) from None
    except OSError as error:
        raise BadInput(f"The settings file {path} cannot be read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"not valid TOML: {error}", file=str(path)) from None
    try:
        return _settings(_Section(data, "", path.parent), path)
    except BadInput as error:
        raise BadInput(error.message, file=str(path)) from None


def _settings(root: _Section, path: Path) -> ReportSettings:
    year = root.get("year", int, required=True)
    conclusion = root.text("conclusion", required=True)
    if conclusion not in CONCLUSIONS:
        raise BadInput(f"conclusion {conclusion!r} is not one of {', '.join(CONCLUSIONS)}")

    section = root.section("organisation", required=True)
    organisation = Organisation(
        name=section.text("name", required=True),
        **{
            key: section.text(key)
            for key in (
                "website",
                "policy_url",
                "address",
                "state_of_incorporation",
                "commission_file_number",
                "irs_employer_id",
                "contact",
                "signatory_name",
                "signatory_title",
            )
        },
    )
    section.done()

    section = root.section("company", required=True)
    company = CompanyBlock(
        name=section.text("name", default=organisation.name),
        **{
            key: section.text(key, required=True)
            for key in (
                "contact_name",
                "contact_email",
                "contact_phone",
                "authorizer_name",
                "authorizer_email",
            )
        },
        **{
            key: section.text(key)
            for key in ("authorizer_title", "authorizer_phone", "unique_id", "unique_id_authority", "address")
        },
        effective_date=_date(section, "effective_date"),
        scope=section.text("scope", default="A"),
        scope_description=section.text("scope_description"),
    )
    section.done()

    questions = root.section("company_questions", required=True)
    answers = {key: questions.get(key, str) for key in list(questions.values)}
    comments_section = root.section("company_question_comments")
    comments = {key: comments_section.get(key, str) for key in list(comments_section.values)}
    section = root.section("declaration")
    include_unidentified = section.get("include_unidentified", bool, default=False)
    policy_url = section.text("policy_url", default=organisation.policy_url)
    override_note = section.text("override_note")
    minerals = section.get("minerals", list, default=[])
    if not all(isinstance(m, str) and m.strip() for m in minerals):
        raise BadInput(f"declaration.minerals must be a list of mineral names, not {minerals!r}")
    kind_questions = {}
    for kind in ("EMRT", "CRT"):
        table = section.section(f"{kind.lower()}_company_questions")
        kind_questions[kind] = {key: table.get(key, str) for key in list(table.values)}
    overrides_section = section.section("overrides")
    overrides = {}
    for metal in list(overrides_section.values):
        per_metal = overrides_section.section(metal)
        overrides[metal] = {q: per_metal.get(q, str) for q in list(per_metal.values)}
    section.done()
    declaration = DeclarationSettings(
        company=company,
        company_questions=answers,
        policy_url=policy_url,
        company_question_comments=comments,
        include_unidentified=include_unidentified,
        kind_company_questions={kind: answers for kind, answers in kind_questions.items() if answers},
    )

    campaign = root.section("campaign", required=True)
    for typed in ("responded", "reminders_sent", "follow_ups_sent", "corrections_received"):
        if typed in campaign.values:
            raise BadInput(
                f"campaign.{typed} cannot be typed in: the report counts it from the data or leaves it out "
                "(responses from the files and the list of suppliers asked; reminders, follow-ups and "
                "corrections only where the web app sent them). Remove it."
            )
    suppliers_list = campaign.path("suppliers")
    surveyed = campaign.get("surveyed", int)
    if (suppliers_list is None) == (surveyed is None):
        raise BadInput(
            "[campaign] needs either suppliers (the list of suppliers asked) or surveyed (how many), "
            "and not both"
        )
    due = _date(campaign, "due")
    minimum_version = campaign.text("minimum_version")
    campaign.done()
    chain = root.section("supply_chain", required=True)
    supply_chain = SupplyChainFigures(
        direct_suppliers=chain.get("direct_suppliers", int, required=True),
        indirect_suppliers=chain.get("indirect_suppliers", int, required=True),
    )
    chain.done()

    section = root.section("reference", required=True)
    reference = section.path("template", required=True)
    blank = section.path("blank_template") or section.path("blank_cmrt") or reference
    cahra = section.path("cahra")
    v2_table = section.path("v2_table")
    excluded = {}
    for key, outcome in (("not_smelters", Exclusion.NOT_A_SMELTER), ("not_3tg", Exclusion.NOT_3TG)):
        for number, name in enumerate(section.get(key, list, default=[]), start=1):
            if not isinstance(name, str) or not name.strip():
                raise BadInput(f"reference.{key}[{number}] must be a smelter name, not {name!r}")
            excluded[name.strip()] = outcome.value
    lists = section.get("status_lists", list, default=[])
    status_lists = []
    for number, item in enumerate(lists, start=1):
        entry = _Section(item, f"reference.status_lists[{number}]", section.base)
        status_lists.append((entry.path("path", required=True), _date(entry, "date", required=True)))
        entry.done()
    section.done()

    section = root.section("narrative", required=True)
    company_overview = section.text("company_overview", required=True)
    products_overview = section.text("products_overview", required=True)
    texts = section.section("sections")
    known = {spec.key for spec in SECTIONS}
    unknown = sorted(set(texts.values) - known)
    if unknown:
        raise BadInput(
            f"unknown narrative section(s) {', '.join('narrative.sections.' + k for k in unknown)}; "
            f"the sections are {', '.join(sorted(known))}"
        )
    sections = {key: texts.get(key, str) for key in list(texts.values)}
    section.done()

    batteries = _batteries(root.section("batteries"))

    previous = []
    for number, item in enumerate(root.get("previous_years", list, default=[]), start=1):
        entry = _Section(item, f"previous_years[{number}]", root.base)
        previous.append(
            YearFigures(
                year=entry.get("year", int, required=True),
                surveyed=entry.get("surveyed", int, required=True),
                responded=entry.get("responded", int, required=True),
                smelters_identified=entry.get("smelters_identified", int, required=True),
                conformant_smelters=entry.get("conformant_smelters", int, required=True),
                covered_country_smelters=entry.get("covered_country_smelters", int),
            )
        )
        entry.done()
    root.done()
    return ReportSettings(
        source=path,
        year=year,
        conclusion=conclusion,
        organisation=organisation,
        declaration=declaration,
        minerals=tuple(m.strip() for m in minerals),
        overrides=overrides,
        override_note=override_note,
        suppliers_list=suppliers_list,
        surveyed=surveyed,
        due=due,
        minimum_version=minimum_version,
        supply_chain=supply_chain,
        reference=reference,
        blank_cmrt=blank,
        status_lists=tuple(status_lists),
        cahra=cahra,
        v2_table=v2_table,
        excluded=excluded,
        company_overview=company_overview,
        products_overview=products_overview,
        sections=sections,
        previous_years=tuple(previous),
        batteries=batteries,
    )


def _batteries(section: _Section) -> BatterySettings:
    """The [batteries] table: what the battery due-diligence report prints as stated."""
    categories = section.get("categories", list, default=[])
    if not all(isinstance(c, str) for c in categories):
        raise BadInput(f"batteries.categories must be a list of {', '.join(BATTERY_CATEGORIES)}")
    settings = BatterySettings(
        battery_categories=tuple(categories),
        batteries_described=section.text("batteries_described", default=""),
        policy_url=section.text("policy_url", default=""),
        notified_body=section.text("notified_body", default=""),
        verification_date=_date(section, "verification_date"),
        guidelines=section.text("guidelines", default=""),
        turnover=Turnover(section.get("net_turnover_eur", int), section.get("group_turnover_eur", int)),
    )
    section.done()
    return settings


def _date(section: _Section, key: str, *, required: bool = False) -> dt.date | None:
    value = section.get(key, (dt.date, str), required=required)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise BadInput(f"{section.key(key)} {value!r} is not a date like 2026-01-15") from None
    return value


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}
_KIND_NAMES[dt.date] = "a date like 2026-01-15"


def _kind_name(kind: type | tuple[type, ...]) -> str:
    return " or ".join(
        _KIND_NAMES.get(k, k.__name__) for k in _tuple(kind) if k is not str or len(_tuple(kind)) == 1
    )


def _kind(value: Any) -> str:
    for kind, name in (
        (bool, "true/false"),
        (int, "a number"),
        (float, "a number"),
        (str, "text"),
        (list, "a list"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


# --- the command ----------------------------------------------------------------------------------
