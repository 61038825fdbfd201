#!/usr/bin/env python3
"""Builds corpus.tsv: planned-exam / prior pairs labelled duplicate / relevant / not-relevant by the rules of the
field, written here on their own (NOT by running Beeldbrug's normaliser or ranker):

  * duplicate    - same modality, the prior covers every planned region (the same region, a region it lies
                   within, e.g. CT thorax/abdomen covers CT thorax; a whole-body exam covers all), not the other
                   side, and done within the modality's window (CT/MR/PET/NM/MG 90 days, US/XR 30 days,
                   DXA 365 days);
  * relevant     - the same region by another modality, the same exam outside the window, the same region of
                   the other side, a bordering region, or a region inside the planned one;
  * not-relevant - anything else.

Every phrase below carries its ground truth (modality, regions, side), assigned by hand from what a radiologist
reads in it. Deterministic: run `python3 make_corpus.py > corpus.tsv`.
"""
import random

# hand-made anatomy for the labelling: parent of each region, bordering pairs, paired regions
PARENT = {
    'brain': 'head', 'skull': 'head', 'face': 'head', 'sinus': 'face', 'orbit': 'face', 'thyroid': 'neck',
    'lung': 'chest', 'heart': 'chest', 'upper-abdomen': 'abdomen', 'liver': 'upper-abdomen',
    'gallbladder': 'upper-abdomen', 'pancreas': 'upper-abdomen', 'kidney': 'abdomen', 'lower-abdomen': 'abdomen',
    'bladder': 'pelvis', 'prostate': 'pelvis', 'cervical-spine': 'spine', 'thoracic-spine': 'spine',
    'lumbar-spine': 'spine', 'sacrum': 'spine', 'shoulder': 'upper-limb', 'upper-arm': 'upper-limb',
    'elbow': 'upper-limb', 'forearm': 'upper-limb', 'wrist': 'upper-limb', 'hand': 'upper-limb',
    'hip': 'lower-limb', 'thigh': 'lower-limb', 'knee': 'lower-limb', 'lower-leg': 'lower-limb',
    'ankle': 'lower-limb', 'foot': 'lower-limb',
}
BORDER = {frozenset(p) for p in [
    ('head', 'neck'), ('neck', 'cervical-spine'), ('neck', 'chest'), ('chest', 'abdomen'), ('chest', 'upper-abdomen'),
    ('chest', 'thoracic-spine'), ('chest', 'breast'), ('abdomen', 'pelvis'), ('lower-abdomen', 'pelvis'),
    ('abdomen', 'lumbar-spine'), ('kidney', 'upper-abdomen'), ('lumbar-spine', 'pelvis'), ('cervical-spine', 'thoracic-spine'),
    ('thoracic-spine', 'lumbar-spine'), ('pelvis', 'hip'), ('hip', 'thigh'), ('thigh', 'knee'), ('knee', 'lower-leg'),
    ('lower-leg', 'ankle'), ('ankle', 'foot'), ('shoulder', 'upper-arm'), ('shoulder', 'chest'), ('upper-arm', 'elbow'),
    ('elbow', 'forearm'), ('forearm', 'wrist'), ('wrist', 'hand'), ('skeleton', 'spine'), ('skeleton', 'pelvis'),
    ('skeleton', 'lower-limb'), ('skeleton', 'upper-limb'), ('skeleton', 'chest'), ('skeleton', 'skull')]}
PAIRED = {'orbit', 'lung', 'breast', 'kidney', 'upper-limb', 'lower-limb', 'shoulder', 'upper-arm', 'elbow',
          'forearm', 'wrist', 'hand', 'hip', 'thigh', 'knee', 'lower-leg', 'ankle', 'foot'}
WINDOW = {'CT': 90, 'MR': 90, 'PT': 90, 'NM': 90, 'MG': 90, 'US': 30, 'XR': 30, 'XA': 30, 'RF': 30, 'DXA': 365}


def chain(r):
    out = [r]
    while r in PARENT:
        r = PARENT[r]
        out.append(r)
    return out


def covers(outer, inner):
    return outer == 'whole-body' or outer in chain(inner)


def borders(a, b):
    if covers(a, b) or covers(b, a):
        return True
    if any(frozenset((x, y)) in BORDER for x in chain(a) for y in chain(b)):
        return True
    pa, pb = PARENT.get(a), PARENT.get(b)
    return pa is not None and pa == pb and pa not in PAIRED


# (text, codes, modality, regions, side) -- codes as system|code separated by spaces
P = [
    ("CT thorax", "SNOMED|51185008", 'CT', {'chest'}, None),
    ("CT thorax met contrast", "", 'CT', {'chest'}, None),
    ("CT Chest", "LOINC|24627-2", 'CT', {'chest'}, None),
    ("CT longen (longembolie)", "", 'CT', {'lung'}, None),
    ("CT thorax/abdomen", "", 'CT', {'chest', 'abdomen'}, None),
    ("CT thorax abdomen bekken", "BPE|CHESTABDPELVIS", 'CT', {'chest', 'abdomen', 'pelvis'}, None),
    ("CT abdomen met contrast", "SNOMED|818983003", 'CT', {'abdomen'}, None),
    ("CT bovenbuik", "", 'CT', {'upper-abdomen'}, None),
    ("CT pancreas protocol", "", 'CT', {'pancreas'}, None),
    ("CT nieren blanco", "", 'CT', {'kidney'}, None),
    ("CT cerebrum", "SNOMED|69536005", 'CT', {'brain'}, None),
    ("CT hersenen zonder contrast", "", 'CT', {'brain'}, None),
    ("CT Head", "LOINC|24725-4", 'CT', {'head'}, None),
    ("CT sinussen", "", 'CT', {'sinus'}, None),
    ("CT hals", "", 'CT', {'neck'}, None),
    ("CTA carotiden", "", 'CT', {'vessels', 'neck'}, None),
    ("CT LWK", "", 'CT', {'lumbar-spine'}, None),
    ("CT cervicale wervelkolom", "BPE|CSPINE", 'CT', {'cervical-spine'}, None),
    ("CT bekken", "", 'CT', {'pelvis'}, None),
    ("CT enkel rechts", "", 'CT', {'ankle'}, 'R'),
    ("CT pols links", "", 'CT', {'wrist'}, 'L'),
    ("MRI knie links", "SNOMED|72696002", 'MR', {'knee'}, 'L'),
    ("MRI knie li", "", 'MR', {'knee'}, 'L'),
    ("MR knee left", "", 'MR', {'knee'}, 'L'),
    ("MRI knie rechts", "", 'MR', {'knee'}, 'R'),
    ("MRI knie re", "BPE|KNEE", 'MR', {'knee'}, 'R'),
    ("MRI LWK", "SNOMED|421060004", 'MR', {'lumbar-spine'}, None),
    ("MRI lumbale wervelkolom", "", 'MR', {'lumbar-spine'}, None),
    ("MRI CWK", "", 'MR', {'cervical-spine'}, None),
    ("MRI TWK", "", 'MR', {'thoracic-spine'}, None),
    ("MRI hersenen", "SNOMED|69536005", 'MR', {'brain'}, None),
    ("MR Brain", "LOINC|24590-2", 'MR', {'brain'}, None),
    ("MRI cerebrum met gadolinium", "", 'MR', {'brain'}, None),
    ("MRI schouder rechts", "", 'MR', {'shoulder'}, 'R'),
    ("MRI schouder links", "", 'MR', {'shoulder'}, 'L'),
    ("MRI heup links", "", 'MR', {'hip'}, 'L'),
    ("MRI bekken", "", 'MR', {'pelvis'}, None),
    ("MRI prostaat", "", 'MR', {'prostate'}, None),
    ("MRI lever", "", 'MR', {'liver'}, None),
    ("MRCP", "", 'MR', {'upper-abdomen'}, None),
    ("MRI mammae", "", 'MR', {'breast'}, 'B'),
    ("MRI enkel rechts", "", 'MR', {'ankle'}, 'R'),
    ("MRI hart", "", 'MR', {'heart'}, None),
    ("Echo bovenbuik", "SNOMED|818983003", 'US', {'upper-abdomen'}, None),
    ("Echo abdomen", "", 'US', {'abdomen'}, None),
    ("echo lever en galblaas", "", 'US', {'liver', 'gallbladder'}, None),
    ("Echo nieren", "", 'US', {'kidney'}, None),
    ("Echo mamma rechts", "SNOMED|76752008", 'US', {'breast'}, 'R'),
    ("Echo mamma links", "", 'US', {'breast'}, 'L'),
    ("Echo schildklier", "", 'US', {'thyroid'}, None),
    ("Echo hals", "", 'US', {'neck'}, None),
    ("Echo schouder links", "", 'US', {'shoulder'}, 'L'),
    ("Echo knie rechts", "", 'US', {'knee'}, 'R'),
    ("Echo onderbuik", "", 'US', {'lower-abdomen'}, None),
    ("Duplex carotiden", "", 'US', {'vessels', 'neck'}, None),
    ("X-thorax", "SNOMED|51185008", 'XR', {'chest'}, None),
    ("Thoraxfoto", "", 'XR', {'chest'}, None),
    ("XR Chest 2 Views", "LOINC|36643-5", 'XR', {'chest'}, None),
    ("Rontgen thorax", "DCM|CR", 'XR', {'chest'}, None),
    ("X-knie rechts", "SNOMED|72696002", 'XR', {'knee'}, 'R'),
    ("X-knie links", "", 'XR', {'knee'}, 'L'),
    ("Kniefoto li", "", 'XR', {'knee'}, 'L'),
    ("X-heup links", "", 'XR', {'hip'}, 'L'),
    ("X-bekken", "", 'XR', {'pelvis'}, None),
    ("X-LWK", "", 'XR', {'lumbar-spine'}, None),
    ("X-CWK", "", 'XR', {'cervical-spine'}, None),
    ("X-pols rechts", "", 'XR', {'wrist'}, 'R'),
    ("X-hand links", "", 'XR', {'hand'}, 'L'),
    ("X-enkel rechts", "", 'XR', {'ankle'}, 'R'),
    ("X-voet rechts", "", 'XR', {'foot'}, 'R'),
    ("X-schouder rechts", "", 'XR', {'shoulder'}, 'R'),
    ("X-elleboog links", "", 'XR', {'elbow'}, 'L'),
    ("X-buikoverzicht", "", 'XR', {'abdomen'}, None),
    ("X-abdomen", "", 'XR', {'abdomen'}, None),
    ("Mammografie beiderzijds", "SNOMED|76752008", 'MG', {'breast'}, 'B'),
    ("Mammografie rechts", "", 'MG', {'breast'}, 'R'),
    ("Mammography bilateral", "", 'MG', {'breast'}, 'B'),
    ("Skeletscintigrafie", "SNOMED|272673000", 'NM', {'skeleton'}, None),
    ("Botscan", "", 'NM', {'skeleton'}, None),
    ("Schildklierscintigrafie", "", 'NM', {'thyroid'}, None),
    ("Longscintigrafie", "", 'NM', {'lung'}, None),
    ("FDG PET-CT total body", "", 'PT', {'whole-body'}, None),
    ("PET-CT whole body", "DCM|PT", 'PT', {'whole-body'}, None),
    # harder, as found in real order and study texts: abbreviations, reasons, compounds, word order, codes only
    ("CT-thorax i.v. contrast", "", 'CT', {'chest'}, None),
    ("Ro thorax PA en lateraal", "", 'XR', {'chest'}, None),
    ("thorax PA/lat", "DCM|DX", 'XR', {'chest'}, None),
    ("US abd", "", 'US', {'abdomen'}, None),
    ("MRI knie links ivm meniscusletsel", "", 'MR', {'knee'}, 'L'),
    ("CT hersenen ivm CVA", "", 'CT', {'brain'}, None),
    ("Echo bovenbuik ivm galstenen", "", 'US', {'upper-abdomen'}, None),
    ("MR L-wervelkolom", "", 'MR', {'lumbar-spine'}, None),
    ("MRI rechterknie", "", 'MR', {'knee'}, 'R'),
    ("MRI linkerschouder", "", 'MR', {'shoulder'}, 'L'),
    ("Echo li mamma", "", 'US', {'breast'}, 'L'),
    ("CT abdomen/bekken", "", 'CT', {'abdomen', 'pelvis'}, None),
    ("CT-scan buik", "", 'CT', {'abdomen'}, None),
    ("X thorax staand", "", 'XR', {'chest'}, None),
    ("MRI wervelkolom totaal", "", 'MR', {'spine'}, None),
    ("Knie rechts MRI", "", 'MR', {'knee'}, 'R'),
    ("HRCT thorax", "", 'CT', {'chest'}, None),
    ("study", "DCM|MR BPE|KNEE", 'MR', {'knee'}, None),
    ("onderzoek", "DCM|CT SNOMED|51185008", 'CT', {'chest'}, None),
    # held out: written after the maps were last changed, and the maps were not changed for them
    ("CT thorax ivm verdenking longembolie", "", 'CT', {'chest'}, None),
    ("Echo abdomen totaal", "", 'US', {'abdomen'}, None),
    ("MRI knie L", "", 'MR', {'knee'}, 'L'),
    ("X-thorax PA", "", 'XR', {'chest'}, None),
    ("Mammografie screening", "", 'MG', {'breast'}, 'B'),
    ("MRI hersenen met contrast", "", 'MR', {'brain'}, None),
    ("X-enkel li", "", 'XR', {'ankle'}, 'L'),
    ("Echo nier rechts", "", 'US', {'kidney'}, 'R'),
    ("CT-scan hoofd", "", 'CT', {'head'}, None),
    ("MRI heup re", "", 'MR', {'hip'}, 'R'),
    ("X-thorax liggend", "", 'XR', {'chest'}, None),
    ("MRI cervicale wervelkolom", "", 'MR', {'cervical-spine'}, None),
    ("Echo schildklier en hals", "", 'US', {'neck'}, None),
    ("CT bovenbuik en thorax", "", 'CT', {'upper-abdomen', 'chest'}, None),
    ("DEXA heupen en LWK", "", 'DXA', {'hip', 'lumbar-spine'}, 'B'),
    ("Botdichtheidsmeting", "", 'DXA', {'skeleton'}, None),
]


def label(plan, prior, days):
    pm, pr, ps = plan[2], plan[3], plan[4]
    qm, qr, qs = prior[2], prior[3], prior[4]
    paired = any(r in PAIRED for r in pr)
    other_side = paired and {ps, qs} == {'L', 'R'}
    cov = all(any(covers(q, p) for q in qr) for p in pr)
    overlap = any(covers(q, p) for q in qr for p in pr)
    within = any(covers(p, q) for q in qr for p in pr)
    border = any(borders(p, q) for q in qr for p in pr)
    if pm == qm and cov and not other_side and days <= WINDOW[pm]:
        return 'duplicate', 'same modality %s, prior covers %s, %d days <= %d-day window' % (pm, '+'.join(sorted(pr)), days, WINDOW[pm])
    if (cov or overlap) and other_side:
        return 'relevant', 'same region, other side'
    if cov or overlap:
        if pm == qm:
            return 'relevant', 'same exam but %d days > %d-day window' % (days, WINDOW[pm])
        return 'relevant', 'same region %s by %s instead of %s' % ('+'.join(sorted(pr & qr or qr)), qm, pm)
    if within:
        return 'relevant', 'prior region lies within the planned region'
    if border:
        return 'relevant', 'bordering region'
    return 'not-relevant', 'unrelated regions %s vs %s' % ('+'.join(sorted(pr)), '+'.join(sorted(qr)))


def main():
    rnd = random.Random(20261129)
    rows = []
    # every phrase gets planned against: itself in and out of window, a same-region other-modality phrase,
    # a bordering one, the other side (when paired) and an unrelated one, plus random pairs
    by_kind = {}
    for i, plan in enumerate(P):
        candidates = []
        same = [q for q in P if q is not plan and q[2] == plan[2] and q[3] == plan[3] and q[4] == plan[4]]
        candidates.append((same[0] if same else plan, rnd.randint(1, WINDOW[plan[2]])))
        candidates.append((plan, WINDOW[plan[2]] + rnd.randint(20, 900)))
        other_mod = [q for q in P if q[2] != plan[2] and q[3] & plan[3]]
        if other_mod:
            candidates.append((rnd.choice(other_mod), rnd.randint(1, 700)))
        near = [q for q in P if not (q[3] & plan[3]) and any(borders(p, r) for p in plan[3] for r in q[3])]
        if near:
            candidates.append((rnd.choice(near), rnd.randint(1, 400)))
        sides = [q for q in P if q[2] == plan[2] and q[3] == plan[3] and {q[4], plan[4]} == {'L', 'R'}]
        if sides:
            candidates.append((rnd.choice(sides), rnd.randint(1, 60)))
        far = [q for q in P if not any(borders(p, r) for p in plan[3] for r in q[3])]
        if far:
            candidates.append((rnd.choice(far), rnd.randint(1, 400)))
        for _ in range(2):
            candidates.append((rnd.choice(P), rnd.randint(1, 1500)))
        for prior, days in candidates:
            lab, why = label(plan, prior, days)
            rows.append((plan, prior, days, lab, why))
    print('# Labelled prior-study corpus (issue 5). Built by make_corpus.py from hand-assigned ground truth and the')
    print('# rules in its docstring, not from Beeldbrug output. Columns: id, planned text, planned codes, prior text,')
    print('# prior codes, prior age in days before the planned date, label, reasoning.')
    print('id\tplanned\tplanned_codes\tprior\tprior_codes\tdays_before\tlabel\treasoning')
    for n, (plan, prior, days, lab, why) in enumerate(rows, 1):
        print('\t'.join([str(n), plan[0], plan[1], prior[0], prior[1], str(days), lab, why]))


main()
