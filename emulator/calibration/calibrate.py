#!/usr/bin/env python3
"""Derive the generator's vocabularies and statistics from the real sample, and compare a
generated archive with it.

A dev tool: tests and CI never run it (the reference data is not shipped). Usage:

  calibrate.py derive  REFERENCE_DIR [--out RESOURCE_DIR]   # writes vocabularies, prints statistics
  calibrate.py compare REFERENCE_DIR ARCHIVE_DIR [--prefix pinterest]

REFERENCE_DIR is the reference-data folder holding aicore-sample/{pin,geo,user}.jsonl and
chefdata-322/*.csv. Nothing here copies a record: vocabularies are single tokens and names that
occur in at least two records (per category for text), and statistics are counts and histograms.
"""
import argparse
import collections
import csv
import glob
import json
import math
import os
import re
import sys

C = collections.Counter
UIE = 'User Info Error'
NO_TITLE = 'No Title Data Available'
STORY_DESC = 'No description available Story format'
NO_DESC = 'No description available'
UNTITLED = 'Untitled'
NO_TAGS = 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e'
IMG_ERR = 'Image src error.'
STORY = 'multi-video(story page format)'
TRUNCATION = '\u2026\u00a0'  # "…" then a no-break space, how Pinterest cut long descriptions
# Tokens we never want in a vocabulary even if frequent: links and handles identify their source.
UNWANTED = re.compile(r'(https?:|www\.|\.com/|@)', re.I)


def load_sample(ref):
    def jsonl(kind):
        with open(os.path.join(ref, 'aicore-sample', kind + '.jsonl'), encoding='utf-8') as f:
            return [json.loads(line) for line in f]
    pins, geos, users = jsonl('pin'), jsonl('geo'), jsonl('user')
    assert all(p['index'] == g['ind'] == u['ind'] for p, g, u in zip(pins, geos, users))
    return pins, geos, users


def load_chef(ref, kind):
    with open(os.path.join(ref, 'chefdata-322', kind + '.csv'), encoding='utf-8') as f:
        return list(csv.DictReader(f))


def profile(p):
    """The combination of placeholders a pin carries (they come in fixed combinations)."""
    f = []
    if p['poster_name'] == UIE: f.append('USER_INFO_ERROR')
    if p['title'] == NO_TITLE: f.append('NO_TITLE')
    if p['title'] == '': f.append('EMPTY_TITLE')
    if p['description'] == STORY_DESC: f.append('STORY')
    if p['description'] == NO_DESC: f.append('NO_DESCRIPTION')
    if p['description'] == UNTITLED: f.append('UNTITLED')
    if p['tag_list'] == NO_TAGS: f.append('NO_TAGS')
    if p['image_src'] == IMG_ERR: f.append('IMAGE_SRC_ERROR')
    return '+'.join(f) or 'CLEAN'


def follower_format(s):
    if s == UIE: return 'error'
    if re.fullmatch(r'\d+k', s): return 'k'
    if re.fullmatch(r'\d+M', s): return 'M'
    if re.fullmatch(r'\d+', s): return 'digits'
    return 'other'


def hist(values, edges):
    """Counts of values in [edges[i], edges[i+1])."""
    out = [0] * (len(edges) - 1)
    for v in values:
        for i in range(len(edges) - 1):
            if edges[i] <= v < edges[i + 1]:
                out[i] += 1
                break
    return out


def write_weighted(path, counter, min_count):
    """One entry a line, "<count>\t<entry>", most frequent first (ties by code point)."""
    rows = sorted(((n, w) for w, n in counter.items() if n >= min_count), key=lambda x: (-x[0], x[1]))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        for n, w in rows:
            f.write('%d\t%s\n' % (n, w))
    return len(rows)


def write_plain(path, entries):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        for e in sorted(entries):
            f.write(e + '\n')
    return len(entries)


def tokens(text):
    return [t for t in text.split() if not UNWANTED.search(t)]


def derive(args):
    pins, geos, users = load_sample(args.reference)
    n = len(pins)
    out = args.out
    stat = []  # lines of Java constants, printed for ReferenceStatistics.java

    def say(line=''):
        stat.append(line)

    say('// sample events: %d' % n)
    say('// pin profiles (rows): %s' % dict(C(profile(p) for p in pins).most_common()))
    say('// categories (rows): %s' % dict(sorted(C(p['category'] for p in pins).items())))
    media = C(p['is_image_or_video'] for p in pins)
    say('// is_image_or_video (rows): %s' % dict(media))
    shape = C()
    for p in pins:
        s = re.sub(r'[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}', 'H', p['image_src'])
        shape[(p['is_image_or_video'], s)] += 1
    say('// image_src shapes (rows): %s' % dict(shape.most_common()))
    say('// follower_count formats (rows): %s' % dict(C(follower_format(p['follower_count']) for p in pins)))

    # An "account" is a poster: in the sample a poster name maps to exactly one person and one
    # location, so poster, person and place are one recurring entity.
    accounts = {}
    rows_of = collections.defaultdict(list)
    for p, g, u in zip(pins, geos, users):
        rows_of[p['poster_name']].append(p)
        if p['poster_name'] != UIE:
            accounts[p['poster_name']] = (p, g, u)
    persons = C((u['first_name'], u['last_name'], u['age'], u['date_joined']) for u in users)
    say('// persons: %d, rows per person %.4f; histogram %s'
        % (len(persons), n / len(persons), sorted(C(persons.values()).items())))
    non_error_rows = sum(1 for p in pins if p['poster_name'] != UIE)
    say('// new-account probability = accounts without the error account / rows without it = %d / %d'
        % (len(accounts), non_error_rows))

    # Home category: P(two rows of one account share a category) = h^2 + (1 - h^2) S.
    cats = C(p['category'] for p in pins)
    s2 = sum((c / n) ** 2 for c in cats.values())
    same = pairs = 0
    for name, rows in rows_of.items():
        if name == UIE: continue
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                pairs += 1
                same += rows[i]['category'] == rows[j]['category']
    psame = same / pairs
    h = math.sqrt(max(0.0, (psame - s2) / (1 - s2)))
    say('// home category: same-category share over %d same-account row pairs %.4f, S=%.4f -> h=%.3f'
        % (pairs, psame, s2, h))

    acc = list(accounts.values())
    fmt = C(follower_format(p['follower_count']) for p, g, u in acc)
    say('// follower formats per account: %s' % dict(fmt))
    kvals = [int(p['follower_count'][:-1]) for p, g, u in acc if follower_format(p['follower_count']) == 'k']
    dvals = [int(p['follower_count']) for p, g, u in acc if follower_format(p['follower_count']) == 'digits']
    mvals = C(int(p['follower_count'][:-1]) for p, g, u in acc if follower_format(p['follower_count']) == 'M')
    k_edges = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000]
    d_edges = [0, 1, 10, 30, 100, 200, 300, 500, 700, 1000]
    say('// "<n>k" per account, bins %s: %s' % (k_edges, hist(kvals, k_edges)))
    say('// digits per account, bins %s: %s' % (d_edges, hist(dvals, d_edges)))
    say('// "<n>M" per account: %s' % dict(sorted(mvals.items())))
    say('// ages per person 20..60: %s' % [C(u['age'] for p, g, u in acc)[a] for a in range(20, 61)])
    say('// age range rows: %d..%d' % (min(u['age'] for u in users), max(u['age'] for u in users)))
    dj = sorted(u['date_joined'] for u in users)
    say('// date_joined rows: %s .. %s' % (dj[0], dj[-1]))
    months = C()
    for p, g, u in acc:
        y, m, d = int(u['date_joined'][:4]), int(u['date_joined'][5:7]), int(u['date_joined'][8:10])
        # 24 month-long bins starting on the 20th: [2015-10-20, 2015-11-20), ...
        k = (y - 2015) * 12 + (m - 10) - (1 if d < 20 else 0)
        months[k] += 1
    say('// date_joined per person, month bins from 2015-10-20: %s' % [months[k] for k in range(24)])
    ts = sorted(g['timestamp'] for g in geos)
    say('// timestamp rows: %s .. %s; per year %s' % (ts[0], ts[-1], sorted(C(t[:4] for t in ts).items())))
    lat = [g['latitude'] for p, g, u in acc]
    lon = [g['longitude'] for p, g, u in acc]
    say('// latitude per account, 10-degree bins from -90: %s' % hist(lat, list(range(-90, 91, 10))[:-1] + [90.0001]))
    say('// longitude per account, 30-degree bins from -180: %s' % hist(lon, list(range(-180, 181, 30))[:-1] + [180.0001]))
    sig = C(len(re.sub(r'[-.]', '', repr(x)).lstrip('0')) for x in lat + lon)
    say('// significant digits of coordinates: %s' % dict(sorted(sig.items())))

    clean = [p for p in pins if p['poster_name'] != UIE]
    say('// title words (rows, non-empty): %s' % sorted(C(len(p['title'].split()) for p in clean if p['title']).items()))
    descs = [p['description'] for p in clean if p['description'] not in (STORY_DESC, NO_DESC, UNTITLED, '')]
    trunc = [d for d in descs if d.endswith(TRUNCATION)]
    say('// descriptions: %d real, %d cut with "…\\u00a0"; cut lengths %s'
        % (len(descs), len(trunc), dict(C(len(d) for d in trunc))))
    whole = [d for d in descs if not d.endswith(TRUNCATION)]
    say('// uncut description words: %s' % sorted(C(len(d.split()) for d in whole).items()))
    say('// uncut descriptions ending in . ! ?: %d of %d'
        % (sum(1 for d in whole if d[-1] in '.!?'), len(whole)))
    tags = [p['tag_list'] for p in clean if p['tag_list'] != NO_TAGS]
    say('// tags per list: %s' % sorted(C(len(t.split(',')) for t in tags).items()))
    say('// words per tag: %s' % sorted(C(len(x.split()) for t in tags for x in t.split(',')).items()))
    say('// poster name words per account: %s' % sorted(C(len(name.split()) for name in accounts).items()))
    na = lambda s: any(ord(c) > 127 for c in s)
    say('// non-ASCII share (rows): title %.4f description %.4f poster %.4f tags %.4f' % tuple(
        sum(na(p[f]) for p in clean) / len(clean) for f in ('title', 'description', 'poster_name', 'tag_list')))

    # Vocabularies.
    voc = os.path.join(out, 'io', 'pinpipe', 'emulator', 'vocabulary') if not out.endswith('vocabulary') else out
    chef_geo = load_chef(args.reference, 'geo')
    chef_user = load_chef(args.reference, 'user')
    # Country weights: accounts per country (plus one, so every seen country can occur).
    country_accounts = C(g['country'] for p, g, u in acc)
    for c in set(g['country'] for g in geos) | set(r['country'] for r in chef_geo):
        country_accounts[c] += 1
    sizes = {'countries': write_weighted(os.path.join(voc, 'countries.txt'), country_accounts, 1)}
    sizes['first_names'] = write_plain(os.path.join(voc, 'first_names.txt'),
                                       set(u['first_name'] for u in users) | set(r['first_name'] for r in chef_user))
    sizes['last_names'] = write_plain(os.path.join(voc, 'last_names.txt'),
                                      set(u['last_name'] for u in users) | set(r['last_name'] for r in chef_user))
    poster_words = C(w for name in accounts for w in tokens(name))
    sizes['poster_words'] = write_weighted(os.path.join(voc, 'poster_words.txt'), poster_words, 2)
    for cat in sorted(cats):
        ps = [p for p in clean if p['category'] == cat]
        title = C(w for p in ps for w in tokens(p['title']))
        desc = C()
        for p in ps:
            d = p['description']
            if d in (STORY_DESC, NO_DESC, UNTITLED): continue
            words = tokens(d[:-len(TRUNCATION)] if d.endswith(TRUNCATION) else d)
            if d.endswith(TRUNCATION): words = words[:-1]  # the cut-off last word is not a word
            desc.update(words)
        tag = C(w for p in ps if p['tag_list'] != NO_TAGS for t in p['tag_list'].split(',') for w in tokens(t))
        sizes['title/' + cat] = write_weighted(os.path.join(voc, 'title', cat + '.txt'), title, 2)
        sizes['description/' + cat] = write_weighted(os.path.join(voc, 'description', cat + '.txt'), desc, 2)
        sizes['tag/' + cat] = write_weighted(os.path.join(voc, 'tag', cat + '.txt'), tag, 2)
    total = sum(os.path.getsize(f) for f in glob.glob(os.path.join(voc, '**', '*.txt'), recursive=True))
    say('// vocabulary entries: %s; %d bytes' % (sizes, total))
    print('\n'.join(stat))


def archive_lines(root, prefix, kind):
    """The records of one topic in file order (offsets ascending within a partition)."""
    for path in sorted(glob.glob(os.path.join(root, 'topics', prefix + '.' + kind, '**', '*.json'),
                                 recursive=True)):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


class Figures:
    """The figures the generator is calibrated on, accumulated one aligned event at a time."""

    PREDICATES = [
        ('follower_count/poster_name User Info Error',
         lambda p: p['follower_count'] == UIE and p['poster_name'] == UIE),
        ('title No Title Data Available', lambda p: p['title'] == NO_TITLE),
        ('title empty', lambda p: p['title'] == ''),
        ('description story format', lambda p: p['description'] == STORY_DESC),
        ('description No description available', lambda p: p['description'] == NO_DESC),
        ('description Untitled', lambda p: p['description'] == UNTITLED),
        ('tag_list No Tags', lambda p: p['tag_list'] == NO_TAGS),
        ('image_src error', lambda p: p['image_src'] == IMG_ERR),
        ('video', lambda p: p['is_image_or_video'] == 'video'),
        ('follower <n>k', lambda p: follower_format(p['follower_count']) == 'k'),
        ('follower <n>M', lambda p: follower_format(p['follower_count']) == 'M'),
        ('follower digits', lambda p: follower_format(p['follower_count']) == 'digits'),
    ]

    def __init__(self, real_texts=None):
        self.n = 0
        self.hits = C()
        self.story_ok = self.image_ok = True
        self.persons = C()
        self.posters = set()
        self.categories = C()
        self.countries = set()
        self.ages = set()
        self.joined = [None, None]
        self.stamps = [None, None]
        self.real_texts = real_texts
        self.copied = C()

    def add(self, p, g, u):
        self.n += 1
        for name, pred in self.PREDICATES:
            self.hits[name] += pred(p)
        self.story_ok &= (p['is_image_or_video'] == STORY) == (p['description'] == STORY_DESC)
        self.image_ok &= (p['image_src'] == IMG_ERR) == (p['downloaded'] == 0)
        self.persons[(u['first_name'], u['last_name'], u['age'], u['date_joined'])] += 1
        self.posters.add(p['poster_name'])
        self.categories[p['category']] += 1
        self.countries.add(g['country'])
        self.ages.add(u['age'])
        for span, v in ((self.joined, u['date_joined']), (self.stamps, g['timestamp'])):
            span[0] = v if span[0] is None or v < span[0] else span[0]
            span[1] = v if span[1] is None or v > span[1] else span[1]
        if self.real_texts is not None:
            for field in ('title', 'description', 'tag_list', 'poster_name'):
                if p[field] in self.real_texts[field]:
                    self.copied[field] += 1

    def table(self):
        r = collections.OrderedDict()
        r['events'] = self.n
        for name, _ in self.PREDICATES:
            r[name] = self.hits[name] / self.n
        r['story <=> story description'] = self.story_ok
        r['image src error <=> downloaded 0'] = self.image_ok
        r['rows per person'] = self.n / len(self.persons)
        r['persons with one row'] = sum(1 for c in self.persons.values() if c == 1) / len(self.persons)
        r['rows of the busiest person'] = max(self.persons.values())
        r['rows per poster name'] = self.n / len(self.posters)
        r['categories'] = len(self.categories)
        r['countries'] = len(self.countries)
        r['age range'] = '%d..%d' % (min(self.ages), max(self.ages))
        r['date_joined range'] = '%s..%s' % (self.joined[0][:10], self.joined[1][:10])
        r['timestamp range'] = '%s..%s' % (self.stamps[0][:10], self.stamps[1][:10])
        for cat, c in sorted(self.categories.items()):
            r['category ' + cat] = c / self.n
        if self.real_texts is not None:
            for field in ('title', 'description', 'tag_list', 'poster_name'):
                r['%s equal to a real one' % field] = self.copied[field]
        return r


def compare(args):
    pins, geos, users = load_sample(args.reference)
    real = Figures()
    for p, g, u in zip(pins, geos, users):
        real.add(p, g, u)
    placeholders = {NO_TITLE, '', STORY_DESC, NO_DESC, UNTITLED, NO_TAGS, UIE}
    texts = {f: {p[f] for p in pins} - placeholders for f in ('title', 'description', 'tag_list', 'poster_name')}
    gen = Figures(texts)
    seen = set()
    # Resent duplicates are delivery artefacts, not data: compare distinct events. Records of one
    # event sit at the same position of their topic's partition files.
    for p, g, u in zip(archive_lines(args.archive, args.prefix, 'pin'),
                       archive_lines(args.archive, args.prefix, 'geo'),
                       archive_lines(args.archive, args.prefix, 'user')):
        assert p['index'] == g['ind'] == u['ind'], (p['index'], g['ind'], u['ind'])
        if p['index'] in seen:
            continue
        seen.add(p['index'])
        gen.add(p, g, u)
    r, g = real.table(), gen.table()
    print('%-45s %22s %22s' % ('figure', 'real (%d events)' % real.n, 'generated'))
    for k in g:
        fmt = lambda v: '' if v is None else (('%.4f' % v) if isinstance(v, float) else str(v))
        print('%-45s %22s %22s' % (k, fmt(r.get(k)), fmt(g[k])))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    d = sub.add_parser('derive')
    d.add_argument('reference')
    d.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'src', 'main', 'resources'))
    c = sub.add_parser('compare')
    c.add_argument('reference')
    c.add_argument('archive')
    c.add_argument('--prefix', default='pinterest')
    args = ap.parse_args()
    derive(args) if args.cmd == 'derive' else compare(args)


if __name__ == '__main__':
    main()
