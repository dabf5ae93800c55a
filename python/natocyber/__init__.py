"""natocyber: phrase statistics for official statements about cyber operations.

Tokenization (ICU), interning and counting run in C; results are pandas DataFrames.

>>> import natocyber as nc
>>> nc.tokenize("NATO’s Council strongly condemns the attack.")
["nato's", 'council', 'strongly', 'condemns', 'the', 'attack']
"""
from . import _core, stats
from ._version import __version__
from .corpus import Corpus, count_ngrams
from .counts import MarkerCounts, NgramCounts
from .datasets import sample_corpus, sample_statements
from .lexicon import Lexicon, LexiconError, Marker, PatternError
from .loaders import BOILERPLATE_PATTERNS, LoadError, read_files, strip_boilerplate
from .tokenizer import (ABBREVIATION_CLASSES, Token, Tokenizer, sentences, stem_languages,
                        tokenize, tokens)
from . import plot                # matplotlib is imported on first use
from .report import report        # the function; the module stays natocyber.report

icu_version = _core.icu_version
unicode_version = _core.unicode_version

__all__ = ["Corpus", "Token", "Tokenizer", "tokenize", "tokens", "sentences", "count_ngrams",
           "stem_languages", "icu_version", "unicode_version", "ABBREVIATION_CLASSES",
           "sample_corpus", "sample_statements", "Lexicon", "LexiconError", "Marker",
           "PatternError", "stats", "NgramCounts", "MarkerCounts", "BOILERPLATE_PATTERNS",
           "LoadError", "read_files", "strip_boilerplate", "plot", "report"]
