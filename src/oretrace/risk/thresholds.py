"""How strict the risk assessment is, set once per reporting year.

OECD's guidance is risk-based and leaves the cut-offs to each company (DDG, Step 2: "identify and assess
risks"); what one year accepted, the next may not. So the thresholds are data the web app keeps per
reporting year as JSON (``as_dict`` / ``from_dict``), and a year's assessment can be re-run with the
values that were in force when it was made. Each default below names the practice it follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from oretrace.errors import BadInput
from oretrace.risk.codes import FLAG_KINDS
from oretrace.smelters.status import AuditStatus

# Statuses that can be a red flag: every status but the conformant ones (AuditStatus.counts_as_conformant).
FLAGGABLE_STATUSES = tuple(s.value for s in AuditStatus if not s.counts_as_conformant)
RATINGS = ("high", "medium", "low")


def _default_weights() -> dict[str, int]:
    return {code: kind.weight for code, kind in FLAG_KINDS.items()}


@dataclass(frozen=True)
class RiskThresholds:
    # CMRT 6.x Q6 answers state a floor ("Greater than 75%"). A supplier whose floor is below this share
    # of its own suppliers has a low-coverage flag. 50: IntegrityNext marks a CMRT red below 50% and the
    # CFSI 3.01 validator warned "below 50%" (review.answers.LOW_RESPONSE uses the same line).
    min_supplier_response_pct: int = 50
    # Unresolved review errors that make a supplier high risk on their own; fewer still raise a medium
    # flag. 3: one error is usually a slip the supplier fixes on request, several mean the declaration
    # cannot be relied on (RMI's Checker counts any missing required field as a failure).
    errors_for_high_risk: int = 3
    # Unresolved review warnings before a supplier is flagged for unanswered questions.
    warnings_for_flag: int = 1
    # A status is only true as of its list's date (RMI updates its facility lists continuously). A status
    # from a list older than this many days before the assessment date is flagged as outdated. 90: a
    # quarter, the rhythm of RMI's reference-list releases and of the EU CAHRA list updates.
    status_list_max_age_days: int = 90
    # RMI keeps a facility on the Conformant list while its re-assessment is being scheduled; a
    # conformance is treated as expired only this many days after its cycle ended (our allowance, not
    # an RMI figure).
    expiry_grace_days: int = 90
    # Audit statuses that are red flags for the smelter and for every supplier naming it. Default: the
    # statuses under which a facility is outside or out of good standing with RMAP (RMI facility lists).
    red_flag_statuses: tuple[str, ...] = ("Non-Conformant", "Suspended", "Not enrolled")
    # RMI: an Active facility has committed to an assessment and scheduled it. Many published CMRs count
    # Active with Conformant as "participating in an audit"; set False to flag Active facilities.
    active_counts_as_mitigated: bool = True
    # A Covered-Country or CAHRA location of a conformant smelter is still disclosed but weighs only this
    # share of its weight: RMAP conformance means the smelter's own OECD due diligence was audited.
    mitigated_weight_pct: int = 25
    # A flag that repeats for one subject (a second non-conformant smelter, a third "No" to a policy
    # question) adds this share of what the one before added: 50 counts a kind at most twice its
    # weight, so one non-conformant smelter among 80 conformant ones leaves a supplier medium while
    # three make it high, and twenty unidentified names never outweigh one strong red flag (OECD DDG
    # is risk-based: the weight of the evidence, not the number of rows).
    repeat_weight_pct: int = 50
    # A supplier that has not answered is "awaiting response" until the due date plus these days, and
    # only then flagged: a request sent this morning is not a risk (14: two weeks is what RMI's own
    # CMRT campaigns and most customers allow before a reminder turns into an escalation).
    no_response_grace_days: int = 14
    # The rating cut-offs on a subject's score (the sum of its flags' points); also a flag's own severity.
    medium_score: int = 6
    high_score: int = 12
    weights: dict[str, int] = field(default_factory=_default_weights, hash=False)

    def weight(self, code: str) -> int:
        return self.weights.get(code, FLAG_KINDS[code].weight)

    def rating(self, score: float) -> str:
        """ "high", "medium" or "low" for a score (a subject's total, or one flag's points)."""
        if score >= self.high_score:
            return "high"
        if score >= self.medium_score:
            return "medium"
        return "low"

    def points(self, weight: int, count: int = 1) -> float:
        """What ``count`` flags of one kind on one subject add to its score: the first its full weight,
        each further one ``repeat_weight_pct`` of the one before, rounded to one decimal."""
        ratio = self.repeat_weight_pct / 100
        total = sum(weight * ratio**n for n in range(max(count, 0)))
        return round(total, 1)

    def flags_status(self, status: str) -> bool:
        """Whether an audit status is a red flag under these thresholds."""
        if status == AuditStatus.ACTIVE:
            return status in self.red_flag_statuses or not self.active_counts_as_mitigated
        return status in self.red_flag_statuses

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: lists for tuples, every weight written out."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = (
                list(value) if isinstance(value, tuple) else dict(value) if f.name == "weights" else value
            )
        return data

    def __post_init__(self) -> None:
        # The web app may build thresholds from a form as well as from stored JSON: both are checked alike.
        _parse(self.as_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskThresholds:
        """Thresholds from stored JSON; missing keys keep their defaults, weights merge with the defaults.

        Raises BadInput naming each key whose value cannot be used.
        """
        return cls(**_parse(data))


def _parse(data: Any) -> dict[str, Any]:
    """The constructor's keyword arguments from stored settings, or BadInput listing every problem."""
    if not isinstance(data, Mapping):
        raise BadInput(f"Risk thresholds must be a mapping of settings, not {type(data).__name__}.")
    known = {f.name for f in fields(RiskThresholds)}
    problems = [f"unknown setting {key!r}" for key in data if key not in known]
    values: dict[str, Any] = {}
    for name, minimum in _MINIMUMS.items():
        if name in data:
            _whole(name, data[name], problems, values, minimum=minimum)
    for name in ("min_supplier_response_pct", "mitigated_weight_pct", "repeat_weight_pct"):
        if name in data:
            _whole(name, data[name], problems, values, minimum=0, maximum=100)
    if "active_counts_as_mitigated" in data:
        value = data["active_counts_as_mitigated"]
        if isinstance(value, bool):
            values["active_counts_as_mitigated"] = value
        else:
            problems.append(f"active_counts_as_mitigated must be true or false, not {value!r}")
    if "red_flag_statuses" in data:
        _statuses(data["red_flag_statuses"], problems, values)
    if "weights" in data:
        _weights(data["weights"], problems, values)
    medium = values.get("medium_score", RiskThresholds.medium_score)
    high = values.get("high_score", RiskThresholds.high_score)
    if not medium < high:  # invalid values were left out above, so both are whole numbers here
        problems.append(f"medium_score ({medium}) must be lower than high_score ({high})")
    if problems:
        raise BadInput("Risk thresholds: " + "; ".join(problems) + ".")
    return values


# Counts and cut-offs start at 1 (a cut-off of 0 would rate every subject high); day counts may be 0.
_MINIMUMS = {
    "errors_for_high_risk": 1,
    "warnings_for_flag": 1,
    "status_list_max_age_days": 0,
    "expiry_grace_days": 0,
    "no_response_grace_days": 0,
    "medium_score": 1,
    "high_score": 1,
}


def _whole(
    name: str, value: Any, problems: list[str], values: dict, *, minimum: int, maximum: int | None = None
) -> None:
    # bool is an int in Python; true in a JSON settings file is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{name} must be a whole number, not {value!r}")
    elif value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        problems.append(f"{name} must be {bounds}, not {value}")
    else:
        values[name] = value


def _statuses(value: Any, problems: list[str], values: dict) -> None:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        problems.append(f"red_flag_statuses must be a list of audit statuses, not {value!r}")
        return
    bad = [s for s in value if s not in FLAGGABLE_STATUSES]
    if bad:
        problems.append(
            f"red_flag_statuses has {', '.join(repr(s) for s in bad)}; "
            f"choose from {', '.join(FLAGGABLE_STATUSES)} (conformant statuses are never a red flag)"
        )
    else:
        values["red_flag_statuses"] = tuple(dict.fromkeys(value))


def _weights(value: Any, problems: list[str], values: dict) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"weights must map flag codes to numbers, not {value!r}")
        return
    merged = _default_weights()
    for code, weight in value.items():
        if code not in FLAG_KINDS:
            problems.append(f"weights has unknown flag code {code!r}")
        elif isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            problems.append(f"weights[{code!r}] must be a whole number of at least 0, not {weight!r}")
        else:
            merged[code] = weight
    values["weights"] = merged
