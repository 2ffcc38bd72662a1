"""Comparing localities: profiles, loop alignment, similarity and a crisp-set QCA core.

* :func:`locality_profiles` -- one row per report (platforms, loop, mechanisms, problems, figures).
* :func:`align_loops` / :func:`alignment_matrix` / :func:`align_pair` -- Needleman-Wunsch alignment
  of named loops onto the canonical step vocabulary.
* :func:`profile_similarity`, :func:`term_similarity`, :func:`text_similarity`,
  :func:`topic_composition` -- similarity heatmap data and topic shares, computed by
  :mod:`govlab.text` (TF-IDF, cosine similarity, NMF): one path per method.
* :func:`truth_table`, :func:`consistency`, :func:`set_coverage`, :func:`necessity`, :func:`minimize`
  -- QCA after Ragin (2008).
* :func:`build_report_tables` / :func:`read_report_tables` -- the derived tables in
  ``datasets/reports/``.
"""
from govlab.compare.loops import align_loops, align_pair, alignment_matrix, loop_similarity, needleman_wunsch
from govlab.compare.profiles import PROFILE_COLUMNS, format_figure, key_figures, locality_profiles
from govlab.compare.qca import (
                                DEFAULT_CONDITIONS,
                                consistency,
                                minimize,
                                necessity,
                                outcome_scale,
                                qca_conditions,
                                set_coverage,
                                solution_table,
                                truth_table,
)
from govlab.compare.reports import (
                                REPORT_TABLES,
                                build_report_tables,
                                read_report_tables,
                                report_tables,
                                report_term_counts,
                                write_report_tables,
)
from govlab.compare.similarity import (
                                profile_similarity,
                                similarity_long,
                                term_similarity,
                                text_similarity,
                                topic_composition,
)

__all__ = [
    "needleman_wunsch", "align_loops", "alignment_matrix", "align_pair", "loop_similarity",
    "locality_profiles", "format_figure", "key_figures", "PROFILE_COLUMNS",
    "consistency", "set_coverage", "truth_table", "necessity", "minimize", "solution_table", "DEFAULT_CONDITIONS",
    "qca_conditions", "outcome_scale",
    "build_report_tables", "write_report_tables", "read_report_tables", "report_tables", "report_term_counts",
    "REPORT_TABLES",
    "profile_similarity", "term_similarity", "text_similarity", "similarity_long",
    "topic_composition",
]
