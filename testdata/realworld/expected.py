#!/usr/bin/env python3
"""Expected record counts and field values for the real-world fidelity corpus.

Reads every file listed in FILES with its own small reader per format, written
from the formats' specifications and not from Casebook's code, and writes
expected.json beside this script. Run it from anywhere:

    python3 testdata/realworld/expected.py

Checks, read by importer/realworld_test.go:
  start_ms     the segment's start in milliseconds (exact)
  speaker      the segment's speaker (exact; "" = none)
  text_prefix  the segment's text starts with this (first words, tags stripped)
  time         the event's time, RFC 3339 in UTC (compared as instants)
  ip, actor, action, resource   the event's field (exact)
"""
import csv
import datetime as dt
import html
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# file name -> (casebook format, kind)
FILES = {
    "webvttpy_youtube_dl.vtt": ("vtt", "transcript"),
    "webvttpy_using_identifiers.vtt": ("vtt", "transcript"),
    "mantas_vtt_with_name.vtt": ("vtt", "transcript"),
    "revgizmo_biology_lab_session.vtt": ("vtt", "transcript"),
    "astisub_example-in-carriage-return.vtt": ("vtt", "transcript"),
    "subtitlesparser_ccsubs_pope-francis_en.srt": ("srt", "transcript"),
    "subtitlesparser_4989_ES.srt": ("srt", "transcript"),
    "subtitlesparser_Salvage.SRT": ("srt", "transcript"),
    "mantas_utf16.srt": ("srt", "transcript"),
    "astisub_example-in-carriage-return.srt": ("srt", "transcript"),
    "astisub_example-in-non-utf8.srt": ("srt", "transcript"),
    "astisub_example-in-html-entities.srt": ("srt", "transcript"),
    "daveshap_captions.sbv": ("sbv", "transcript"),
    "vaps0tr_captions.sbv": ("sbv", "transcript"),
    "subtitlesparser_kYB8IZa5AuE.en.ttml": ("ttml", "transcript"),
    "mantas_ttml.ttml": ("ttml", "transcript"),
    "mantas_dfxp.dfxp": ("ttml", "transcript"),
    "pysubs2_ttml_example_apple.ttml": ("ttml", "transcript"),
    "astisub_example-in-merging-style.ttml": ("ttml", "transcript"),
    "mantas_ass.ass": ("ssa", "transcript"),
    "mantas_ass_different_format2.ass": ("ssa", "transcript"),
    "subtitlesparser_HP2.ssa": ("ssa", "transcript"),
    "ami_IS1002c.C.words.xml": ("ami-xml", "transcript"),
    "mantas_docx.docx": ("docx", "transcript"),
    "mantas_csv_ansi.csv": ("transcript-csv", "transcript"),
    "agu_meeting_saved_chat.txt": ("zoom-chat", "transcript"),
    "ladybug_43-micro-interactions.md": ("otter", "transcript"),
    "ladybug_06-impostor-syndrome.md": ("otter", "transcript"),
    "whisperfork_jfk.json": ("whisper-json", "transcript"),
    "whisperfork_jfk.tsv": ("whisper-tsv", "transcript"),
    "whisperfork_jfk.vtt": ("vtt", "transcript"),
    "crowdsec_auditd-logs.log": ("auditd", "accesslog"),
    "crowdsec_auditd-suid-crash.log": ("auditd", "accesslog"),
    "plaso_selinux.log": ("auditd", "accesslog"),
    "plaso_audit_enriched.log": ("auditd", "accesslog"),
    "crowdsec_aws-cloudtrail.log": ("cloudtrail", "accesslog"),
    "plaso_aws_cloudtrail.jsonl": ("cloudtrail", "accesslog"),
    "plaso_gcp_logging.jsonl": ("gcp-audit", "accesslog"),
    "crowdsec_windows-bf.log": ("winevent-xml", "accesslog"),
    "crowdsec_windows-logs.log": ("winevent-xml", "accesslog"),
    "crowdsec_opnsense-sshd.log": ("syslog", "accesslog"),
    "crowdsec_sshd-logs.log": ("syslog", "accesslog"),
    "plaso_syslog_ssh.log": ("syslog", "accesslog"),
    "lnav_logfile_syslog.3": ("syslog", "accesslog"),
    "crowdsec_nginx_http-logs.log": ("weblog", "accesslog"),
    "plaso_apache_access.log": ("weblog", "accesslog"),
    "lnav_logfile_shop_access_log.0": ("weblog", "accesslog"),
    "lnav_logfile_logfmt.0": ("logfmt", "accesslog"),
    "crowdsec_teleport-bf.log": ("jsonl-accesslog", "accesslog"),
    "crowdsec_traefik_json.log": ("jsonl-accesslog", "accesslog"),
    "plaso_microsoft_audit_log.jsonl": ("m365-audit", "accesslog"),
    "plaso_azure_activity_log.jsonl": ("jsonl-accesslog", "accesslog"),
    "plaso_networkminer.pcap.FileInfos.csv": ("csv-accesslog", "accesslog"),
    "barpaw_access_log.xlsx": ("xlsx-accesslog", "accesslog"),
}


# ---------------------------------------------------------------- decoding

# Single-byte encodings found by reading the files (no BOM or declaration
# says so): the Arabic film subtitles are Windows-1256.
ENCODING = {"subtitlesparser_Salvage.SRT": "cp1256"}


def decode(b, name=""):
    """Bytes to text: BOMs, UTF-16 without BOM, UTF-8, else Windows-1252."""
    if name in ENCODING:
        return b.decode(ENCODING[name])
    if b.startswith(b"\xef\xbb\xbf"):
        return b[3:].decode("utf-8")
    if b.startswith(b"\xff\xfe") or b.startswith(b"\xfe\xff"):
        return b.decode("utf-16")
    if len(b) > 1 and b[1:2] == b"\x00":
        return b.decode("utf-16-le")
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252", errors="replace")


def lines_of(text):
    """Split on CRLF, CR or LF (old Mac files end lines with CR only)."""
    return re.split(r"\r\n|\r|\n", text)


def strip_tags(s):
    return re.sub(r"<[^>]*>", "", s)


def clean(s):
    return re.sub(r"\s+", " ", html.unescape(strip_tags(s))).strip()


def first_words(s, n=4):
    return " ".join(clean(s).split(" ")[:n])


def ms(h, m, s, frac):
    frac = (frac or "0")
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(round(float("0." + frac) * 1000))


def rfc3339(t):
    """datetime (aware) -> RFC 3339 in UTC, with fractional seconds if any."""
    t = t.astimezone(dt.timezone.utc)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        s += ("." + "%06d" % t.microsecond).rstrip("0")
    return s + "Z"


def iso(s):
    """Parse an ISO 8601 time as written in JSON logs."""
    s = s.strip().replace("Z", "+00:00")
    m = re.match(r"(.*?\.\d{1,6})\d*(.*)", s)  # Python takes at most microseconds
    if m:
        s = m.group(1) + m.group(2)
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return rfc3339(t)


# ---------------------------------------------------------------- captions

TIMING = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*-->\s*")


def cues_arrow(text):
    """VTT/SRT: one cue per line holding '-->'; returns [(start_ms, text lines)]."""
    ls = lines_of(text)
    cues = []
    for i, line in enumerate(ls):
        if "-->" not in line:
            continue
        m = TIMING.match(line)
        start = ms(m.group(1) or 0, m.group(2), m.group(3), m.group(4)) if m else None
        body = []
        for nxt in ls[i + 1:]:
            if nxt.strip() == "" or "-->" in nxt:
                break
            body.append(nxt)
        cues.append((start, body))
    return cues


def voice(body):
    """A <v Name> voice span names the speaker."""
    m = re.match(r"\s*<v(?:\.[^ >]*)?\s+([^>]+)>", body[0]) if body else None
    return m.group(1).strip() if m else ""


def sub_entry(name, data, fmt):
    text = decode(data, name)
    cues = cues_arrow(text)
    start, body = cues[0]
    checks = [{"field": "start_ms", "record": 0, "want": str(start)}]
    if body:
        checks.append({"field": "text_prefix", "record": 0, "want": first_words(body[0])})
        if fmt == "vtt":
            checks.append({"field": "speaker", "record": 0, "want": voice(body)})
    return len(cues), checks, "lines containing '-->' (one timing line per cue), lines split on CRLF, CR or LF"


SBV_TIMING = re.compile(r"^(\d+):(\d{2}):(\d{2})\.(\d{1,3}),(\d+):(\d{2}):(\d{2})\.(\d{1,3})\s*$")


def sbv_entry(name, data, fmt):
    ls = lines_of(decode(data))
    cues = [(i, SBV_TIMING.match(l)) for i, l in enumerate(ls) if SBV_TIMING.match(l)]
    i, m = cues[0]
    return len(cues), [
        {"field": "start_ms", "record": 0, "want": str(ms(m.group(1), m.group(2), m.group(3), m.group(4)))},
        {"field": "text_prefix", "record": 0, "want": first_words(ls[i + 1])},
    ], "lines matching H:MM:SS.mmm,H:MM:SS.mmm (one per cue)"


def ttml_time(v, root):
    tick = int(root.get("{http://www.w3.org/ns/ttml#parameter}tickRate", "0") or 0)
    fr = 0
    for k, val in root.attrib.items():
        if k.endswith("}frameRate"):
            fr = int(val)
    m = re.match(r"^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$", v)
    if m:
        return ms(m.group(1), m.group(2), m.group(3), m.group(4))
    m = re.match(r"^(\d+):(\d{2}):(\d{2}):(\d+)$", v)  # SMPTE frames
    if m:
        return ((int(m.group(1)) * 60 + int(m.group(2))) * 60 + int(m.group(3))) * 1000 + int(m.group(4)) * 1000 // (fr or 30)
    if re.match(r"^[\d.]+$", v):  # no unit: seconds, as players read it
        return int(round(float(v) * 1000))
    m = re.match(r"^([\d.]+)(h|m|s|ms|f|t)$", v)
    if m:
        n, u = float(m.group(1)), m.group(2)
        mult = {"h": 3600000, "m": 60000, "s": 1000, "ms": 1}
        if u in mult:
            return int(round(n * mult[u]))
        if u == "t":
            return int(n * 1000 // (tick or 1))
        if u == "f":
            return int(n * 1000 // (fr or 30))
    raise ValueError(v)


def ttml_text(e):
    """The text of an element, a <br/> read as a space."""
    out = e.text or ""
    for c in e:
        out += " " if c.tag.split("}")[-1] == "br" else ttml_text(c)
        out += c.tail or ""
    return out


def ttml_entry(name, data, fmt):
    root = ET.fromstring(data)
    ps = [e for e in root.iter() if e.tag.split("}")[-1] == "p"]
    p = ps[0]
    words = ttml_text(p)
    return len(ps), [
        {"field": "start_ms", "record": 0, "want": str(ttml_time(p.get("begin"), root))},
        {"field": "text_prefix", "record": 0, "want": first_words(words)},
    ], "<p> elements in the document (XML parser)"


def ssa_entry(name, data, fmt):
    ls = lines_of(decode(data))
    in_events, fields, dialogues = False, None, []
    for l in ls:
        s = l.strip()
        if s.startswith("["):
            in_events = s.lower() == "[events]"
            continue
        if in_events and s.lower().startswith("format:"):
            fields = [f.strip().lower() for f in s[7:].split(",")]
        elif in_events and s.startswith("Dialogue:"):
            vals = s[9:].split(",", len(fields) - 1)
            d = dict(zip(fields, [v.strip() for v in vals]))
            if re.sub(r"\{[^}]*\}", "", d.get("text", "")).strip():  # an empty line is not speech
                dialogues.append(d)
    d = dialogues[0]
    m = re.match(r"(\d+):(\d{2}):(\d{2})\.(\d{1,3})", d["start"])
    txt = re.sub(r"\{[^}]*\}", "", d["text"]).replace("\\N", " ").replace("\\n", " ")
    return len(dialogues), [
        {"field": "start_ms", "record": 0, "want": str(ms(m.group(1), m.group(2), m.group(3), m.group(4).ljust(2, "0")))},
        {"field": "speaker", "record": 0, "want": d.get("name", d.get("actor", ""))},
        {"field": "text_prefix", "record": 0, "want": first_words(txt)},
    ], "'Dialogue:' lines with text inside [Events] (the Format line gives the field order)"


def ami_entry(name, data, fmt):
    # Words merge into an utterance until a pause of more than 1 s, or of more
    # than 0.25 s after a word ending in . ? ! (the rule Casebook documents).
    root = ET.fromstring(data)
    ws = [e for e in root if e.tag.split("}")[-1] == "w" and e.get("starttime") is not None]
    utts, cur, prev_end, prev_word = [], [], None, ""
    for w in ws:
        st, en, word = float(w.get("starttime")), float(w.get("endtime")), (w.text or "")
        punc = w.get("punc") == "true"
        if cur and not punc:
            gap = st - prev_end
            if gap > 1.0 or (gap > 0.25 and prev_word[-1:] in ".?!"):
                utts.append(cur)
                cur = []
        cur.append((st, word, punc))
        prev_end, prev_word = en, word
    if cur:
        utts.append(cur)
    first = utts[0]
    text = ""
    for _, word, punc in first[:6]:
        text += word if punc or not text else " " + word
    return len(utts), [
        {"field": "start_ms", "record": 0, "want": str(int(round(first[0][0] * 1000)))},
        {"field": "speaker", "record": 0, "want": "Speaker " + name.split(".")[1]},
        {"field": "text_prefix", "record": 0, "want": text.split(" ")[0]},
    ], "<w> words merged into utterances at pauses > 1 s, or > 0.25 s after . ? ! (punctuation tokens attach)"


def docx_entry(name, data, fmt):
    x = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    paras = [html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)))
             for p in re.findall(r"<w:p[ >].*?</w:p>", x, re.S)]
    cues = [i for i, p in enumerate(paras) if "-->" in p]
    m = TIMING.match(paras[cues[0]])
    return len(cues), [
        {"field": "start_ms", "record": 0, "want": str(ms(m.group(1) or 0, m.group(2), m.group(3), m.group(4)))},
        {"field": "text_prefix", "record": 0, "want": first_words(paras[cues[0] + 1])},
    ], "SRT typed into Word: paragraphs of word/document.xml holding '-->' (one per cue)"


def csv_transcript_entry(name, data, fmt):
    rows = [r for r in csv.reader(io.StringIO(decode(data))) if r]
    m = re.match(r"(\d+):(\d{2}):(\d{2})[:.](\d+)", rows[0][0])
    return len(rows), [
        {"field": "text_prefix", "record": 0, "want": first_words(rows[0][2])},
    ], "rows read by Python's csv module (no header: start, end, text)"


def zoomchat_entry(name, data, fmt):
    ls = [l for l in lines_of(decode(data)) if l.strip()]
    msgs = [re.match(r"^(\d{1,2}):(\d{2}):(\d{2})\t From (.+?) : (.*)$", l) for l in ls]
    msgs = [m for m in msgs if m]
    m = msgs[0]
    return len(msgs), [
        {"field": "start_ms", "record": 0, "want": str(ms(m.group(1), m.group(2), m.group(3), "0"))},
        {"field": "speaker", "record": 0, "want": m.group(4)},
        {"field": "text_prefix", "record": 0, "want": first_words(m.group(5))},
    ], "lines 'HH:MM:SS<TAB> From Name : text' (one message per line)"


OTTER_HEAD = re.compile(r"^(\*\*[^*]+\*\*|\S[^*]*?)\s{2,}(?:(\d+):)?(\d{1,2}):(\d{2})\s*$")
OTTER_INLINE = re.compile(r"^\*\*([^*]+)\*\* \[(?:(\d+):)?(\d{1,2}):(\d{2})\] (.*)$")


def otter_entry(name, data, fmt):
    ls = lines_of(decode(data))
    turns = []
    for i, l in enumerate(ls):
        m = OTTER_HEAD.match(l)
        if m:  # "Name  M:SS" alone on its line, the words on the lines after
            text = next((t for t in ls[i + 1:] if t.strip()), "")
            turns.append((m.group(1).strip("*").strip(), m.group(2), m.group(3), m.group(4), text))
            continue
        m = OTTER_INLINE.match(l)
        if m:  # "**Name** [M:SS] words"
            turns.append((m.group(1).strip(), m.group(2), m.group(3), m.group(4), m.group(5)))
    sp, h, mi, se, text = turns[0]
    return len(turns), [
        {"field": "start_ms", "record": 0, "want": str(ms(h or 0, mi, se, "0"))},
        {"field": "speaker", "record": 0, "want": sp},
        {"field": "text_prefix", "record": 0, "want": first_words(text)},
    ], "speaker lines 'Name  M:SS' (bold or not) or '**Name** [M:SS] text', one per turn"


def whisper_json_entry(name, data, fmt):
    segs = json.loads(data)["segments"]
    return len(segs), [
        {"field": "start_ms", "record": 0, "want": str(int(round(segs[0]["start"] * 1000)))},
        {"field": "text_prefix", "record": 0, "want": first_words(segs[0]["text"])},
    ], "entries of the segments array (json module)"


def whisper_tsv_entry(name, data, fmt):
    rows = list(csv.DictReader(io.StringIO(decode(data)), delimiter="\t"))
    return len(rows), [
        {"field": "start_ms", "record": 0, "want": rows[0]["start"]},
        {"field": "text_prefix", "record": 0, "want": first_words(rows[0]["text"])},
    ], "data rows under the 'start end text' header (csv module, tab-separated)"


# ---------------------------------------------------------------- logs

AUDIT = re.compile(r"^(?:node=\S+ )?type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\):")


def auditd_entry(name, data, fmt):
    recs = []
    for l in decode(data).split("\n"):
        m = AUDIT.match(l)
        if m:
            recs.append((m, l))
    m, l = recs[0]
    t = dt.datetime.fromtimestamp(int(m.group(2)), dt.timezone.utc) + dt.timedelta(milliseconds=int(m.group(3)))
    checks = [{"field": "time", "record": 0, "want": rfc3339(t)}]
    return len(recs), checks, "lines 'type=T msg=audit(EPOCH.mmm:SERIAL):' (one event per record line; lines without a valid stamp or type are not records)"


def json_lines(data):
    out = []
    for l in decode(data).split("\n"):
        if l.strip():
            try:
                out.append(json.loads(l))
            except json.JSONDecodeError:
                pass
    return out


def cloudtrail_entry(name, data, fmt):
    recs = json_lines(data)
    r = recs[0]
    ct = r
    if "CloudTrailEvent" in r and isinstance(r["CloudTrailEvent"], str):
        ct = json.loads(r["CloudTrailEvent"])
    checks = [{"field": "time", "record": 0, "want": iso(ct["eventTime"])},
              {"field": "ip", "record": 0, "want": ct.get("sourceIPAddress", "")}]
    return len(recs), checks, "JSON objects, one per line (json module)"


def gcp_entry(name, data, fmt):
    recs = json_lines(data)
    r = recs[0]
    pp = r["protoPayload"]
    return len(recs), [
        {"field": "time", "record": 0, "want": iso(r["timestamp"])},
        {"field": "ip", "record": 0, "want": pp["requestMetadata"]["callerIp"]},
        {"field": "actor", "record": 0, "want": pp["authenticationInfo"]["principalEmail"]},
    ], "JSON objects, one per line (json module)"


def winevent_entry(name, data, fmt):
    text = decode(data)
    evs = re.findall(r"<Event[ >].*?</Event>", text, re.S)
    e = evs[0]
    t = re.search(r'SystemTime="([^"]+)"', e).group(1)
    d = dict(re.findall(r'<Data Name="([^"]+)">([^<]*)</Data>', e))
    checks = [{"field": "time", "record": 0, "want": iso(t)}]
    if d.get("IpAddress", "-") not in ("-", ""):
        checks.append({"field": "ip", "record": 0, "want": d["IpAddress"]})
    return len(evs), checks, "<Event ...>...</Event> elements (regex over the text)"


SYSLOG_YEAR = 2020  # the year given for RFC 3164 files, which carry none
SYSLOG3164 = re.compile(r"^[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} ")
SYSLOG5424 = re.compile(r"^<\d+>1 (\S+) ")
SYSLOGISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}) \S+ ")  # rsyslog's RFC 3339 stamps


def syslog_entry(name, data, fmt):
    recs = []
    for l in decode(data).split("\n"):
        if SYSLOG3164.match(l) or SYSLOG5424.match(l) or SYSLOGISO.match(l):
            recs.append(l)
    checks = []
    m = SYSLOG5424.match(recs[0])
    if m:
        checks.append({"field": "time", "record": 0, "want": iso(m.group(1))})
    else:  # no year in the stamp: the test imports with --year SYSLOG_YEAR
        t = dt.datetime.strptime("%d %s" % (SYSLOG_YEAR, " ".join(recs[0].split()[:3])), "%Y %b %d %H:%M:%S")
        checks.append({"field": "time", "record": 0, "want": rfc3339(t.replace(tzinfo=dt.timezone.utc))})
    ip = re.search(r" from (\d+\.\d+\.\d+\.\d+|[0-9a-fA-F:]+:[0-9a-fA-F:]+) port", recs[0])
    if ip:
        checks.append({"field": "ip", "record": 0, "want": ip.group(1)})
    for i, l in enumerate(recs):  # the first login names its user
        m = re.search(r"(?:Accepted|Failed) \S+ for (\S+) from (\S+)", l) or re.search(r"Invalid user (\S+) from (\S+)", l)
        if m:
            checks.append({"field": "actor", "record": i, "want": m.group(1)})
            checks.append({"field": "ip", "record": i, "want": m.group(2)})
            break
    return len(recs), checks, "lines starting with an RFC 3164 'Mmm dd hh:mm:ss', an RFC 5424 '<PRI>1 TIME' or an rsyslog RFC 3339 time header; tab-indented continuation lines belong to the line before"


WEB = re.compile(r'^(?:\S+ )?(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]+)(?: \S+){1,2} \[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "(\S+) (\S+)')


def weblog_entry(name, data, fmt):
    recs = [WEB.match(l) for l in decode(data).split("\n") if WEB.match(l)]
    m = recs[0]
    t = dt.datetime.strptime(m.group(2), "%d/%b/%Y:%H:%M:%S %z")
    return len(recs), [
        {"field": "time", "record": 0, "want": rfc3339(t)},
        {"field": "ip", "record": 0, "want": m.group(1)},
        {"field": "action", "record": 0, "want": m.group(3)},
        {"field": "resource", "record": 0, "want": m.group(4)},
    ], "lines with 'IP ident user [dd/Mon/yyyy:hh:mm:ss +zzzz] \"METHOD PATH' (optional vhost first); error-log lines are not records"


def logfmt_entry(name, data, fmt):
    recs = [l for l in decode(data).split("\n") if re.match(r'^\w+=', l)]
    m = re.match(r'time="([^"]+)"', recs[0])
    return len(recs), [{"field": "time", "record": 0, "want": iso(m.group(1))}], "non-blank lines starting with key="


def jsonl_entry(name, data, fmt):
    recs = json_lines(data)
    r = recs[0]
    checks = []
    for k in ("time", "StartUTC", "CreationTime", "time"):
        if k in r:
            checks.append({"field": "time", "record": 0, "want": iso(r[k])})
            break
    if "user" in r:
        checks.append({"field": "actor", "record": 0, "want": r["user"]})
    if "UserId" in r:
        checks.append({"field": "actor", "record": 0, "want": r["UserId"]})
    if "ClientHost" in r:
        checks.append({"field": "ip", "record": 0, "want": r["ClientHost"]})
    if "callerIpAddress" in r:
        checks.append({"field": "ip", "record": 0, "want": r["callerIpAddress"]})
    if "event_timestamp" in r:
        checks.append({"field": "time", "record": 0, "want": iso(r["event_timestamp"])})
    if "caller" in r:
        checks.append({"field": "actor", "record": 0, "want": r["caller"]})
    if "event" in r:
        checks.append({"field": "action", "record": 0, "want": r["event"]})
    if "Operation" in r:
        checks.append({"field": "action", "record": 0, "want": r["Operation"]})
    return len(recs), checks, "JSON objects, one per line (json module)"


def csvlog_entry(name, data, fmt):
    rows = list(csv.DictReader(io.StringIO(decode(data))))
    return len(rows), [{"field": "time", "record": 0, "want": iso(rows[0]["Timestamp"])}], \
        "data rows read by Python's csv module (header row first)"


def xlsx_entry(name, data, fmt):
    """Rows of the first sheet after the header, read from the OOXML parts."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = [html.unescape("".join(re.findall(r"<t[^>]*>([^<]*)</t>", si)))
              for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode("utf-8"), re.S)]
    sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    rows = []
    for r in re.findall(r"<row [^>]*>(.*?)</row>", sheet, re.S):
        cells = {}
        for col, attrs, v in re.findall(r'<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?)', r):
            cells[col] = shared[int(v)] if 't="s"' in attrs and v else v
        rows.append(cells)
    first = rows[1]
    # nginx's $time_local cut at its space into two cells: "[04/Aug/2022:19:31:00" "+0200]"
    t = dt.datetime.strptime(first["B"].lstrip("[") + " " + first["C"].rstrip("]"), "%d/%b/%Y:%H:%M:%S %z")
    return len(rows) - 1, [
        {"field": "time", "record": 0, "want": rfc3339(t)},
        {"field": "ip", "record": 0, "want": first["A"]},
    ], "<row> elements of xl/worksheets/sheet1.xml after the header row"


READERS = {
    "vtt": sub_entry, "srt": sub_entry, "sbv": sbv_entry, "ttml": ttml_entry, "ssa": ssa_entry,
    "ami-xml": ami_entry, "docx": docx_entry, "transcript-csv": csv_transcript_entry,
    "auditd": auditd_entry, "cloudtrail": cloudtrail_entry, "gcp-audit": gcp_entry,
    "winevent-xml": winevent_entry, "syslog": syslog_entry, "weblog": weblog_entry,
    "logfmt": logfmt_entry, "jsonl-accesslog": jsonl_entry, "m365-audit": jsonl_entry, "zoom-chat": zoomchat_entry,
    "otter": otter_entry, "whisper-json": whisper_json_entry, "whisper-tsv": whisper_tsv_entry,
    "csv-accesslog": csvlog_entry, "xlsx-accesslog": xlsx_entry,
}


def main():
    out = []
    for name, (fmt, kind) in FILES.items():
        data = open(os.path.join(HERE, name), "rb").read()
        n, checks, how = READERS[fmt](name, data, fmt)
        e = {"file": name, "format": fmt, "kind": kind, "records": n, "checks": checks, "how": how}
        if fmt == "syslog" and not data.startswith(b"<"):
            e["year"] = SYSLOG_YEAR
        out.append(e)
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    for e in out:
        print("%-45s %-16s %5d  %s" % (e["file"], e["format"], e["records"], "; ".join("%s=%r" % (c["field"], c["want"]) for c in e["checks"])))


if __name__ == "__main__":
    main()
