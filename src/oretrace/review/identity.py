"""Is the file from the supplier it was sent to? The company block against what we know of the supplier.

Suppliers upload a customer's or a sub-supplier's CMRT by mistake (a file from SK specialty uploaded for
Zhenhua, Central Glass's for Shenzhen Everbright): every other check passes, and the wrong company's
answers would enter our roll-up under the supplier's name. The caller says whom the file was sent to
(``ExpectedSupplier``); without it the rule does not run.

The file is the supplier's when any one of these holds:

- its Company Unique ID (D12) is one of the supplier's IDs (DUNS, tax number ...);
- a contact or authorizer e-mail (D16, D20) is at one of the supplier's own mail domains, or a
  sub-domain of one; public mail services (gmail, qq, 163, outlook ...) and the placeholder domains of
  anonymised files (example.com) say nothing about who the company is and never count;
- its Company Name (D8), with legal forms ("Co., Ltd.", "GmbH", "株式会社", "有限公司") and punctuation
  set aside, scores at least ``NAME_THRESHOLD`` with the supplier's name or one of its other names
  (``name_score``: rapidfuzz ``token_sort_ratio``, 0-100), or one name holds the other as whole words
  ("Honeywell" in "Honeywell International").

A file with no company name is left to the Checker, which already counts D8 as missing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from oretrace.review.registry import Context, Hit, rule

# name_score of two names with legal forms removed. 85 accepts a spelling variant or a word more
# ("Zhenhua Electronics" / "Zhen Hua Electronic") and refuses two companies sharing a word
# ("SK hynix" / "SK specialty" score 50-60); see tests/review/test_review_identity.py.
NAME_THRESHOLD = 85

# Latin legal forms and their abbreviations, as single words after punctuation is removed
# ("Co., Ltd." -> "co ltd"); dotted forms ("S.A.", "B.V.") are removed before the dots are.
# fmt: off
_LEGAL_WORDS = frozenset((
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp",
    "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "se", "ug", "sa", "sas", "sarl", "srl", "spa", "bv", "nv",
    "oy", "oyj", "ab", "as", "asa", "aps", "kk", "pte", "pty", "bhd", "sdn", "tbk", "jsc", "pjsc", "ojsc",
    "ooo", "zao", "cv", "sl", "slu", "sro", "kft", "zrt", "rt", "nyrt", "sp", "zoo",
))
# fmt: on
# Forms written with dots between letters ("S.A.", "B.V.", "K.K."), compared with the dots removed.
_DOTTED_FORMS = re.compile(
    r"\b(?:s\.?\s?a\.?\s?s|s\.?\s?a|b\.?\s?v|n\.?\s?v|k\.?\s?k|s\.?\s?r\.?\s?l|s\.?\s?p\.?\s?a)\.?(?=\s|$)"
)
# CJK legal forms, written without spaces before or after the name; the longest first.
_CJK_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "株式会社",
    "有限会社",
    "合同会社",
    "주식회사",
    "公司",
    "(주)",
    "㈜",
)

# Mail services anyone can use, by domain and, for the ones with a domain per country (yahoo.co.jp,
# hotmail.fr), by their name before the first dot.
# fmt: off
PUBLIC_MAIL_DOMAINS = frozenset((
    "gmail.com", "googlemail.com", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "139.com",
    "189.cn", "sina.com", "sina.cn", "sohu.com", "aliyun.com", "tom.com", "21cn.com", "outlook.com",
    "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com",
    "aol.com", "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de", "naver.com", "daum.net",
    "hanmail.net", "nate.com", "yandex.ru", "yandex.com", "mail.ru", "protonmail.com", "proton.me",
    "zoho.com", "rediffmail.com",
))
# fmt: on
_PUBLIC_MAIL_NAMES = frozenset({"gmail", "yahoo", "hotmail", "outlook", "live", "msn", "gmx", "yandex"})
# RFC 2606: anonymised files (the shared sample CMRTs) put every company's people at example.com, so
# the domain says nothing. Names under the ".example" top-level domain differ per company in demo data
# and tests, and are compared like any other.
_RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
_RESERVED_TLDS = frozenset({"test", "invalid", "localhost"})

CODE = "company-not-the-supplier"

_DOMAIN = re.compile(r"@\s*([a-z0-9.-]+\.[a-z]{2,})", re.IGNORECASE)


@dataclass(frozen=True)
class ExpectedSupplier:
    """The supplier a file was sent to, as the caller knows it (a supplier record, a list of suppliers)."""

    name: str
    other_names: tuple[str, ...] = ()  # former names, a name in another script ("深圳市振华电子有限公司")
    unique_ids: tuple[str, ...] = ()  # DUNS, tax or registry numbers
    email_domains: tuple[str, ...] = ()  # "zhenhua.com.cn"; whole addresses are reduced to their domain

    @classmethod
    def of(
        cls,
        name: str,
        *,
        other_names: Iterable[str | None] = (),
        unique_ids: Iterable[str | None] = (),
        emails: Iterable[str | None] = (),
    ) -> ExpectedSupplier:
        """Built from loose values: blanks dropped, e-mail addresses reduced to their domain."""
        domains = []
        for value in emails:
            domain = (value or "").rsplit("@", 1)[-1].strip().strip(".").lower()
            if domain and domain not in domains:
                domains.append(domain)
        return cls(
            name=name,
            other_names=tuple(n for n in other_names if n and n.strip()),
            unique_ids=tuple(i for i in unique_ids if i and i.strip()),
            email_domains=tuple(domains),
        )

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)


def company_key(name: str) -> str:
    """A company name as compared: width and case folded, legal forms and punctuation removed.

    "Shenzhen Zhenhua Co., Ltd." -> "shenzhen zhenhua"; "株式会社 東芝" -> "東芝". A name that is nothing
    but a legal form keeps its words, so that it still compares with something.
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    for form in _CJK_FORMS:
        text = text.replace(form, " ")
    text = _DOTTED_FORMS.sub(" ", text)
    words = re.sub(r"[\W_]+", " ", text).split()
    kept = [w for w in words if w not in _LEGAL_WORDS]
    return " ".join(kept or words)


def name_score(a: str, b: str) -> float:
    """How alike two company names are, 0-100.

    rapidfuzz ``token_sort_ratio`` of their keys (word order set aside), or ``ratio`` of the keys
    without spaces ("Zhen Hua" / "Zhenhua"), whichever is higher; 100 when one key is whole words of the
    other ("Honeywell" in "Honeywell International") or, in Chinese or Japanese, held in the other
    ("振华" in "深圳振华电子"). A shorter name of 2 or 3 letters counts only as the first word ("3M" in
    "3M Deutschland", not "LG" in "Zhejiang LG Materials"); ``token_set_ratio`` would count any shared
    word.
    """
    key_a, key_b = company_key(a), company_key(b)
    if not key_a or not key_b:
        return 0.0
    short, long = sorted((key_a, key_b), key=len)
    joined_short, joined_long = short.replace(" ", ""), long.replace(" ", "")
    if _has_cjk(short):
        if len(joined_short) >= 2 and joined_short in joined_long:
            return 100.0
    elif f" {short} " in f" {long} " and (len(joined_short) >= 4 or long.startswith(f"{short} ")):
        return 100.0
    return max(fuzz.token_sort_ratio(key_a, key_b), fuzz.ratio(joined_short, joined_long))


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) == "W" for ch in text)


def is_public_domain(domain: str) -> bool:
    """A mail service anyone can use, or a domain reserved for examples: it tells nothing of the company."""
    domain = domain.lower().strip(".")
    if domain in _RESERVED_DOMAINS or domain.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        return True
    if any(domain == d or domain.endswith("." + d) for d in PUBLIC_MAIL_DOMAINS | _RESERVED_DOMAINS):
        return True
    return domain.split(".", 1)[0] in _PUBLIC_MAIL_NAMES


def email_domains(*cells: str | None) -> tuple[str, ...]:
    """Every domain of the addresses in these cells, lower case, in order, without repeats."""
    found: list[str] = []
    for cell in cells:
        for domain in _DOMAIN.findall(cell or ""):
            domain = domain.lower().strip(".")
            if domain not in found:
                found.append(domain)
    return tuple(found)


def _domain_matches(domain: str, expected: str) -> bool:
    return domain == expected or domain.endswith("." + expected) or expected.endswith("." + domain)


def _id_key(value: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", value).casefold())


def _id_matches(cell: str, expected_ids: Iterable[str]) -> bool:
    # The cell may hold more than the ID ("139691877 Honeywell International Inc."): each run of
    # letters, digits and separators is compared whole, never a part of one.
    whole = _id_key(cell)
    parts = {_id_key(p) for p in re.split(r"\s+|[,;/]", cell) if p.strip()}
    for expected in expected_ids:
        key = _id_key(expected)
        if len(key) >= 3 and (key == whole or key in parts):
            return True
    return False


@dataclass(frozen=True)
class IdentityCheck:
    """What the file's company block says against what we know; ``matches`` when any one agrees."""

    company: str
    best_name: str
    score: float
    id_match: bool
    domains: tuple[str, ...]  # the file's own (not public) mail domains
    domain_match: bool

    @property
    def matches(self) -> bool:
        return self.id_match or self.domain_match or self.score >= NAME_THRESHOLD


def check_identity(
    expected: ExpectedSupplier,
    *,
    company: str,
    unique_id: str | None = None,
    emails: Iterable[str | None] = (),
) -> IdentityCheck:
    """Compare one file's company name, unique ID and e-mail cells with the supplier it was sent to."""
    scored = [(name_score(company, name), name) for name in expected.names if name and name.strip()]
    score, best = max(scored, default=(0.0, expected.name))
    own = tuple(d for d in email_domains(*emails) if not is_public_domain(d))
    theirs = [d for d in expected.email_domains if not is_public_domain(d)]
    return IdentityCheck(
        company=company,
        best_name=best,
        score=score,
        id_match=bool(unique_id) and _id_matches(unique_id, expected.unique_ids),
        domains=own,
        domain_match=any(_domain_matches(d, e) for d in own for e in theirs),
    )


@rule(
    CODE,
    severity="error",
    title="The file is from another company than the supplier it was sent to",
    for_supplier="The file you uploaded names another company than yours.",
    source="Uploads of a customer's or sub-supplier's CMRT in real campaigns; the name, unique ID and "
    "e-mail domains of the Declaration against the supplier record",
    example=Hit(
        "Declaration",
        "D8",
        "The file names “SK specialty Co., Ltd” as the company, not Zhenhua Electronics, the supplier it "
        "was sent to: the names do not match (score 31 of 100, 85 needed), and no unique ID or e-mail "
        "domain of the file is the supplier's.",
        "The file you uploaded names “SK specialty Co., Ltd” as the company, but we asked Zhenhua "
        "Electronics. Please upload Zhenhua Electronics's own declaration, or tell us why the file names "
        "another company (for example, a manufacturer whose declaration you pass on).",
    ),
)
def company_not_the_supplier(context: Context):
    expected = context.expected_supplier
    block = context.response.company
    company = (block.name.value or "").strip() if isinstance(block.name.value, str) else ""
    if expected is None or not company or not block.name.ref:
        return
    found = check_identity(
        expected,
        company=company,
        unique_id=str(block.unique_id.value) if block.unique_id.value not in (None, "") else None,
        emails=(block.contact_email.value, block.authorizer_email.value),
    )
    if found.matches:
        return
    evidence = [f"the names do not match (score {found.score:.0f} of 100, {NAME_THRESHOLD} needed)"]
    if block.unique_id.value and expected.unique_ids:
        evidence.append(f"its unique ID {block.unique_id.value} is not one of the supplier's")
    if found.domains and expected.email_domains:
        many = len(found.domains) > 1
        evidence.append(
            f"its e-mail domain{'s' if many else ''} ({', '.join(found.domains)}) "
            f"{'are' if many else 'is'} not the supplier's ({', '.join(expected.email_domains)})"
        )
    if len(evidence) == 1:
        evidence.append("no unique ID or e-mail domain of the file is the supplier's")
    yield Hit(
        block.name.sheet,
        block.name.address,
        f"The file names “{company}” as the company, not {expected.name}, the supplier it was sent to: "
        + ", ".join(evidence[:-1])
        + (", and " if len(evidence) > 1 else "")
        + evidence[-1]
        + ".",
        f"The file you uploaded names “{company}” as the company, but we asked {expected.name.rstrip('.')}. Please upload "
        f"{expected.name}'s own declaration, or tell us why the file names another company (for example, a "
        "manufacturer whose declaration you pass on).",
    )
