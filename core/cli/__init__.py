"""The command line (interfaces.md §1): parses arguments, runs the same operations the window
runs (``core.ops``) and the read models, and prints in Vietnamese. The top floor: may import
every floor below it; nothing in ``core`` imports it.
"""
