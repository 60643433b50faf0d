"""Settings of members' comments on articles (docs/comments.md), read by ``base``.

Who may comment, the moderation mode, closing and the held words are site
settings edited in the admin (``comments.CommentSettings``); these are the
operator's limits around them.
"""

import os

# Minutes after posting during which a member may still edit their comment.
MASTHEAD_COMMENT_EDIT_MINUTES = int(
    os.environ.get("MASTHEAD_COMMENT_EDIT_MINUTES", "15")
)
# Comments, replies and edits one member, and one client address, may post per
# window of MASTHEAD_COMMENT_LIMIT_MINUTES; past either the form answers 429.
MASTHEAD_COMMENT_MEMBER_LIMIT = int(
    os.environ.get("MASTHEAD_COMMENT_MEMBER_LIMIT", "5")
)
MASTHEAD_COMMENT_CLIENT_LIMIT = int(
    os.environ.get("MASTHEAD_COMMENT_CLIENT_LIMIT", "20")
)
MASTHEAD_COMMENT_LIMIT_MINUTES = int(
    os.environ.get("MASTHEAD_COMMENT_LIMIT_MINUTES", "10")
)
# A comment with more links than this waits for a moderator.
MASTHEAD_COMMENT_MAX_LINKS = int(os.environ.get("MASTHEAD_COMMENT_MAX_LINKS", "3"))
# A comment form sent back sooner than this after it was shown waits for a
# moderator (a script's, most likely), as does one with the hidden trap filled.
MASTHEAD_COMMENT_MIN_FORM_SECONDS = float(
    os.environ.get("MASTHEAD_COMMENT_MIN_FORM_SECONDS", "3")
)
# Threads (a comment with its replies) per page of an article's comments.
MASTHEAD_COMMENTS_PAGE_SIZE = int(os.environ.get("MASTHEAD_COMMENTS_PAGE_SIZE", "50"))
