import ArgumentParser
import ThrottlePolicy

/// The `throttlectl` command: MARS-style bandwidth schedules for Linux hosts.
public struct Throttlectl: ParsableCommand {
    public static let version = "0.1.0"

    /// What `--version` prints: `throttlectl 0.1.0 (tzdata 2026f from /usr/share/zoneinfo)`, naming the zone
    /// data this run reads (`TZDIR`, else the system's).
    public static var versionLine: String {
        "throttlectl \(version) (\(TimeZoneDatabase.system.versionDescription))"
    }

    public static let configuration = CommandConfiguration(
        commandName: "throttlectl",
        abstract: "Bandwidth-throttling schedules for Linux, as the MARS backup agent offers them on Windows.",
        discussion: """
            A policy names work days, work hours, the bandwidth allowed in and outside work hours, a time zone \
            and the OS profile it emulates. Give it as a YAML/JSON file (--policy FILE) or with MARS-style flags.

            Examples:
              throttlectl validate examples/mars-documented.yaml
              throttlectl show --policy examples/office-hours.yaml --at 2026-11-24T10:00:00+01:00
              throttlectl simulate --policy examples/mars-documented.yaml \\
                  --from 2026-11-23T00:00:00Z --to 2026-11-30T00:00:00Z --format svg > week.svg
              throttlectl next --policy examples/office-hours.yaml --count 4
              throttlectl profiles
              throttlectl apply --policy /etc/throttlectl/policy.yaml --interface eth0
              throttlectl run --policy /etc/throttlectl/policy.yaml --interface eth0

            Exit codes: 0 success · 64 usage · 65 invalid policy or input · 66 policy file missing or \
            unreadable · 69 profile cannot be throttled · 73 a foreign root qdisc is in the way (apply --force) · \
            75 temporary failure (lock busy, interface missing; `run` waits instead) · 77 no permission \
            (CAP_NET_ADMIN) · 1 other.
            """,
        version: versionLine,
        subcommands: [
            ValidateCommand.self, ShowCommand.self, SimulateCommand.self, NextCommand.self, ProfilesCommand.self,
            ParamsCommand.self, ApplyCommand.self, RunCommand.self, StatusCommand.self, ClearCommand.self,
            TagsCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line and runs the command, reporting an unknown option as unknown (exit 64) even
    /// when ArgumentParser would first complain about a missing argument or a failed check.
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if let unknown = UnknownOptions.first(in: arguments, root: self) {
                printError("Error: unknown option '\(unknown.option)' for 'throttlectl \(unknown.command)'; see "
                    + "'throttlectl \(unknown.command) --help' for its options")
                exit(withError: ExitCode(ExitStatus.usage.rawValue))
            }
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
