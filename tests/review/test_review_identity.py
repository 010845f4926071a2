"""company-not-the-supplier: the file's company block against the supplier it was sent to."""

from __future__ import annotations

import datetime as dt

from oretrace.review import ExpectedSupplier, review
from oretrace.review.identity import NAME_THRESHOLD, company_key, is_public_domain, name_score
from oretrace.rollup.analyse import AnalysisSettings, analyse_file
from review.factories import flat, make_response
from samples import SK, shared_file

CODE = "company-not-the-supplier"
ZHENHUA = ExpectedSupplier.of(
    "Shenzhen Zhenhua Electronics Co., Ltd.", emails=["li.wei@zhenhua.com.cn", "sales@zhenhua.com.cn"]
)


def identity_findings(response, expected):
    report = review(response, today=dt.date(2024, 8, 1), expected_supplier=expected)
    return [f for f in report.findings if f.code == CODE]


def test_without_an_expected_supplier_the_rule_does_not_run():
    assert flat(make_response(company={"name": "SK specialty Co., Ltd"})) == []


def test_the_same_company_with_another_legal_form_matches():
    for written in (
        "SHENZHEN ZHENHUA ELECTRONICS CO LTD",
        "Shenzhen Zhenhua Electronics Limited",
        "Shenzhen Zhenhua Electronics Inc.",
        "Shenzhen Zhen Hua Electronics GmbH",
    ):
        response = make_response(company={"name": written})
        assert identity_findings(response, ZHENHUA) == [], written
    assert company_key("Shenzhen Zhenhua Electronics Co., Ltd.") == "shenzhen zhenhua electronics"
    assert company_key("株式会社東芝") == company_key("東芝 株式会社") == "東芝"
    assert company_key("深圳市振华电子有限公司") == "深圳市振华电子"


def test_a_shorter_name_held_whole_matches_but_a_shared_short_word_does_not():
    assert name_score("Honeywell", "Honeywell International Inc.") == 100
    assert name_score("SK hynix Inc.", "SK specialty Co., Ltd") < NAME_THRESHOLD
    assert name_score("3M", "3M Deutschland GmbH") == 100
    assert name_score("LG", "Zhejiang LG Materials") < NAME_THRESHOLD


def test_another_company_is_an_error_on_the_company_name():
    response = make_response(company={"name": "SK specialty Co., Ltd", "contact_email": "kim@sk.com"})
    [finding] = identity_findings(response, ZHENHUA)
    assert (finding.severity, finding.sheet, finding.cell) == ("error", "Declaration", "D8")
    assert "“SK specialty Co., Ltd”" in finding.message
    assert "not Shenzhen Zhenhua Electronics Co., Ltd., the supplier it was sent to" in finding.message
    assert "(sk.com) is not the supplier's (zhenhua.com.cn)" in finding.message
    assert finding.question.startswith(
        "The file you uploaded names “SK specialty Co., Ltd” as the company, but we asked Shenzhen Zhenhua"
    )


def test_a_matching_mail_domain_rescues_a_renamed_company():
    renamed = make_response(
        company={"name": "Everbright Tech Holdings", "authorizer_email": "ceo@mail.zhenhua.com.cn"}
    )
    assert identity_findings(renamed, ZHENHUA) == []


def test_a_matching_unique_id_rescues_a_renamed_company():
    expected = ExpectedSupplier.of("Honeywell Aerospace", unique_ids=["139691877"])
    response = make_response(
        company={"name": "Pacific Holdings", "unique_id": "139691877 Honeywell International Inc."}
    )
    assert identity_findings(response, expected) == []
    other = make_response(company={"name": "Pacific Holdings", "unique_id": "1396918770"})
    assert [f.code for f in identity_findings(other, expected)] == [CODE]


def test_public_and_example_mail_domains_are_no_evidence():
    assert is_public_domain("qq.com") and is_public_domain("vip.163.com") and is_public_domain("yahoo.co.jp")
    assert is_public_domain("example.com") and not is_public_domain("zhenhua.com.cn")
    assert not is_public_domain("tianma.example")
    on_gmail = ExpectedSupplier.of("Zhenhua Electronics", emails=["zhenhua.sales@gmail.com"])
    response = make_response(company={"name": "Golden Bridge Metals", "contact_email": "buyer@gmail.com"})
    [finding] = identity_findings(response, on_gmail)
    assert "no unique ID or e-mail domain of the file is the supplier's" in finding.message


def test_a_file_without_a_company_name_is_left_to_the_checker():
    response = make_response(company={"name": None})
    report = review(response, today=dt.date(2024, 8, 1), expected_supplier=ZHENHUA)
    assert report.flatten(("code", "cell")) == [("required-field-missing", "D8")]


def test_the_other_names_of_a_supplier_count():
    expected = ExpectedSupplier.of("Zhenhua Electronics", other_names=["深圳市振华电子有限公司"])
    response = make_response(company={"name": "深圳市振华电子有限公司"})
    assert identity_findings(response, expected) == []


def test_the_real_file_of_sk_is_an_error_for_zhenhua_and_passes_for_sk():
    settings = AnalysisSettings(today=dt.date(2024, 8, 1))
    sk = shared_file(SK)
    wrong = analyse_file(sk, settings, expected_supplier=ZHENHUA)
    assert CODE in wrong.report.codes()
    right = analyse_file(sk, settings, expected_supplier=ExpectedSupplier.of("SK Specialty"))
    assert CODE not in right.report.codes()
    by_id = analyse_file(
        sk, settings, expected_supplier=ExpectedSupplier.of("SK", unique_ids=["459-88-02246"])
    )
    assert CODE not in by_id.report.codes()


def test_a_list_of_suppliers_naming_the_files_checks_each_file_against_its_supplier(tmp_path):
    from builders import build_cmrt6
    from oretrace.rollup.analyse import analyse_many
    from oretrace.survey.folder import expected_by_file, read_supplier_list

    build_cmrt6(tmp_path / "alpha.xlsx", company={"name": "Alpha Parts GmbH"})
    build_cmrt6(tmp_path / "beta.xlsx", company={"name": "SK specialty Co., Ltd"})
    build_cmrt6(tmp_path / "gamma.xlsx", company={"name": "Gamma Glass"})
    listed = tmp_path / "suppliers-asked.csv"
    # gamma.xlsx is not named in the File column: it is matched by its name and not checked.
    listed.write_text(
        "Supplier,Number,File\nAlpha Parts,S1,ALPHA.xlsx\nBeta Boards,S2,beta.xlsx\nGamma Glass,S3,\n",
        encoding="utf-8",
    )
    expected = expected_by_file(read_supplier_list(listed))
    assert sorted(expected) == ["alpha.xlsx", "beta.xlsx"]
    settings = AnalysisSettings(today=dt.date(2024, 8, 1), suppliers_by_file=expected)
    analyses = analyse_many(sorted(tmp_path.glob("*.xlsx")), settings, workers=1)
    flagged = {a.file_name: CODE in a.report.codes() for a in analyses}
    assert flagged == {"alpha.xlsx": False, "beta.xlsx": True, "gamma.xlsx": False}
