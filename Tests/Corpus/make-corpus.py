#!/usr/bin/env python3
"""Writes the bad-input corpus: files/ (policies and other inputs, some with raw bytes) and cases.tsv.

cases.tsv columns (tab-separated, one case a line, '#' lines are comments):
  name      unique case name
  exit      the exit code expected
  reaches   "reaches-apply" when the command is a real `apply`/`clear` (needs root and a kernel: run by the
            kernel suite, which also checks that the kernel state is unchanged); "-" otherwise
  stdin     a file under files/ fed to standard input, or "-" for none (standard input is /dev/null)
  args      the arguments, as a JSON array; "@NAME" stands for the path of files/NAME
  expect    a substring standard error must contain (the file's path is absolute, so positions are written
            as NAME:LINE:COLUMN and match as a suffix of the path)
Rerun after editing: python3 Tests/Corpus/make-corpus.py
"""
import json, os

here = os.path.dirname(os.path.abspath(__file__))
files = os.path.join(here, "files")
os.makedirs(files, exist_ok=True)
cases = []

BASE = ("time-zone: Europe/Berlin\nwork-days: mon-fri\nwork-hours:\n  start: \"09:00\"\n  end: \"18:00\"\n"
        "work-hour-bandwidth: 10mbit\nnon-work-hour-bandwidth: 100mbit\n")
BASE_LINES = BASE.splitlines()


def policy(name, content, exit_code, expect):
    """A policy file checked by `validate` (and, for some, by show/simulate/apply --dry-run too)."""
    data = content if isinstance(content, bytes) else content.encode()
    with open(os.path.join(files, name), "wb") as f:
        f.write(data)
    cases.append((f"validate {name}", exit_code, "-", "-", ["validate", "@" + name], expect))


def replaced(line, text):
    lines = list(BASE_LINES)
    lines[line - 1] = text
    return "\n".join(lines) + "\n"


def case(name, exit_code, args, expect, reaches="-", stdin="-"):
    cases.append((name, exit_code, reaches, stdin, args, expect))


# --- Policy files: rates ---------------------------------------------------------------------------
rates = {
    "rate-zero": ("0", "is zero"), "rate-negative": ("-5mbit", "is negative"), "rate-fraction": ("8000.5", "not a whole number"),
    "rate-bps": ("10Mbps", "is ambiguous"), "rate-kbps": ("512Kbps", "is ambiguous"), "rate-mb": ("10mb", "ambiguous (bits or bytes?)"),
    "rate-size": ("10MB", "a size, not a rate"), "rate-unit": ("10furlongs", "unknown unit"), "rate-word": ("fast", "not a rate"),
    "rate-leading-point": ("\".5mbit\"", "starts with a point"), "rate-trailing-point": ("\"5.mbit\"", "ends with a point"),
    "rate-two-points": ("1.2.3mbit", "more than one decimal point"), "rate-exponent": ("1e9", "exponents are not accepted"),
    "rate-hex": ("0x10", "hexadecimal is not accepted"), "rate-comma": ("\"1,5mbit\"", "not a comma"),
    "rate-half": ("½KB/s", "not one of the digits"), "rate-arabic": ("٣mbit", "not one of the digits"),
    "rate-arabic-after": ("1٣mbit", "not one of the digits"),
    "rate-many-places": ("1.0000000000000000000001mbit", "more than 18 decimal places"),
    "rate-too-large": ("18446744073709551616", "is too large"), "rate-huge-digits": ("9" * 400, "is too large"),
    "rate-above-range": ("600000000001", "out of range for OS profile linux"),
    "rate-10tbit": ("10tbit", "the work-hour bandwidth, 10000000000000 bit/s, is out of range"),
    "rate-below-range": ("7999", "out of range for OS profile linux"), "rate-40bit": ("40bit", "out of range"),
    "rate-max-u64": ("18446744073709551615", "out of range"), "rate-list": ("[1, 2]", "expected a rate"),
    "rate-mapping-empty": ("{}", "needs both upload and download"), "rate-null": ("~", "not an empty value"),
    "rate-bool": ("true", "not a rate"), "rate-unlimited-typo": ("unlimted", "not a rate"),
    "rate-space-inside": ("\"10 m bit\"", "unknown unit"), "rate-slash-only": ("10/s", "unknown unit"),
    "rate-nan": (".nan", "not a rate"), "rate-inf": (".inf", "not a rate"), "rate-plus": ("+5mbit", "has a sign"),
    "rate-octal": ("0o2000000", "not a number (octal is not accepted)"), "rate-inf-word": (".Inf", "it is not a number;"),
}
for name, (value, expect) in rates.items():
    policy(f"{name}.yaml", replaced(6, f"work-hour-bandwidth: {value}"), 65, f"{name}.yaml:6:22: " if not value.startswith("[") and value not in ("{}",) else expect)
    cases[-1] = cases[-1][:5] + (expect,)

policy("nonwork-above-range.yaml", replaced(7, "non-work-hour-bandwidth: 6871787672000"), 65,
       "nonwork-above-range.yaml:7:26: the non-work-hour bandwidth, 6871787672000 bit/s, is out of range")
policy("download-above-range.yaml", replaced(7, "non-work-hour-bandwidth: {upload: 1mbit, download: 700gbit}"), 65,
       "the non-work-hour download bandwidth, 700000000000 bit/s, is out of range")
policy("upload-above-range.yaml", replaced(6, "work-hour-bandwidth: {upload: 700gbit, download: 1mbit}"), 65,
       "the work-hour upload bandwidth, 700000000000 bit/s")
policy("direction-unknown.yaml", replaced(6, "work-hour-bandwidth: {up: 1mbit, download: 1mbit}"), 65,
       "unknown key \"up\" in work-hour-bandwidth")
policy("direction-missing.yaml", replaced(6, "work-hour-bandwidth: {upload: 1mbit}"), 65, "needs both upload and download")
policy("mars-unlimited.yaml", replaced(7, "non-work-hour-bandwidth: unlimited") + "os-profile: windows-10\n", 65,
       "\"unlimited\" is not a MARS setting")
policy("mars-above.yaml", replaced(7, "non-work-hour-bandwidth: 2gbit") + "os-profile: windows-2019\n", 65,
       "unknown OS profile")
policy("mars-above-max.yaml", replaced(7, "non-work-hour-bandwidth: 1072693249") + "os-profile: windows-server-2019\n",
       65, "as MARS allows")
policy("windows-7.yaml", BASE + "os-profile: windows-7\n", 69, "network throttling is not available")

# --- Policy files: days, times, zones, dates, profiles ------------------------------------------------
for name, value, expect in [
    ("days-empty-string", "\"\"", "the list of work days is empty: write none"),
    ("days-unknown", "[mon, funday]", "unknown day \"funday\""), ("days-range-bad", "mon-fri-sat", "unknown day range"),
    ("days-double-comma", "\"mon,,tue\"", "empty item between commas"), ("days-number", "[1]", "unknown day"),
    ("days-nested", "[[mon]]", "expected one item"), ("days-mapping", "{mon: 1}", "expected a list of days"),
    ("days-null", "", "expected a list of days"), ("days-none-in-list", "[none]", "unknown day"),
]:
    policy(f"{name}.yaml", replaced(2, f"work-days: {value}"), 65, expect)
for name, start, expect in [
    ("time-25", "25:00", "is out of range"), ("time-60", "12:60", "out of range"), ("time-bare", "12", "not a time"),
    ("time-negative", "-1:00", "not a time"), ("time-empty", "", "not a time"), ("time-seconds-60", "12:00:60", "out of range"),
    ("time-24-start", "24:00", "cannot start at 24:00"), ("time-words", "noon", "not a time"),
    ("time-arabic", "٠٩:٠٠", "not a time"), ("time-many-parts", "12:00:00:00", "not a time"),
]:
    policy(f"{name}.yaml", replaced(4, f"  start: \"{start}\""), 65, expect)
policy("time-equal.yaml", replaced(5, "  end: \"09:00\""), 65, "start and end at the same time")
policy("time-number.yaml", replaced(4, "  start: 900"), 65, "not a time")
policy("time-sexagesimal.yaml", replaced(4, "  start: 9:00"), 0, "")
cases.pop()  # YAML 1.1 reads 9:00 as a string in Yams: valid; not a bad input.
policy("work-hours-missing-end.yaml", "\n".join(BASE_LINES[:4] + BASE_LINES[5:]) + "\n", 65, "missing end")
policy("work-hours-scalar.yaml", "\n".join(BASE_LINES[:2] + ["work-hours: 9-17"] + BASE_LINES[5:]) + "\n", 65,
       "work-hours is a mapping with start and end")
policy("work-hours-unknown.yaml", replaced(5, "  ende: \"18:00\""), 65, "unknown key \"ende\" in work-hours")
for name, zone, expect in [
    ("zone-mars", "Mars/Olympus", "unknown time zone"),
    ("zone-path", "../../etc/passwd", "time zone"), ("zone-empty", "\"\"", "time zone"),
    ("zone-lowercase", "europe/berlin", "unknown time zone"), ("zone-list", "[UTC]", "expected an IANA time zone"),
    ("zone-number", "5", "time zone"),
]:
    policy(f"{name}.yaml", replaced(1, f"time-zone: {zone}"), 65, expect)
for name, dates, expect in [
    ("date-feb-30", "[2026-02-30]", "not a date in the calendar"), ("date-words", "[christmas]", "not a date"),
    ("date-month-13", "[2026-13-01]", "not a date"), ("date-time", "[2026-12-25T00:00:00Z]", "not a date"),
    ("date-short", "[26-12-25]", "not a date"), ("date-mapping", "{a: 1}", "expected a list of dates"),
]:
    policy(f"{name}.yaml", BASE + f"exception-dates: {dates}\n", 65, expect)
for name, profile, expect in [
    ("profile-unknown", "win", "unknown OS profile \"win\""), ("profile-empty", "\"\"", "unknown OS profile"),
    ("profile-list", "[linux]", "expected an OS profile"),
]:
    policy(f"{name}.yaml", BASE + f"os-profile: {profile}\n", 65, expect)
for name, value, expect in [
    ("throttling-word", "maybe", "throttling is true or false"), ("throttling-number", "1", "throttling is true or false"),
    ("throttling-list", "[true]", "expected true or false"),
]:
    policy(f"{name}.yaml", f"throttling: {value}\n", 65, expect)
policy("throttled-missing.yaml", "throttling: true\n", 65, "missing work-days")
policy("description-list.yaml", BASE + "description: [a, b]\n", 65, "expected text")

# --- YAML and JSON oddities ---------------------------------------------------------------------------
policy("empty.yaml", "", 65, "empty.yaml:1:1: the policy file is empty")
policy("only-comment.yaml", "# nothing\n", 65, "the policy file is empty")
policy("only-document-marker.yaml", "---\n...\n", 65, "a policy is a mapping of keys")
policy("top-level-list.yaml", "- a\n- b\n", 65, "a policy is a mapping")
policy("top-level-scalar.yaml", "hello\n", 65, "a policy is a mapping")
policy("top-level-number.yaml", "42\n", 65, "a policy is a mapping")
policy("duplicate-key.yaml", BASE + "work-days: sat\n", 65, "duplicate key \"work-days\"")
policy("duplicate-nested.yaml", replaced(5, "  start: \"10:00\""), 65, "duplicate key \"start\"")
policy("exception-year-zero.yaml", BASE + "exception-dates: [0000-01-01]\n", 65,
       "exception-year-zero.yaml:8:19: \"0000-01-01\" is out of range: years run from 0001 to 9999")
policy("tab-indent.yaml", BASE.replace("  start", "\tstart"), 65, "tab-indent.yaml:4:1: a tab: YAML indents with spaces")
policy("bad-indent.yaml", BASE.replace("  end", "     end"), 65, "not valid YAML or JSON")
policy("unclosed-flow.yaml", replaced(2, "work-days: [mon, tue"), 65, "not valid YAML or JSON")
policy("unclosed-quote.yaml", replaced(1, "time-zone: \"Europe/Berlin"), 65, "not valid YAML or JSON")
policy("undefined-alias.yaml", BASE + "description: *nothing\n", 65, "not valid YAML or JSON")
policy("alias-key.yaml", BASE + "&a x: 1\n*a : 2\n", 65, "duplicate key \"x\"")
bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(10)) + "throttling: false\n"
policy("alias-bomb.yaml", bomb, 65, "unknown key \"a\"")
policy("alias-bomb-days.yaml", bomb.replace("throttling: false\n", "") + BASE.replace("work-days: mon-fri", "work-days: *k"),
       65, "expected one item")
policy("deep-nesting.yaml", "description: " + "[" * 100000 + "]" * 100000 + "\n", 65, "nested too deeply")
policy("deep-mapping.yaml", "description: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", 65, "nested too deeply")
policy("bom-then-bad.yaml", b"\xef\xbb\xbf" + BASE.replace("10mbit", "10Mbps").encode(), 65, "is ambiguous")
policy("nul-byte.yaml", BASE.encode() + b"description: a\x00b\n", 65, "nul-byte.yaml:8:15: control character U+0000 (NUL)")
policy("nul-first.yaml", b"\x00" + BASE.encode(), 65, "nul-first.yaml:1:1: control character U+0000")
policy("bell.yaml", replaced(3, "work-hours:\x07"), 65, "bell.yaml:3:12: control character U+0007")
policy("escape-char.yaml", BASE + "description: \x1b[31mred\n", 65, "escape-char.yaml:8:14: control character U+001B")
policy("del-char.yaml", BASE + "description: a\x7f\n", 65, "del-char.yaml:8:15: control character U+007F")
policy("c1-char.yaml", BASE + "description: a\u0085b\u0090\n", 65, "c1-char.yaml:8:17: control character U+0090")
policy("not-utf8.yaml", BASE.encode() + b"description: caf\xe9\n", 65, "not-utf8.yaml:8:17: byte 0xE9 is not UTF-8")
policy("not-utf8-first.yaml", b"\xff\xfe" + BASE.encode(), 65, "not-utf8-first.yaml:1:1: byte 0xFF is not UTF-8")
policy("utf16.yaml", "\ufeff".encode("utf-16-le") + BASE.encode("utf-16-le"), 65, "is not UTF-8")
policy("overlong-utf8.yaml", BASE.encode() + b"description: \xc0\xaf\n", 65, "overlong-utf8.yaml:8:14: byte 0xC0")
policy("surrogate-utf8.yaml", BASE.encode() + b"description: \xed\xa0\x80\n", 65, "surrogate-utf8.yaml:8:14: byte 0xED")
policy("truncated-utf8.yaml", BASE.encode() + b"description: \xe2\x82", 65, "truncated-utf8.yaml:8:14: byte 0xE2")
policy("huge-number-key.yaml", BASE + "9" * 5000 + ": 1\n", 65, "not valid YAML or JSON")
policy("many-unknown-keys.yaml", "throttling: false\n" + "".join(f"key{i}: 1\n" for i in range(3000)), 65,
       "and 2980 more problems not listed")
policy("unknown-key-hint.yaml", BASE + "throtling: false\n", 65, "did you mean \"throttling\"?")
policy("non-string-key.yaml", BASE + "[a]: 1\n", 65, "a key must be a name")
policy("binary-tag.yaml", BASE + "description: !!binary aGVsbG8=\n", 0, "")
cases.pop()
policy("json-comment.json", '{"throttling": false /* no */}\n', 65, "throttling is true or false")
policy("json-duplicate.json", '{"throttling": false, "throttling": true}\n', 65, "duplicate key \"throttling\"")
policy("json-array.json", '[{"throttling": false}]\n', 65, "a policy is a mapping")
policy("json-nan.json", json.dumps(dict(zip(["time-zone", "work-days", "work-hours", "work-hour-bandwidth",
                                             "non-work-hour-bandwidth"], ["UTC", "mon", {"start": "09:00", "end": "17:00"},
                                                                         "NaN", "1mbit"]))) + "\n", 65, "not a rate")
policy("json-float-rate.json", '{"time-zone": "UTC", "work-days": ["mon"], "work-hours": {"start": "09:00", "end": "17:00"}, '
       '"work-hour-bandwidth": 1e9, "non-work-hour-bandwidth": 1000000}\n', 65, "exponents are not accepted")
policy("json-unquoted.json", "{throttling: false,\n \"x\": }\n", 65, "json-unquoted.json:2:2: unknown key \"x\"")
policy("json-unclosed.json", '{"throttling": false\n', 65, "not valid YAML or JSON")
policy("json-null-rate.json", '{"time-zone": "UTC", "work-days": ["mon"], "work-hours": {"start": "09:00", "end": "17:00"}, '
       '"work-hour-bandwidth": null, "non-work-hour-bandwidth": "1mbit"}\n', 65, "not an empty value")
policy("json-nested-string.json", '{"throttling": "fal\\u0000se"}\n', 65, "throttling is true or false")
# Tag-file-like inputs: a service-tags download given where a policy belongs.
policy("service-tags.json", '{"changeNumber": 123, "cloud": "Public", "values": [{"name": "AzureBackup", '
       '"properties": {"addressPrefixes": ["20.0.0.0/24"]}}]}\n', 65, "unknown key \"changeNumber\"")
policy("service-tags-empty.json", '{"values": []}\n', 65, "unknown key \"values\"")
policy("service-tags-truncated.json", '{"changeNumber": 1, "values": [{"name": "Storage", "properties": {"addressPref',
       65, "not valid YAML or JSON")
policy("service-tags-binary.json", b'{"values": ["\x00\x01"]}\n', 65, "control character U+0000")

# --- Files that cannot be read (66) -------------------------------------------------------------------
case("validate missing file", 66, ["validate", "/nonexistent/policy.yaml"], "/nonexistent/policy.yaml: the policy file does not exist")
case("validate a directory", 66, ["validate", "/tmp"], "/tmp: the policy file is a directory")
case("show --policy missing", 66, ["show", "--policy", "/nonexistent.yaml"], "does not exist")
case("simulate --policy dir", 66, ["simulate", "--policy", "/", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z"], "is a directory")
case("validate /dev/null", 65, ["validate", "/dev/null"], "/dev/null:1:1: the policy file is empty")
case("validate - empty stdin", 65, ["validate", "-"], "-:1:1: the policy file is empty")
case("validate - bad stdin", 65, ["validate", "-"], "-:6:22: \"10Mbps\" is ambiguous", stdin="rate-bps.yaml")
case("validate /dev/stdin bad", 65, ["validate", "/dev/stdin"], "/dev/stdin:8:17: byte 0xE9", stdin="not-utf8.yaml")
case("show --policy - bad", 65, ["show", "--policy", "-"], "-:8:15: control character", stdin="nul-byte.yaml")

# --- Command-line flags --------------------------------------------------------------------------------
FLAGS = ["--work-days", "mon-fri", "--start-work-hour", "09:00", "--end-work-hour", "18:00",
         "--work-hour-bandwidth", "10mbit", "--non-work-hour-bandwidth", "100mbit", "--time-zone", "Etc/UTC"]


def with_flag(flag, value):
    out = list(FLAGS)
    if flag in out:
        out[out.index(flag) + 1] = value
    else:
        out += [flag, value]
    return out


AT = ["--at", "2026-11-24T10:00:00Z"]
SPAN = ["--from", "2026-11-23T00:00:00Z", "--to", "2026-11-24T00:00:00Z"]
for name, flag, value, expect in [
    ("days empty", "--work-days", "", "--work-days: the list of work days is empty: write none"),
    ("days unknown", "--work-days", "funday", "--work-days: unknown day"),
    ("days double comma", "--work-days", "mon,,tue", "empty item between commas"),
    ("days blank", "--work-days", "  ", "the list of work days is empty"),
    ("start 25", "--start-work-hour", "25:00", "--start-work-hour: "), ("end 12:60", "--end-work-hour", "12:60", "--end-work-hour: "),
    ("start empty", "--start-work-hour", "", "--start-work-hour: "), ("start 24:00", "--start-work-hour", "24:00", "cannot start at 24:00"),
    ("rate bps", "--work-hour-bandwidth", "10Mbps", "--work-hour-bandwidth: \"10Mbps\" is ambiguous"),
    ("rate 10tbit", "--work-hour-bandwidth", "10tbit", "--work-hour-bandwidth: the work-hour bandwidth, 10000000000000 bit/s, is out of range"),
    ("rate big non-work", "--non-work-hour-bandwidth", "6871787672000", "--non-work-hour-bandwidth: the non-work-hour bandwidth, 6871787672000 bit/s"),
    ("rate pair download", "--non-work-hour-bandwidth", "1mbit:700gbit", "the non-work-hour download bandwidth, 700000000000 bit/s"),
    ("rate three parts", "--work-hour-bandwidth", "1mbit:2mbit:3mbit", "is not RATE or UPLOAD:DOWNLOAD"),
    ("rate empty", "--work-hour-bandwidth", "", "a rate is missing"), ("rate half", "--work-hour-bandwidth", "½mbit", "not one of the digits"),
    ("rate exponent", "--work-hour-bandwidth", "1e9", "exponents are not accepted"),
    ("rate many places", "--work-hour-bandwidth", "1.0000000000000000000001mbit", "more than 18 decimal places"),
    ("rate arabic", "--work-hour-bandwidth", "٣٠mbit", "not one of the digits"), ("rate hex", "--non-work-hour-bandwidth", "0x10", "hexadecimal"),
    ("rate 40bit", "--work-hour-bandwidth", "40bit", "out of range"), ("rate nan", "--work-hour-bandwidth", "nan", "not a rate"),
    ("rate inf", "--work-hour-bandwidth", "inf", "not a rate"), ("rate unlimited typo", "--work-hour-bandwidth", "unlimitd", "not a rate"),
    ("rate negative", "--work-hour-bandwidth", "-1", "--work-hour-bandwidth: \"-1\" is negative"),
    ("non-work rate negative", "--non-work-hour-bandwidth", "-5mbit", "--non-work-hour-bandwidth: \"-5mbit\" is negative"),
    ("start negative", "--start-work-hour", "-1:00", "--start-work-hour: \"-1:00\" is not a time of day"),
    ("end negative", "--end-work-hour", "-1:00", "--end-work-hour: \"-1:00\" is not a time of day"),
    ("zone offset", "--time-zone", "-05:00", "--time-zone: unknown time zone \"-05:00\""),
    ("days dash", "--work-days", "-mon", "--work-days: "),
    ("port negative", "--port", "-1", "--port: a port is a number 1 … 65535, not \"-1\""),
    ("dates negative", "--exception-dates", "-2026-01-01", "--exception-dates: \"-2026-01-01\" is not a date"),
    ("zone empty", "--time-zone", "", "--time-zone: "),
    ("zone traversal", "--time-zone", "../../../etc/passwd", "--time-zone: "), ("zone unknown", "--time-zone", "Mars/Olympus", "unknown time zone"),
    ("zone localtime", "--time-zone", "localtime", "unknown time zone \"localtime\": that is the system's zone file"),
    ("zone posixrules", "--time-zone", "posixrules", "unknown time zone \"posixrules\""),
    ("zone posix copy", "--time-zone", "posix/Europe/Berlin", "posix/ holds copies of the zones; write \"Europe/Berlin\""),
    ("zone right copy", "--time-zone", "right/Europe/Berlin", "right/ zones count leap seconds"),
    ("zone factory", "--time-zone", "Factory", "unknown time zone \"Factory\""),
    ("profile unknown", "--os-profile", "win", "unknown OS profile"), ("profile windows 7", "--os-profile", "windows-7", "network throttling is not available"),
    ("dates bad", "--exception-dates", "2026-02-30", "not a date in the calendar"), ("dates words", "--exception-dates", "soon", "not a date"),
    ("dates empty item", "--exception-dates", "2026-01-01,,2026-01-02", "\"\" is not a date"),
    ("dates empty", "--exception-dates", "", "\"\" is not a date"),
    ("dates year zero", "--exception-dates", "0000-01-01", "--exception-dates: \"0000-01-01\" is out of range: years run from 0001 to 9999"),
]:
    code = 69 if "windows 7" in name else 65
    case(f"show {name}", code, ["show"] + with_flag(flag, value) + AT, expect)
for name, flag, value, expect in [
    ("rate 10tbit", "--work-hour-bandwidth", "10tbit", "out of range"), ("days empty", "--work-days", "", "write none"),
    ("rate fraction", "--work-hour-bandwidth", "1.5bit", "not a whole number"), ("zone empty", "--time-zone", "", "--time-zone: "),
]:
    case(f"simulate {name}", 65, ["simulate"] + with_flag(flag, value) + SPAN, expect)
    case(f"apply dry-run {name}", 65, ["apply", "--dry-run", "-i", "lo"] + with_flag(flag, value) + AT, expect)
    case(f"apply {name}", 65, ["apply", "-i", "lo"] + with_flag(flag, value) + AT, expect, reaches="reaches-apply")

# Usage errors (64).
for name, args, expect in [
    ("no policy", ["show"], "no policy given"), ("partial flags", ["show", "--work-days", "mon"], "missing --start-work-hour"),
    ("no-throttle with flags", ["show", "--no-throttle", "--work-days", "mon"], "--no-throttle cannot be combined"),
    ("unknown option show", ["show", "--polcy", "x.yaml"], "unknown option '--polcy' for 'throttlectl show'"),
    ("unknown option params", ["params", "--bogus"], "unknown option '--bogus' for 'throttlectl params'"),
    ("unknown short", ["show", "-z"], "unknown option '-z'"),
    ("unknown option apply", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--forse"], "unknown option '--forse'"),
    ("unknown option status", ["status", "--interfac", "lo"], "unknown option '--interfac'"),
    ("unknown option validate", ["validate", "--strict", "x.yaml"], "unknown option '--strict'"),
    ("unknown option simulate", ["simulate", "--no-throttle", "--from", "2026-01-01T00:00:00Z", "--until", "x"], "unknown option '--until'"),
    ("unknown subcommand", ["frobnicate"], "Unexpected argument 'frobnicate'"),
    ("validate no file", ["validate"], "Missing expected argument"),
    ("validate two files", ["validate", "a.yaml", "b.yaml"], "Unexpected argument"),
    ("bad --at", ["show", "--no-throttle", "--at", "yesterday"], "--at"),
    ("at without offset", ["show", "--no-throttle", "--at", "2026-01-01T00:00:00"], "not an ISO-8601 instant with an offset"),
    ("at feb 30", ["show", "--no-throttle", "--at", "2026-02-30T00:00:00Z"], "not a date in the calendar"),
    ("at leap second", ["show", "--no-throttle", "--at", "2026-06-30T23:59:60Z"], "not an ISO-8601 instant"),
    ("at negative", ["show", "--no-throttle", "--at", "-1"], "\"-1\" is not an ISO-8601 instant"),
    ("at date only", ["show", "--no-throttle", "--at", "2026-01-01"], "not an ISO-8601 instant"),
    ("at offset 25h", ["show", "--no-throttle", "--at", "2026-01-01T00:00:00+25:00"], "not an ISO-8601 instant"),
    ("simulate reversed", ["simulate", "--no-throttle", "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z"], "--from must be before --to"),
    ("simulate equal", ["simulate", "--no-throttle", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z"], "--from must be before --to"),
    ("simulate too long", ["simulate", "--no-throttle", "--from", "0001-01-01T00:00:00Z", "--to", "9999-01-01T00:00:00Z"], "more than 100 years"),
    ("simulate no span", ["simulate", "--no-throttle"], "simulate needs --from and --to"),
    ("simulate bad format", ["simulate", "--no-throttle", "--format", "pdf"] + SPAN, "pdf"),
    ("transfer no start", ["simulate", "--no-throttle", "--transfer", "1GB"], "--transfer needs --start"),
    ("transfer with from", ["simulate", "--no-throttle", "--transfer", "1GB", "--start", "2026-01-01T00:00:00Z"] + SPAN, "--transfer goes with --start"),
    ("transfer svg", ["simulate", "--no-throttle", "--transfer", "1GB", "--start", "2026-01-01T00:00:00Z", "--format", "svg"], "prints as text or json"),
    ("link speed alone", ["simulate", "--no-throttle", "--link-speed", "1gbit"] + SPAN, "--start and --link-speed go with --transfer"),
    ("params no rate", ["params"], "--rate"), ("params latency and limit", ["params", "--rate", "1mbit", "--qdisc", "tbf", "--latency", "1ms", "--limit", "9000"], "give --latency or --limit, not both"),
    ("params tbf ceil", ["params", "--rate", "1mbit", "--qdisc", "tbf", "--ceil", "2mbit"], "belong to HTB"),
    ("params htb latency", ["params", "--rate", "1mbit", "--latency", "10ms"], "belong to TBF"),
    ("params bad mode", ["params", "--rate", "1mbit", "--mode", "fast"], "--mode is safe or tc"),
    ("params bad qdisc", ["params", "--rate", "1mbit", "--qdisc", "sfq"], "sfq"),
    ("wait nan", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", "nan"], "--wait takes a number of seconds, not nan"),
    ("wait inf", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", "inf"], "--wait takes a number of seconds, not inf"),
    ("wait negative", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", "-1"], "--wait cannot be negative"),
    ("wait huge", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", "1e300"], "more than an hour"),
    ("wait text", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", "soon"], "soon"),
    ("wait leading space", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", " 5"], "--wait takes a number of seconds (0 to 3600), not \" 5\""),
    ("wait negative spaced", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", "-1"], "--wait cannot be negative"),
    ("simulate json and csv", ["simulate", "--no-throttle", "--json", "--format", "csv"] + SPAN, "give --json or --format csv, not both"),
    ("status two policies", ["status", "-i", "lo", "--policy", "a.yaml", "--policy", "b.yaml"], "--policy is given 2 times"),
    ("show two policies", ["show", "--policy", "a.yaml", "--policy", "b.yaml"], "--policy is given 2 times"),
    ("state dir empty", ["apply", "-i", "lo", "--dry-run", "--no-throttle", "--state-dir", ""], "--state-dir cannot be empty"),
    ("apply no interface", ["apply", "--dry-run", "--no-throttle"], "--interface"),
]:
    case(name, 64, args, expect)
for name, iface, expect in [
    ("empty", "", "an interface name cannot be empty"), ("space", "eth 0", "it contains white space"),
    ("newline", "eth0\nx", "it contains white space"), ("tab", "eth\t0", "white space"), ("colon", "eth0:1", "it contains \":\""),
    ("slash", "a/b", "it contains \"/\""), ("dot", ".", "is not an interface name"), ("dotdot", "..", "is not an interface name"),
    ("16 bytes", "abcdefghijklmnop", "16 bytes, the most is 15"), ("long utf8", "ééééééééé", "18 bytes, the most is 15"),
    ("control", "eth\u00010", "it contains a control character"), ("del", "eth\u007f", "control character"),
    ("c1", "eth\u0085", "control character"), ("escape", "\u001b[31m", "control character"),
]:
    case(f"status interface {name}", 64, ["status", "-i", iface], expect)
    case(f"apply dry-run interface {name}", 64, ["apply", "--dry-run", "--no-throttle", "-i", iface], expect)
    case(f"clear interface {name}", 64, ["clear", "-i", iface], expect, reaches="reaches-apply")
    case(f"apply interface {name}", 64, ["apply", "--no-throttle", "-i", iface], expect, reaches="reaches-apply")

# params: crashes and hangs of issue 7, and more (65).
for name, args, expect in [
    ("rate 40bit", ["--rate", "40bit"], "--rate: a rate of 40 bit/s is out of range"), ("rate 8bit", ["--rate", "8bit"], "out of range"),
    ("rate 8kbit mtu 300000", ["--rate", "8kbit", "--mtu", "300000"], "--mtu: an MTU of 300000 bytes is out of range: give 68 to 131072 bytes"),
    ("rate 10tbit", ["--rate", "10tbit"], "--rate: a rate of 10000000000000 bit/s is out of range"),
    ("mtu u32 max", ["--rate", "1mbit", "--mtu", "4294967295"], "--mtu: an MTU of 4294967295 bytes is out of range"),
    ("tbf mtu i32 max", ["--rate", "1mbit", "--qdisc", "tbf", "--mtu", "2147483647"], "give 68 to 131072 bytes"),
    ("mtu 0", ["--rate", "1mbit", "--mtu", "0"], "--mtu: an MTU of 0 bytes is out of range: give 68 to 131072"),
    ("tc mtu 0", ["--rate", "1mbit", "--mode", "tc", "--mtu", "0"], "give 68 to 131072"),
    ("tc rate 40bit", ["--rate", "40bit", "--mode", "tc"], "more than the 32-bit buffer field holds"),
    ("tc rate 8bit tbf", ["--rate", "8bit", "--mode", "tc", "--qdisc", "tbf", "--burst", "1600", "--latency", "1ms"], "32-bit"),
    ("tc limit overflow", ["--rate", "40tbit", "--mode", "tc", "--qdisc", "tbf", "--burst", "1MB", "--latency", "1ms"], "give a shorter latency or a limit"),
    ("ceil 10tbit", ["--rate", "1mbit", "--ceil", "10tbit"], "--ceil: a rate of 10000000000000 bit/s is out of range"),
    ("ceil below rate", ["--rate", "10mbit", "--ceil", "5mbit"], "give a ceil at or above the rate"),
    ("peakrate below", ["--rate", "10mbit", "--qdisc", "tbf", "--peakrate", "5mbit"], "must be above the rate"),
    ("peakrate huge", ["--rate", "10mbit", "--qdisc", "tbf", "--peakrate", "10tbit"], "--peakrate: a rate of 10000000000000 bit/s"),
    ("burst half", ["--rate", "1mbit", "--burst", "½KB"], "--burst: \"½KB\" is not a size: \"½\" is not one of the digits"),
    ("burst arabic", ["--rate", "1mbit", "--burst", "٣KB"], "is not a size"), ("burst exponent", ["--rate", "1mbit", "--burst", "1e3"], "exponents"),
    ("burst leading point", ["--rate", "1mbit", "--burst", ".5KB"], "starts with a point"),
    ("burst kb", ["--rate", "1mbit", "--burst", "64kb"], "is ambiguous"), ("burst huge", ["--rate", "1mbit", "--burst", "99999999999999999999"], "is too large"),
    ("burst below frame", ["--rate", "10mbit", "--burst", "100"], "below one frame"), ("burst zero tc", ["--rate", "10mbit", "--mode", "tc", "--qdisc", "tbf", "--burst", "0", "--limit", "1000"], "passes nothing"),
    ("burst too big", ["--rate", "10mbit", "--qdisc", "tbf", "--burst", "1GB"], "more than 100 ms"),
    ("htb burst over 32 bits", ["--rate", "600gbit", "--burst", "4GiB"], "does not fit HTB's 32-bit size (at most 4294967295"),
    ("tbf latency overflow", ["--rate", "600gbit", "--qdisc", "tbf", "--latency", "10s"], "give a shorter latency or a limit"),
    ("burst over 32 bits", ["--rate", "10mbit", "--mode", "tc", "--qdisc", "tbf", "--burst", "8GB", "--limit", "1000"], "does not fit 32 bits"),
    ("latency exponent", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "1e3ms"], "--latency: \"1e3ms\" is not a duration"),
    ("latency no unit", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "50"], "needs a unit"),
    ("latency hours", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "1h"], "unknown unit"),
    ("latency zero", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "0ms"], "a latency of 0"),
    ("latency 11s", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "11s"], "more than 10 s"),
    ("latency fraction us", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "0.1us"], "not a whole number of microseconds"),
    ("latency negative", ["--rate", "1mbit", "--qdisc", "tbf", "--latency=-1ms"], "is negative"),
    ("latency negative spaced", ["--rate", "1mbit", "--qdisc", "tbf", "--latency", "-1ms"], "--latency: \"-1ms\" is not a duration: it is negative"),
    ("limit zero", ["--rate", "1mbit", "--qdisc", "tbf", "--limit", "0"], "drops every packet"),
    ("limit small", ["--rate", "1mbit", "--qdisc", "tbf", "--limit", "100"], "cannot queue one frame"),
    ("limit over 32 bits", ["--rate", "1mbit", "--qdisc", "tbf", "--limit", "8GB"], "does not fit 32 bits"),
    ("quantum zero", ["--rate", "1mbit", "--quantum", "0"], "omit it instead"), ("r2q zero", ["--rate", "1mbit", "--r2q", "0"], "r2q must be at least 1"),
    ("rate zero", ["--rate", "0"], "is zero"), ("rate text", ["--rate", "fast"], "not a rate"), ("rate empty", ["--rate", ""], "a rate is missing"),
    ("rate unlimited", ["--rate", "unlimited"], "not a rate"),
    # Whole-number flags read by our parser (item: negative and malformed values reach ArgumentParser).
    ("mtu too big for 32 bits", ["--rate", "1mbit", "--mtu", "4294967296"], "--mtu: \"4294967296\" is too large: at most 4294967295"),
    ("mtu huge", ["--rate", "1mbit", "--mtu", "99999999999999999999"], "--mtu: \"99999999999999999999\" is too large"),
    ("mtu negative", ["--rate", "1mbit", "--mtu", "-1"], "--mtu: \"-1\" is negative"),
    ("mtu negative equals", ["--rate", "1mbit", "--mtu=-1"], "--mtu: \"-1\" is negative"),
    ("mtu with unit", ["--rate", "1mbit", "--mtu", "1500B"], "--mtu: \"1500B\" is not a number of bytes"),
    ("quantum text", ["--rate", "1mbit", "--quantum", "lots"], "--quantum: \"lots\" is not a number of bytes"),
    ("r2q negative", ["--rate", "1mbit", "--r2q", "-5"], "--r2q: \"-5\" is negative"),
    ("r2q fraction", ["--rate", "1mbit", "--r2q", "1.5"], "--r2q: \"1.5\" is not a whole number"),
    ("rate negative", ["--rate", "-1mbit"], "--rate: \"-1mbit\" is negative"),
    ("burst negative", ["--rate", "1mbit", "--burst", "-1KB"], "--burst: \"-1KB\" is not a size: it is negative"),
]:
    case(f"params {name}", 65, ["params"] + args, expect)
for name, args, expect in [
    ("transfer half", ["--transfer", "½GB"], "is not a size"), ("transfer exponent", ["--transfer", "1e9"], "exponents"),
    ("transfer unit", ["--transfer", "1 furlong"], "unknown unit"), ("transfer huge", ["--transfer", "99999999999999999999"], "is too large"),
    ("link speed bad", ["--transfer", "1GB", "--link-speed", "1e9"], "exponents"),
    ("link speed word", ["--transfer", "1GB", "--link-speed", "x"], "--link-speed: \"x\" is not a rate"),
    ("transfer petabyte", ["--transfer", "1PB"], "--transfer: \"1PB\" has an unknown unit"),
    ("transfer negative", ["--transfer", "-1GB"], "--transfer: \"-1GB\" is not a size: it is negative"),
    ("unlimited without link", ["--transfer", "1GB"], "give the link's speed (--link-speed)"),
]:
    pol = ["--work-days", "mon", "--start-work-hour", "09:00", "--end-work-hour", "10:00", "--work-hour-bandwidth", "1mbit",
           "--non-work-hour-bandwidth", "unlimited", "--time-zone", "Etc/UTC"]
    case(f"simulate {name}", 65, ["simulate"] + pol + args + ["--start", "2026-01-05T09:00:00Z"], expect)

# Every command on a bad policy file, so each reports with the file's position.
for command in (["show"], ["simulate"] + SPAN, ["apply", "--dry-run", "-i", "lo"], ["status", "-i", "lo"]):
    case(f"{command[0]} bad file {'dry-run' if '--dry-run' in command else ''}".strip(), 65,
         command[:1] + ["--policy", "@nonwork-above-range.yaml"] + command[1:], "nonwork-above-range.yaml:7:26: ")
case("apply bad file", 65, ["apply", "-i", "lo", "--policy", "@nonwork-above-range.yaml"], "nonwork-above-range.yaml:7:26: ", reaches="reaches-apply")
case("apply not utf8", 65, ["apply", "-i", "lo", "--policy", "@not-utf8.yaml"], "not-utf8.yaml:8:17: byte 0xE9", reaches="reaches-apply")
case("apply windows 7", 69, ["apply", "-i", "lo", "--policy", "@windows-7.yaml"], "network throttling is not available", reaches="reaches-apply")
case("apply missing file", 66, ["apply", "-i", "lo", "--policy", "/nonexistent.yaml"], "does not exist", reaches="reaches-apply")

# Schedule flags over a file that turns throttling off would be ignored: refused (64), pointing at the key.
with open(os.path.join(files, "throttling-off.yaml"), "w") as f:
    f.write("description: off for now\nthrottling: false\n")
for command in (["show"], ["simulate"] + SPAN, ["apply", "--dry-run", "-i", "lo"]):
    case(f"{command[0]} schedule flags over throttling false", 64,
         command[:1] + ["--policy", "@throttling-off.yaml", "--work-hour-bandwidth", "1mbit", "--work-days", "mon"] + command[1:],
         "--work-days, --work-hour-bandwidth would be ignored: the policy turns throttling off (throttling: false at ")

names = set()
with open(os.path.join(here, "cases.tsv"), "w", encoding="utf-8") as out:
    out.write("# Generated by make-corpus.py: edit that, then rerun it. Columns: name, exit, reaches, stdin, args, expect.\n")
    for name, code, reaches, stdin, args, expect in cases:
        assert name not in names, name
        names.add(name)
        for field in (name, expect):
            assert "\t" not in field and "\n" not in field, name
        out.write("\t".join([name, str(code), reaches, stdin, json.dumps(args, ensure_ascii=False), expect]) + "\n")
print(f"{len(cases)} cases, {sum(1 for c in cases if c[2] == '-')} without the kernel")
