import ArgumentParser
import ThrottlePolicy

/// `throttlectl profiles`: every OS profile and whether it can be throttled.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the OS profiles and whether each can be throttled.",
        discussion: """
            Windows profiles emulate MARS: rates from 512 Kibit/s to 1,023 Mibit/s, and no throttling at all \
            on Windows Server 2008 R2, Windows Server 2008 SP2 and Windows 7. The linux profile is this tool's \
            own: 8 kbit/s up to 600 Gbit/s (what TBF's 32-bit fields can shape), and unlimited windows.

            Examples:
              throttlectl profiles
              throttlectl profiles --json
            """
    )

    @Flag(help: "Print JSON: an array of objects with name, displayName, throttling, minimum and maximum bits/s.")
    var json = false

    func run() {
        if json {
            let rows = OSProfile.allCases.map { profile in
                "  {\"name\": \"\(profile.rawValue)\", \"displayName\": \"\(profile.displayName)\", "
                    + "\"throttling\": \(profile.supportsThrottling), "
                    + "\"minimumBitsPerSecond\": \(profile.allowedRates.lowerBound), "
                    + "\"maximumBitsPerSecond\": \(profile.allowedRates.upperBound), "
                    + "\"unlimited\": \(profile.allowsUnlimited)}"
            }
            print("[\n" + rows.joined(separator: ",\n") + "\n]")
            return
        }
        let width = OSProfile.allCases.map(\.rawValue.count).max()! + 2
        print("PROFILE".padding(width) + "THROTTLING".padding(13) + "RATES")
        for profile in OSProfile.allCases {
            let rates =
                profile == .linux
                ? "8 kbit/s … 600 Gbit/s, unlimited allowed"
                : "512 Kibit/s … 1023 Mibit/s (MARS)"
            print(
                profile.rawValue.padding(width) + (profile.supportsThrottling ? "yes" : "no").padding(13)
                    + (profile.supportsThrottling ? rates : "— (\(profile.displayName): MARS cannot throttle)"))
        }
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
