"""Every port of the services kept in memory, for fast tests of the use cases.

They keep what the DynamoDB stores keep, with the same answers: the same errors, conditions,
orders and paging, checked by one contract suite run against both (tests/contract/). Nothing
here is used by the deployed app.
"""
