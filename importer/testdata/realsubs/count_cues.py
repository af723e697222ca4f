#!/usr/bin/env python3
"""Counts the cues with text in each caption file here, independently of
Casebook: SubRip/WebVTT by '-->' timing lines, SBV by 'start,end' timing
lines, SSA/ASS by 'Dialogue:' lines of [Events], TTML/DFXP by <p> elements
of the body (xml.etree). A cue counts when some text follows its timing.
Line ends are normalised first (CR-only files included)."""
import re, sys, os
import xml.etree.ElementTree as ET

def text_of(path):
    b = open(path, 'rb').read()
    s = b.decode('utf-8-sig')
    return s.replace('\r\n', '\n').replace('\r', '\n')

def blocks_after(lines, is_timing):
    n = 0
    for i, l in enumerate(lines):
        if is_timing(l):
            j = i + 1
            has = False
            while j < len(lines) and lines[j].strip() and not is_timing(lines[j]):
                has = True
                j += 1
            n += has
    return n

def count(path):
    s = text_of(path)
    lines = s.split('\n')
    ext = os.path.splitext(path)[1].lower()
    if ext in ('.srt', '.vtt'):
        return blocks_after(lines, lambda l: '-->' in l)
    if ext == '.sbv':
        r = re.compile(r'^\d+:\d+:\d+\.\d+,\d+:\d+:\d+\.\d+$')
        return blocks_after(lines, lambda l: bool(r.match(l.strip())))
    if ext in ('.ssa', '.ass'):
        sec, n = '', 0
        for l in lines:
            t = l.strip()
            if t.startswith('[') and t.endswith(']'):
                sec = t.lower()
            elif sec == '[events]' and t.startswith('Dialogue:'):
                n += 1
        return n
    if ext in ('.ttml', '.dfxp', '.xml'):
        root = ET.fromstring(s)
        n = 0
        for el in root.iter():
            if el.tag.split('}')[-1] == 'p' and ''.join(el.itertext()).strip():
                n += 1
        return n
    return None

if __name__ == '__main__':
    d = os.path.dirname(os.path.abspath(__file__))
    for f in sorted(os.listdir(d)):
        c = count(os.path.join(d, f))
        if c is not None:
            print(f'{f}\t{c}')
