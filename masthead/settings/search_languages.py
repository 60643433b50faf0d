"""Each language's search analysis by default (#15), read by ``base``.

Tantivy's stemmer names; "ukrainian" is Masthead's lemma pipeline
(search/ukrainian.py). A language missing here is folded, not stemmed,
unless MASTHEAD_SEARCH_LANGUAGES names an analysis for it.
"""

SEARCH_ANALYSES = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "fi": "finnish", "fr": "french",
    "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "uk": "ukrainian",
}  # fmt: skip
