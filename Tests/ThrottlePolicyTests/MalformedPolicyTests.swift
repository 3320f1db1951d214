import Foundation
import Testing
import ThrottlePolicy

/// One malformed policy file: what it says, and the exit code, message and position it must produce.
struct MalformedPolicy: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let exitCode: Int32
    let fragment: String
    let line: Int
    let column: Int

    var testDescription: String { name }
}

/// A valid policy, one line per setting, that the cases below break one way at a time.
private let validLines = [
    "throttling: true",  // 1
    "time-zone: Europe/Berlin",  // 2
    "work-days: [mon, tue]",  // 3
    "work-hours:",  // 4
    "  start: \"09:00\"",  // 5
    "  end: \"18:00\"",  // 6
    "work-hour-bandwidth: 524288",  // 7
    "non-work-hour-bandwidth: 2097152",  // 8
]

/// The valid policy with line `number` (1-based) replaced; `nil` removes it.
private func replacing(_ number: Int, with line: String?) -> String {
    var lines = validLines
    if let line { lines[number - 1] = line } else { lines.remove(at: number - 1) }
    return lines.joined(separator: "\n") + "\n"
}

private func appending(_ line: String) -> String { (validLines + [line]).joined(separator: "\n") + "\n" }

let malformedPolicies: [MalformedPolicy] = [
    .init(name: "unknown key with a hint", text: replacing(3, with: "wrok-days: [mon]"), exitCode: 65,
          fragment: "unknown key \"wrok-days\"; did you mean \"work-days\"?", line: 3, column: 1),
    .init(name: "duplicate key", text: appending("time-zone: UTC"), exitCode: 65,
          fragment: "duplicate key \"time-zone\" (first at line 2, column 1)", line: 9, column: 1),
    .init(name: "throttling not a boolean", text: replacing(1, with: "throttling: maybe"), exitCode: 65,
          fragment: "throttling is true or false, not \"maybe\"", line: 1, column: 13),
    .init(name: "throttling a list", text: replacing(1, with: "throttling: [true]"), exitCode: 65,
          fragment: "expected true or false, not a list", line: 1, column: 13),
    .init(name: "work day a number", text: replacing(3, with: "work-days: 5"), exitCode: 65,
          fragment: "unknown day \"5\"", line: 3, column: 12),
    .init(name: "work days a mapping", text: replacing(3, with: "work-days: {mon: 1}"), exitCode: 65,
          fragment: "expected a list of days", line: 3, column: 12),
    .init(name: "unknown day in a list", text: replacing(3, with: "work-days: [mon, funday]"), exitCode: 65,
          fragment: "unknown day \"funday\"", line: 3, column: 18),
    .init(name: "nested list of days", text: replacing(3, with: "work-days: [mon, [tue]]"), exitCode: 65,
          fragment: "expected one item of a list of days", line: 3, column: 18),
    .init(name: "bad day range", text: replacing(3, with: "work-days: mon-tue-wed"), exitCode: 65,
          fragment: "unknown day range", line: 3, column: 12),
    .init(name: "work hours a string", text: replacing(4, with: "work-hours: 09:00-18:00")
              .replacingFirst("  start: \"09:00\"\n  end: \"18:00\"\n", with: ""), exitCode: 65,
          fragment: "work-hours is a mapping with start and end", line: 4, column: 13),
    .init(name: "work hours without end", text: replacing(6, with: nil), exitCode: 65,
          fragment: "work-hours needs both start and end; missing end", line: 5, column: 3),
    // In line order, the mapping's "missing end" (at its first key) comes before the unknown key below it.
    .init(name: "unknown key in work hours", text: replacing(6, with: "  finish: \"18:00\""), exitCode: 65,
          fragment: "work-hours needs both start and end; missing end", line: 5, column: 3),
    .init(name: "start not a time", text: replacing(5, with: "  start: 9am"), exitCode: 65,
          fragment: "\"9am\" is not a time of day", line: 5, column: 10),
    .init(name: "start out of range", text: replacing(5, with: "  start: \"25:00\""), exitCode: 65,
          fragment: "\"25:00\" is out of range", line: 5, column: 10),
    .init(name: "end past 24:00", text: replacing(6, with: "  end: \"24:30\""), exitCode: 65,
          fragment: "\"24:30\" is out of range", line: 6, column: 8),
    .init(name: "start equals end", text: replacing(6, with: "  end: \"09:00\""), exitCode: 65,
          fragment: "start and end at the same time (09:00)", line: 6, column: 8),
    .init(name: "start at 24:00", text: replacing(5, with: "  start: \"24:00\""), exitCode: 65,
          fragment: "cannot start at 24:00", line: 5, column: 10),
    .init(name: "ambiguous bps rate", text: replacing(7, with: "work-hour-bandwidth: 10Mbps"), exitCode: 65,
          fragment: "\"10Mbps\" is ambiguous", line: 7, column: 22),
    .init(name: "zero rate", text: replacing(7, with: "work-hour-bandwidth: 0"), exitCode: 65,
          fragment: "\"0\" is zero", line: 7, column: 22),
    .init(name: "rate below the linux minimum", text: replacing(7, with: "work-hour-bandwidth: 1000"), exitCode: 65,
          fragment: "the work-hour bandwidth, 1000 bit/s, is out of range for OS profile linux: rates run from 8000", line: 7, column: 22),
    .init(name: "rate below the MARS minimum", text: appending("os-profile: windows-server-2019")
              .replacingFirst("524288", with: "524287"), exitCode: 65,
          fragment: "the work-hour bandwidth, 524287 bit/s, is out of range for OS profile windows-server-2019", line: 7, column: 22),
    .init(name: "rate above the MARS maximum", text: appending("os-profile: windows-10")
              .replacingFirst("2097152", with: "1072693249"), exitCode: 65,
          fragment: "from 524288 (512kibit) to 1072693248 (1023mibit) bit/s", line: 8, column: 26),
    .init(name: "unlimited on a Windows profile", text: appending("os-profile: windows-11")
              .replacingFirst("2097152", with: "unlimited"), exitCode: 65,
          fragment: "\"unlimited\" is not a MARS setting", line: 8, column: 26),
    .init(name: "rate a list", text: replacing(8, with: "non-work-hour-bandwidth: [1, 2]"), exitCode: 65,
          fragment: "expected a rate such as 524288", line: 8, column: 26),
    .init(name: "rate empty", text: replacing(8, with: "non-work-hour-bandwidth:"), exitCode: 65,
          fragment: "not an empty value", line: 8, column: 25),
    .init(name: "fractional bits", text: replacing(7, with: "work-hour-bandwidth: 8000.5"), exitCode: 65,
          fragment: "not a whole number of bits per second", line: 7, column: 22),
    .init(name: "unknown time zone", text: replacing(2, with: "time-zone: Mars/Olympus_Mons"), exitCode: 65,
          fragment: "unknown time zone \"Mars/Olympus_Mons\"", line: 2, column: 12),
    .init(name: "lower-case time zone", text: replacing(2, with: "time-zone: europe/berlin"), exitCode: 65,
          fragment: "unknown time zone", line: 2, column: 12),
    .init(name: "impossible exception date", text: appending("exception-dates: [2026-02-30]"), exitCode: 65,
          fragment: "\"2026-02-30\" is not a date in the calendar", line: 9, column: 19),
    .init(name: "exception date with slashes", text: appending("exception-dates: [2026/12/25]"), exitCode: 65,
          fragment: "write it as YYYY-MM-DD", line: 9, column: 19),
    .init(name: "exception date a number", text: appending("exception-dates: [20261225]"), exitCode: 65,
          fragment: "\"20261225\" is not a date", line: 9, column: 19),
    .init(name: "unknown OS profile", text: appending("os-profile: windows-95"), exitCode: 65,
          fragment: "unknown OS profile \"windows-95\": known profiles are linux, windows-server-2008-r2", line: 9,
          column: 13),
    .init(name: "Windows 7 with throttling", text: appending("os-profile: windows-7")
              .replacingFirst("524288", with: "1mibit"), exitCode: 69,
          fragment: "network throttling is not available for machines running Windows Server 2008 R2, "
              + "Windows Server 2008 SP2 or Windows 7 (OS profile \"windows-7\"", line: 9, column: 13),
    .init(name: "Windows Server 2008 R2 with throttling", text: appending("os-profile: windows-server-2008-r2"),
          exitCode: 69, fragment: "OS profile \"windows-server-2008-r2\"", line: 9, column: 13),
    .init(name: "Windows Server 2008 SP2, throttling by default", text: appending("os-profile: windows-server-2008-sp2")
              .replacingFirst("throttling: true\n", with: ""), exitCode: 69,
          fragment: "Windows Server 2008 SP2)", line: 8, column: 13),
    .init(name: "missing bandwidth", text: replacing(7, with: nil), exitCode: 65,
          fragment: "missing work-hour-bandwidth: a throttled policy needs all of work-days", line: 1, column: 1),
    .init(name: "missing everything", text: "time-zone: UTC\n", exitCode: 65,
          fragment: "missing work-days, work-hours.start, work-hours.end, work-hour-bandwidth", line: 1, column: 1),
    .init(name: "empty file", text: "", exitCode: 65, fragment: "the policy file is empty", line: 1, column: 1),
    .init(name: "comments only", text: "# nothing here\n", exitCode: 65, fragment: "the policy file is empty",
          line: 1, column: 1),
    .init(name: "a list instead of a mapping", text: "- mon\n- tue\n", exitCode: 65,
          fragment: "a policy is a mapping of keys", line: 1, column: 1),
    .init(name: "a scalar instead of a mapping", text: "throttle everything\n", exitCode: 65,
          fragment: "a policy is a mapping of keys (throttling, work-days, …), not \"throttle everything\"", line: 1,
          column: 1),
    .init(name: "unclosed flow list", text: replacing(3, with: "work-days: [mon, tue"), exitCode: 65,
          fragment: "not valid YAML or JSON", line: 4, column: 11),
    .init(name: "JSON without its closing brace", text: "{\"throttling\": false,\n \"time-zone\": \"UTC\"\n",
          exitCode: 65, fragment: "not valid YAML or JSON", line: 3, column: 1),
    .init(name: "JSON with a wrong type", text: "{\"throttling\": \"sometimes\", \"time-zone\": \"UTC\"}", exitCode: 65,
          fragment: "throttling is true or false, not \"sometimes\"", line: 1, column: 16),
    .init(name: "a list as a key", text: appending("[a, b]: 1"), exitCode: 65,
          fragment: "a key must be a name, not a list", line: 9, column: 1),
    .init(name: "description not text", text: appending("description: [x]"), exitCode: 65,
          fragment: "expected text, not a list", line: 9, column: 14),
    .init(name: "tab indentation", text: replacing(5, with: "\tstart: \"09:00\""), exitCode: 65,
          fragment: "a tab: YAML indents with spaces", line: 5, column: 1),
    .init(name: "tab after spaces", text: replacing(5, with: "  \tstart: \"09:00\""), exitCode: 65,
          fragment: "a tab: YAML indents with spaces", line: 5, column: 3),
    .init(name: "YAML infinity", text: replacing(7, with: "work-hour-bandwidth: .inf"), exitCode: 65,
          fragment: "\".inf\" is not a rate: it is not a number;", line: 7, column: 22),
    .init(name: "YAML octal", text: replacing(7, with: "work-hour-bandwidth: 0o2000000"), exitCode: 65,
          fragment: "\"0o2000000\" is not a rate: it is not a number (octal is not accepted)", line: 7, column: 22),
]

struct MalformedPolicyTests {
    @Test(arguments: malformedPolicies)
    func isRejectedAtItsPosition(_ policy: MalformedPolicy) throws {
        let error = try #require(throws: PolicyError.self) {
            try PolicyLoader.policy(text: policy.text, file: "policy.yaml")
        }
        #expect(error.exitCode == policy.exitCode)
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.message.contains(policy.fragment), "\(diagnostic.message)")
        #expect(diagnostic.origin == .file(SourceLocation(file: "policy.yaml", line: policy.line, column: policy.column)))
        #expect(diagnostic.description.hasPrefix("policy.yaml:\(policy.line):\(policy.column): "))
    }

    @Test func thereAreAtLeastThirtyCases() {
        #expect(malformedPolicies.count >= 30)
        #expect(Set(malformedPolicies.map(\.name)).count == malformedPolicies.count)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let text = replacing(3, with: "work-days: [mon, funday]").replacingFirst("524288", with: "10Mbps")
            + "colour: blue\n"
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        #expect(error.diagnostics.map(\.description).map { $0.prefix(while: { $0 != " " }) } == [
            "p.yaml:3:18:", "p.yaml:7:22:", "p.yaml:9:1:",
        ])
    }

    @Test func anUnknownWorkHoursKeyIsListedAtItsLine() throws {
        let text = replacing(6, with: "  finish: \"18:00\"")
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        #expect(error.diagnostics.map(\.description).contains { $0.hasPrefix("p.yaml:6:3: unknown key \"finish\"") })
    }

    @Test func problemsOnOneLineComeInColumnOrder() throws {
        let text = replacing(4, with: "work-hours: {end: \"26:00\", start: \"25:00\"}")
            .replacingFirst("  start: \"09:00\"\n", with: "")
            .replacingFirst("  end: \"18:00\"\n", with: "")
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        #expect(error.diagnostics.map(\.description).map { $0.prefix(while: { $0 != " " }) } == [
            "p.yaml:4:19:", "p.yaml:4:35:",
        ])
    }

    @Test func anInvalidValueOutranksTheRefusedProfile() throws {
        let text = appending("os-profile: windows-7").replacingFirst("524288", with: "10")
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        #expect(error.exitCode == 65)
        #expect(error.diagnostics.contains { $0.category == .profileCannotThrottle })
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

struct DirectionalPolicyTests {
    @Test func eachDirectionCanHaveItsOwnRate() throws {
        let text = """
            time-zone: UTC
            work-days: [mon]
            work-hours: {start: "09:00", end: "17:00"}
            work-hour-bandwidth:
              upload: 10mbit
              download: 50mbit
            non-work-hour-bandwidth: 100mbit
            """
        let policy = try PolicyLoader.policy(text: text, file: "p.yaml")
        let schedule = try #require(policy.schedule)
        #expect(schedule.workHourBandwidth == .bitsPerSecond(10_000_000))
        #expect(schedule.workHourDownloadBandwidth == .bitsPerSecond(50_000_000))
        #expect(schedule.nonWorkHourDownloadBandwidth == .bitsPerSecond(100_000_000))
    }

    @Test(arguments: [
        ("work-hour-bandwidth: {upload: 10mbit}", "needs both upload and download", 7, 22),
        ("work-hour-bandwidth: {upload: 10mbit, down: 5mbit}", "unknown key \"down\" in work-hour-bandwidth", 7, 39),
        ("work-hour-bandwidth: {upload: 10mbit, download: 10Mbps}", "ambiguous", 7, 49),
    ])
    func malformedDirections(line: String, fragment: String, lineNumber: Int, column: Int) throws {
        let text = """
            throttling: true
            time-zone: Europe/Berlin
            work-days: [mon, tue]
            work-hours:
              start: "09:00"
              end: "18:00"
            \(line)
            non-work-hour-bandwidth: 2097152
            """
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.message.contains(fragment), "\(diagnostic.message)")
        #expect(diagnostic.origin == .file(SourceLocation(file: "p.yaml", line: lineNumber, column: column)))
    }

    @Test func marsRangeAppliesToDownloadsToo() throws {
        let text = """
            os-profile: windows-10
            time-zone: UTC
            work-days: [mon]
            work-hours: {start: "09:00", end: "17:00"}
            work-hour-bandwidth: {upload: 1mibit, download: 2gbit}
            non-work-hour-bandwidth: 2mibit
            """
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        #expect(error.diagnostics.first?.message.contains("out of range for OS profile windows-10") == true)
    }
}
