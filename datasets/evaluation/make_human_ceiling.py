"""Make the human-ceiling tables of datasets/evaluation/ (session 7).

Usage (from the repository root; the fresh set's texts are not shipped, see evaluation/README.md):

    python datasets/evaluation/make_human_ceiling.py FRESH_DIR [FRESH8_DIR]

Writes scores_second_annotator.csv (development set), fresh/scores_second_annotator.csv,
fresh/scores_third_annotator.csv (the 12 even-numbered texts), with FRESH8_DIR (the fresh8 texts,
raw/*.txt) fresh8/scores_second_annotator.csv, fresh8/scores_against_second.csv and
fresh8/agreement_exact.csv, and human_ceiling.csv. Run it after datasets/evaluation/scores_after.csv,
fresh/scores_after.csv and fresh8/scores_after.csv are regenerated.
"""
import os
import sys

import pandas as pd

from govlab.evaluate import evaluate, human_ceiling, pairwise_agreement, read_goals, read_gold, read_split
from govlab.io import write_csv

E = 'datasets/evaluation/'
DEVSET = os.environ.get('GOVLAB_DEVSET_DIR', '../shared/devset')
goals = read_goals()
rows = []


def annotator_scores(texts_dir, folder, name, split, split_map, files=None):
    """Score ``folder/<name>_{codes,figures}.csv`` as the system against the folder's first gold, on
    the texts of ``texts_dir``; write ``folder/scores_<name without _annotation>_annotator.csv``."""
    gold = read_gold(texts_dir, files=files, codes_file=E + folder + 'gold_codes.csv',
                     figures_file=E + folder + 'gold_figures.csv') if folder else read_gold(texts_dir, files=files)
    annotation = read_gold(texts_dir, files=files, codes_file=E + folder + name + '_codes.csv',
                           figures_file=E + folder + name + '_figures.csv')
    scores = evaluate(gold, split=split, split_map=split_map, annotation=annotation).scores
    write_csv(scores, E + folder + 'scores_' + name.replace('_annotation', '_annotator') + '.csv')
    return gold, annotation, scores


def ceiling(scores, system, set_name, annotator, texts, part='heldout'):
    rows.append(human_ceiling(goals, scores, system, part=part).assign(
        set=set_name, part=part, texts=texts, annotator_name=annotator))


stored = lambda path: pd.read_csv(E + path, dtype={'score': str})  # noqa: E731
# development set: the blind second annotator against the first gold (its gold is the folder's own)
sm = read_split()
_, _, ann = annotator_scores(DEVSET, '', 'second_annotation', 'each', sm)
for part in ('heldout', 'tune'):
    ceiling(ann, stored('scores_after.csv'), 'devset', 'second (blind)', sum(p == part for p in sm.values()), part)
# fresh set: the second annotator (24 texts) and the independent third annotator (12 texts)
FRESH = sys.argv[1]
fs = read_split(E + 'fresh/split.csv')
_, _, ann = annotator_scores(FRESH, 'fresh/', 'second_annotation', 'heldout', fs)
ceiling(ann, stored('fresh/scores_after.csv'), 'fresh', 'second (saw no govlab output)', len(fs))
third = sorted(set(pd.read_csv(E + 'fresh/third_annotation_codes.csv').file)
               | set(pd.read_csv(E + 'fresh/third_annotation_figures.csv').file))
sub = dict.fromkeys(third, 'heldout')
g3, _, ann = annotator_scores(FRESH, 'fresh/', 'third_annotation', 'heldout', sub, files=third)
ceiling(ann, evaluate(g3, split='heldout', split_map=sub).scores, 'fresh (12 even texts)', 'third (independent)', len(third))
# fresh8: an independent second annotator of all 36 texts (session 7), when its tables and texts are there
if len(sys.argv) > 2 and os.path.exists(E + 'fresh8/second_annotation_codes.csv'):
    f8 = read_split(E + 'fresh8/split.csv')
    _, sec, ann = annotator_scores(sys.argv[2], 'fresh8/', 'second_annotation', 'heldout', f8)
    ceiling(ann, stored('fresh8/scores_after.csv'), 'fresh8', 'second (independent)', len(f8))
    # govlab against the second annotator's gold: is it closer to one reader than to the other?
    write_csv(evaluate(sec, split='heldout', split_map=f8).scores, E + 'fresh8/scores_against_second.csv')
    table = lambda path: pd.read_csv(E + path, dtype=str, keep_default_na=False)  # noqa: E731
    write_csv(pairwise_agreement({'first': table('fresh8/gold_codes.csv'), 'second': table('fresh8/second_annotation_codes.csv')},
                                 {'first': table('fresh8/gold_figures.csv'), 'second': table('fresh8/second_annotation_figures.csv')}),
              E + 'fresh8/agreement_exact.csv')
out = pd.concat(rows, ignore_index=True)
out = out[['set', 'part', 'texts', 'annotator_name', 'group', 'category', 'metric', 'goal', 'annotator', 'govlab', 'above_ceiling']]
write_csv(out.rename(columns={'annotator_name': 'annotator', 'annotator': 'annotator_score', 'govlab': 'govlab_score'}), E + 'human_ceiling.csv')
print(out.to_string(index=False))
