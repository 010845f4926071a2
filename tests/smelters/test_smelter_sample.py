"""The sample of RMI's smelter list the demo uses without RMI's templates: real facilities, marked as a sample."""

from __future__ import annotations

import pytest

from oretrace.smelters import reference_from_template
from oretrace.smelters.sample import SAMPLE_RELEASE, is_sample, sample_reference
from samples import TEMPLATES, shared_file


def test_the_sample_covers_the_four_metals_with_a_few_dozen_facilities_marked_as_a_sample():
    sample = sample_reference()
    assert 30 <= len(sample) <= 60
    assert set(sample.counts_by_metal()) == {"Gold", "Tin", "Tantalum", "Tungsten"}
    assert min(sample.counts_by_metal().values()) >= 7
    assert sample.release == SAMPLE_RELEASE and is_sample(sample.release)
    assert all(f.source and "not RMI's full list" in f.source for f in sample.facilities)
    assert not is_sample("CMRT 6.5") and not is_sample(None)
    assert is_sample(f"CMRT 6.4, {SAMPLE_RELEASE}")


@pytest.mark.shared
def test_every_facility_of_the_sample_is_on_rmis_list_with_its_id_metal_name_and_country():
    rmi = reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx"))
    for facility in sample_reference().facilities:
        listed = rmi.get(facility.smelter_id)
        assert listed is not None, facility.smelter_id
        assert (listed.metal, listed.name) == (facility.metal, facility.name)
        assert (listed.country or "").casefold() == facility.country.casefold()
        assert set(facility.aliases) <= set(listed.names), facility.smelter_id
