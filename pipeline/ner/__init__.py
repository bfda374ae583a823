"""Training the entity model (``python cli.py train-ner``).

corpora: ANERcorp and WikiFANE read and projected onto our tokens; spans: the
guideline's span rules, shared by training and inference; lang: the lexical
attributes the model is built with; vectors: word vectors from SaudiNewsNet;
train: the whole run; config.cfg: the model and training settings.
"""
