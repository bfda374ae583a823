"""The entity model: its network, its spaCy component, and how it is trained
(``python cli.py train-ner``).

tagger: the BiLSTM-CRF network and its input encoding; component: that network as the
spaCy component ``claims_bilstm_crf`` the shipped model is made of; corpora: ANERcorp,
WikiFANE and the entity gold read and projected onto our tokens; spans: the guideline's
span rules, shared by training and inference; org_names: the organization-name rule;
vectors: word vectors from SaudiNewsNet; fit: the training loop; train: the whole run;
config.cfg: the model and training settings.
"""
