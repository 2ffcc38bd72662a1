"""Practice codes and figures, each with its evidence (character offsets into the clean text).

* :func:`load_codebook` reads and validates the bilingual codebook (``datasets/codebook.yaml``).
* :func:`code_corpus` / :func:`code_text` give a long table of codes with offsets and section;
  :func:`code_profile` turns it into a per-document profile.
* :func:`extract_figures` / :func:`extract_figures_corpus` find every number that counts something,
  with unit, counted thing, approximation and masking (optionally on Dask).
* :func:`extract_step_sequences` finds every named sequence of consultation steps (:func:`extract_loop_steps`
  the main loop) and maps its steps onto the
  canonical vocabulary (``datasets/loop_steps.csv``).
"""
from govlab.coding.codebook import (
                                    Category,
                                    Code,
                                    Codebook,
                                    FigureRules,
                                    check_codebook_examples,
                                    default_codebook_path,
                                    load_codebook,
                                    parse_codebook,
)
from govlab.coding.coding import CODE_COLUMNS, code_corpus, code_profile, code_text, find_sections, validate_text
from govlab.coding.figures import FIGURE_COLUMNS, extract_figures, extract_figures_corpus, parse_number
from govlab.coding.steps import (
    LOOP_COLUMNS,
    SEQUENCE_COLUMNS,
    extract_loop_steps,
    extract_loops,
    extract_step_sequences,
    load_loop_steps,
    map_step,
)

__all__ = [
    "Category", "Code", "Codebook", "FigureRules", "load_codebook", "parse_codebook", "default_codebook_path",
    "check_codebook_examples", "CODE_COLUMNS", "code_text", "code_corpus", "code_profile", "find_sections",
    "validate_text", "FIGURE_COLUMNS", "extract_figures", "extract_figures_corpus", "parse_number",
    "LOOP_COLUMNS", "SEQUENCE_COLUMNS", "load_loop_steps", "map_step", "extract_loop_steps", "extract_loops",
    "extract_step_sequences",
]
