"""The domain's vocabulary and rules, pure: no Store, no files, no reportlab or matplotlib.

Cases and their one rule set (``cases``), a case's national life and the 766 verdict
(``events``), periods, working days, the indicator registry and typed figures
(``indicators``), Vietnamese formatting and sorting, the office's settings rules.
Imports nothing of the project but itself; ``db`` may import this floor and no other.
"""
