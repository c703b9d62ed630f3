"""Orders in from .xlsx: the order-form template dealers fill in (``dealer``), and the
supermarkets' quote / special order (``supermarket``), O-1. ``reading`` checks the cells of a
row; ``importing`` registers every order of a file in one transaction, or none, naming every
bad row with its row number and reason. Both layouts are documented in the README.
"""
