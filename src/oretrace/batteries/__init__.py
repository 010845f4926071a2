"""Battery due diligence under Regulation (EU) 2023/1542 (the Batteries Regulation), Chapter VII.

Annex X's raw materials and risk categories (categories), whether the obligation applies to a company
for a reporting year (scope), the report's figures from the same roll-up the Conflict Minerals Report
counts (figures), and the Article 52(3) report as a document the CMR's renderers write (report).
"""
