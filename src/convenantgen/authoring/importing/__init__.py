"""``convenantgen import``: bring an existing covenant (DOCX, PDF, text, Staatscourant XML) in.

sources -> paragraphs with their positions; structure -> the dossier's data; write -> YAML with
a comment per item naming its source paragraph; report -> the rebuilt text against the source.
"""
