"""The rules of the apprenticeship contract, in plain Python (no Django import).

The same code serves the wizard, the review page and the command line.
"""
