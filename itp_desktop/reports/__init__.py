"""PDF documents rendered with reportlab from a frozen report context.

May import: core, stdlib, reportlab. Never Qt or storage.
"""
