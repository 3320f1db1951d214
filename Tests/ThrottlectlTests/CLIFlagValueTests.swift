import Testing
import TestSupport

/// Flag values that start with "-" or are malformed reach our parsers: the message names the flag, and the
/// exit code is the README's (65 for policy and `params`/`simulate` values, 64 for `--wait` and conflicts).
struct CLIFlagValueTests {
    static let schedule = [
        "--work-days", "mon", "--start-work-hour", "09:00", "--end-work-hour", "10:00",
        "--work-hour-bandwidth", "1mbit", "--non-work-hour-bandwidth", "2mbit", "--at", "2026-01-05T09:30:00Z",
    ]

    static func replacing(_ flag: String, with value: String) -> [String] {
        var arguments = schedule
        arguments[arguments.firstIndex(of: flag)! + 1] = value
        return arguments
    }

    @Test(arguments: [
        ("--work-hour-bandwidth", "-1", "--work-hour-bandwidth: \"-1\" is negative"),
        ("--non-work-hour-bandwidth", "-1", "--non-work-hour-bandwidth: \"-1\" is negative"),
        ("--start-work-hour", "-1:00", "--start-work-hour: \"-1:00\" is not a time of day"),
        ("--end-work-hour", "-1:00", "--end-work-hour: \"-1:00\" is not a time of day"),
    ])
    func negativePolicyValuesNameTheFlag(flag: String, value: String, expected: String) throws {
        let result = try BinaryRunner.run(["show"] + Self.replacing(flag, with: value))
        #expect(result.status == 65)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    @Test(arguments: [
        (["--mtu", "-1"], "--mtu: \"-1\" is negative"),
        (["--mtu", "1500B"], "--mtu: \"1500B\" is not a number of bytes"),
        (["--mtu", "99999999999999999999"], "--mtu: \"99999999999999999999\" is too large"),
        (["--r2q", "1.5"], "--r2q: \"1.5\" is not a whole number"),
        (["--r2q", "-5"], "--r2q: \"-5\" is negative"),
        (["--quantum", "lots"], "--quantum: \"lots\" is not a number of bytes"),
    ])
    func paramsWholeNumbersAreOurs(arguments: [String], expected: String) throws {
        let result = try BinaryRunner.run(["params", "--rate", "1mbit"] + arguments)
        #expect(result.status == 65)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func paramsWholeNumbersStillWork() throws {
        let result = try BinaryRunner.run(["params", "--rate", "10mbit", "--mtu", "9000", "--r2q", "20"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: [
        (["--transfer", "-1GB"], "--transfer: \"-1GB\" is not a size: it is negative"),
        (["--transfer", "1PB"], "--transfer: \"1PB\" has an unknown unit"),
        (["--transfer", "1GB", "--link-speed", "x"], "--link-speed: \"x\" is not a rate"),
    ])
    func transferValuesNameTheFlag(arguments: [String], expected: String) throws {
        let result = try BinaryRunner.run(
            ["simulate", "--no-throttle", "--start", "2026-01-05T09:00:00Z"] + arguments)
        #expect(result.status == 65)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func waitWithASpaceIsOurUsageError() throws {
        let result = try BinaryRunner.run(["apply", "-i", "lo", "--dry-run", "--no-throttle", "--wait", " 5"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--wait takes a number of seconds (0 to 3600), not \" 5\""))
    }

    @Test func jsonAndAnotherFormatConflict() throws {
        let span = ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z"]
        let conflict = try BinaryRunner.run(["simulate", "--no-throttle", "--json", "--format", "csv"] + span)
        #expect(conflict.status == 64)
        #expect(conflict.stderr.contains("give --json or --format csv, not both"))
        let same = try BinaryRunner.run(["simulate", "--no-throttle", "--json", "--format", "json"] + span)
        #expect(same.status == 0, "\(same.stderr)")
    }

    @Test func twoPoliciesAreRefused() throws {
        let file = BinaryRunner.example("office-hours.yaml")
        let result = try BinaryRunner.run(["show", "--policy", file, "--policy", file])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--policy is given 2 times"))
    }
}

/// Schedule flags over a policy file that says `throttling: false` are refused, not silently dropped.
struct CLIUnthrottledPolicyFlagTests {
    @Test func scheduleFlagsOverThrottlingFalseAreRefusedAtTheKey() throws {
        let file = BinaryRunner.example("no-throttle.json")
        let result = try BinaryRunner.run(["show", "--policy", file, "--work-hour-bandwidth", "1mbit"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--work-hour-bandwidth would be ignored: the policy turns throttling off"))
        #expect(result.stderr.contains("(throttling: false at \(file):"), "\(result.stderr)")
        #expect(result.stderr.contains("set throttling: true in the file"))
        #expect(result.stdout.isEmpty)
    }

    @Test func theZoneFlagStillGoesWithThrottlingFalse() throws {
        let file = BinaryRunner.example("no-throttle.json")
        let result = try BinaryRunner.run(["show", "--policy", file, "--time-zone", "UTC"])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
