"""Small files in the formats each publisher offers, built in the tests (never copied from a download)."""

from __future__ import annotations

OFAC_SDN_XML = b"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation>
    <Publish_Date>11/28/2025</Publish_Date>
    <Record_Count>2</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>36</uid>
    <lastName>AEROCARIBBEAN AIRLINES</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <akaList>
      <aka><uid>12</uid><type>a.k.a.</type><category>strong</category><lastName>AERO-CARIBBEAN</lastName></aka>
    </akaList>
    <addressList><address><uid>25</uid><city>Havana</city><country>Cuba</country></address></addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>7160</uid>
    <firstName>Ivan</firstName>
    <lastName>PETROV</lastName>
    <sdnType>Individual</sdnType>
    <programList><program>RUSSIA-EO14024</program><program>UKRAINE-EO13660</program></programList>
  </sdnEntry>
</sdnList>
"""

# sdn.csv: no header row, "-0-" for empty, and a trailing end-of-file marker line.
OFAC_SDN_CSV = (
    b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    b'7160,"PETROV, Ivan","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970."\r\n'
    b"\x1a\r\n"
)

EU_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-11-30T18:05:12.123+01:00" globalFileId="171234">
  <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.8765.43" logicalId="139071">
    <regulation regulationType="amendment" organisationType="commission" publicationDate="2023-06-23" programme="RUS" logicalId="170000"/>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias firstName="" middleName="" lastName="" wholeName="Ural Precious Metals Refinery JSC" function="" gender="" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="139072"/>
    <nameAlias firstName="" middleName="" lastName="" wholeName="AO Uralskiy Zavod Dragmetallov" function="" gender="" title="" nameLanguage="RU" strong="true" regulationLanguage="en" logicalId="139073"/>
    <address city="Verkhnyaya Pyshma" street="" poBox="" zipCode="" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" logicalId="139074"/>
  </sanctionEntity>
  <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.27.28" logicalId="13">
    <regulation programme="IRQ" logicalId="12"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias wholeName="Example Person" strong="true" logicalId="17"/>
  </sanctionEntity>
</export>
"""

UK_FCDO_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<Designations xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <DateGenerated>01/12/2025</DateGenerated>
  <Designation>
    <LastUpdated>15/06/2024</LastUpdated>
    <DateDesignated>24/02/2023</DateDesignated>
    <UniqueID>RUS1234</UniqueID>
    <RegimeName>Russia</RegimeName>
    <IndividualEntityShip>Entity</IndividualEntityShip>
    <Names>
      <Name><Name6>NORTHERN GOLD REFINERY</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name6>SEVERNY ZOLOTO</Name6><NameType>Alias</NameType></Name>
    </Names>
    <Addresses><Address><AddressLine1>1 Street</AddressLine1><AddressCountry>Russia</AddressCountry></Address></Addresses>
  </Designation>
</Designations>
"""

UK_OFSI_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<ArrayOfFinancialSanctionsTarget xmlns="http://schemas.hmtreasury.gov.uk/ofsi/consolidatedlist">
  <FinancialSanctionsTarget>
    <Name6>NORTHERN GOLD REFINERY</Name6><AliasType>Primary name</AliasType>
    <GroupTypeDescription>Entity</GroupTypeDescription><RegimeName>Russia</RegimeName>
    <Country>Russia</Country><GroupID>15000</GroupID>
  </FinancialSanctionsTarget>
  <FinancialSanctionsTarget>
    <Name6>SEVERNY ZOLOTO</Name6><AliasType>AKA</AliasType>
    <GroupTypeDescription>Entity</GroupTypeDescription><RegimeName>Russia</RegimeName>
    <Country>Russia</Country><GroupID>15000</GroupID>
  </FinancialSanctionsTarget>
</ArrayOfFinancialSanctionsTarget>
"""

# OFSI's ConList.csv: the date on the first line, then the header, one row per name.
UK_OFSI_CSV = (
    b"Last Updated,01/12/2025\r\n"
    b"Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Country,Other Information,"
    b"Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID\r\n"
    b"NORTHERN GOLD REFINERY,,,,,,,,Russia,,Entity,Primary name,Russia,24/02/2023,15/06/2024,15000\r\n"
    b"SEVERNY ZOLOTO,,,,,,,,Russia,,Entity,AKA,Russia,24/02/2023,15/06/2024,15000\r\n"
    b"PETROV,Ivan,,,,,Mr,,Russia,,Individual,Primary name,Russia,24/02/2023,15/06/2024,15001\r\n"
)

LBMA_GOLD_CSV = (
    b"Refiner,Country,Date of Listing\r\n"
    b"Argor-Heraeus SA,Switzerland,1961\r\n"
    b"Asahi Refining Canada Ltd.,Canada,2015\r\n"
)

RJC_CSV = b"Member,Member ID,Country,Certification\r\nExample Refining Ltd,RJC-001,Italy,Chain of Custody\r\n"

# RMI's Conformant page saved as CSV: no status column, the page itself is the status.
RMI_CONFORMANT_CSV = (
    b"Metal,Smelter ID,Standard Smelter Name,Country\r\n"
    b"Gold,CID000035,Agosi AG,Germany\r\n"
    b"Tin,CID000228,Dowa,Japan\r\n"
)

RMI_EXPORT_CSV = (
    b"Metal,Facility ID,Standard Facility Name,Country,Assessment Status\r\n"
    b"Gold,CID000035,Agosi AG,Germany,Conformant\r\n"
    b"Tin,CID000228,Dowa,Japan,\r\n"
)

# Fictional facilities (CID9…), so that no test says a real refiner was suspended.
RMI_CONFORMANT_WITH_CYCLES_CSV = (
    b"Metal,Smelter ID,Standard Smelter Name,Country,Last Audit Date,Audit Cycle\r\n"
    b"Tantalum,CID900001,Example Tantalum Smelter,Rwanda,2025-03-01,1 year\r\n"
    b"Tin,CID900002,Example Tin Smelter,Malaysia,2025-02-01,3 years\r\n"
)

# An RMI notice suspending a facility, saved as CSV: no status column, every facility is suspended.
RMI_SUSPENDED_CSV = (
    b"Metal,Facility ID,Facility Name,Country\r\nTantalum,CID900001,Example Tantalum Smelter,Rwanda\r\n"
)
