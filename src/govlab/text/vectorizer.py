"""The counting of :func:`govlab.text.dfm.count_terms` as a scikit-learn transformer.

Kept apart from :mod:`govlab.text.dfm` so that importing govlab.text does not import scikit-learn.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from govlab.errors import InputError
from govlab.text.lexicon import DEFAULT
from govlab.text.segment import DEFAULT_BACKEND
from govlab.text.tokens import TokenizerSpec

__all__ = ["ChineseCountVectorizer"]


class _Analyzer:
    """Picklable callable: text -> kept tokens (the segmenter is rebuilt after unpickling)."""

    def __init__(self, spec: TokenizerSpec, tolower: bool):
        self.spec = spec
        self.tolower = tolower

    def __call__(self, text: str) -> list[str]:
        if not isinstance(text, str):
            raise InputError(f"expected a string document, got {type(text).__name__}", key="raw_documents")
        keeps = self.spec.keeps
        toks = [t for t in self.spec.segmenter().cut(text) if keeps(t)]
        if not self.tolower:
            return toks
        lex = self.spec.lexicon
        return [t if t in lex else t.lower() for t in toks]


class ChineseCountVectorizer(TransformerMixin, BaseEstimator):
    """Count tokens of Chinese documents: scikit-learn's ``CountVectorizer`` with govlab's segmenter.

    scikit-learn's own default ``token_pattern`` treats a whole Chinese clause as one token; this
    vectorizer segments with govlab's segmenter (rjieba or jieba) and the domain lexicon, removes stopwords and
    punctuation as :func:`govlab.text.tokens.tokens` does, and then counts like ``CountVectorizer``
    (vocabulary sorted, ``min_df`` / ``max_df`` / ``max_features`` applied in ``fit``).

    Parameters
    ----------
    backend : {"rjieba", "jieba"}
    lexicon, stopwords : "default", None, path or iterable of str
    remove_punct, remove_numbers : bool
    lowercase : bool
    min_df, max_df : int or float
        As in ``CountVectorizer`` (a float is a share of documents).
    max_features : int, optional
    binary : bool
    dtype : numpy dtype

    Attributes
    ----------
    vocabulary_ : dict
        term -> column.
    spec_ : TokenizerSpec
        The tokenizer used (its lexicon's sha256 is the provenance).

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import TfidfTransformer
    >>> pipe = make_pipeline(ChineseCountVectorizer(), TfidfTransformer())
    >>> X = pipe.fit_transform(["委员工作站开展协商", "协商议事室开展协商"])
    >>> pipe[0].get_feature_names_out().tolist()
    ['协商议事室', '委员工作站', '开展协商']
    """

    def __init__(self, backend: str = DEFAULT_BACKEND, lexicon: Any = DEFAULT, stopwords: Any = DEFAULT, *,
                 remove_punct: bool = True, remove_numbers: bool = False, lowercase: bool = True,
                 min_df: float | int = 1, max_df: float | int = 1.0, max_features: int | None = None,
                 binary: bool = False, dtype: Any = np.int64):
        self.backend = backend
        self.lexicon = lexicon
        self.stopwords = stopwords
        self.remove_punct = remove_punct
        self.remove_numbers = remove_numbers
        self.lowercase = lowercase
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.binary = binary
        self.dtype = dtype

    def _counter(self):
        from sklearn.feature_extraction.text import CountVectorizer

        spec = TokenizerSpec.make(self.backend, self.lexicon, self.stopwords, remove_punct=self.remove_punct,
                                  remove_numbers=self.remove_numbers)
        cv = CountVectorizer(analyzer=_Analyzer(spec, self.lowercase), min_df=self.min_df, max_df=self.max_df,
                             max_features=self.max_features, binary=self.binary, dtype=self.dtype)
        return spec, cv

    def fit(self, raw_documents: Iterable[str], y=None) -> ChineseCountVectorizer:
        """Learn the vocabulary of ``raw_documents``."""
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents: Iterable[str], y=None) -> sp.csr_matrix:
        """Learn the vocabulary and return the document-term matrix (CSR)."""
        if isinstance(raw_documents, str):
            raise InputError("expected an iterable of documents, got a single string", key="raw_documents")
        spec, cv = self._counter()
        X = cv.fit_transform(raw_documents)
        self.spec_ = spec
        self._cv = cv
        self.vocabulary_ = dict(cv.vocabulary_)
        return X

    def transform(self, raw_documents: Iterable[str]) -> sp.csr_matrix:
        """Count ``raw_documents`` over the fitted vocabulary (unknown tokens are ignored)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "vocabulary_")
        if isinstance(raw_documents, str):
            raise InputError("expected an iterable of documents, got a single string", key="raw_documents")
        return self._cv.transform(raw_documents)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Feature names, in column order."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "vocabulary_")
        return self._cv.get_feature_names_out()
