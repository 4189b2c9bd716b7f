"""How long an article's long texts may be, in characters.

Plain numbers with no imports: the settings size the request limit from them.
"""

MAX_BODY_LENGTH = 200_000
# A correction is a note of a few sentences shown above the body.
MAX_CORRECTION_LENGTH = 2_000
