"""The plan as a document: its content, the PDF (WeasyPrint), and the PAdES signature (pyHanko).

`content` reads a plan version into plain data and hashes it; `render` makes the PDF;
`keys` loads (or, in development, creates) the organisation's signing key; `signatures`
signs and validates. Writing the result is `portal.services.signing`'s job.
"""
